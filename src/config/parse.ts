/**
 * Parsing of option and environment values, each failure naming its source.
 * `source` is how the user spelled the setting: an option path such as
 * `port` or a variable such as `OTEL_EXPORTER_PROMETHEUS_PORT`.
 */
import { GenesisConfigError } from './config-error.ts';

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

/** The value of an environment variable, or undefined when unset or blank. */
export function readEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function parseBoolean(source: string, raw: string): boolean {
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new GenesisConfigError(source, `${source} must be true or false (got "${raw}")`);
}

/**
 * Decimal digits only: Number() would also take "0x1F", "1e3", "+80", "80.0"
 * and "0b1", none of which a person writes for a port, so a typo there must
 * fail rather than bind somewhere unexpected.
 */
const PORT_DIGITS = /^\d+$/;

export function parsePort(source: string, raw: string | number): number {
  const text = typeof raw === 'string' ? raw.trim() : undefined;
  const port = text === undefined ? (raw as number) : PORT_DIGITS.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new GenesisConfigError(source, `${source} must be a port number from 0 to 65535, 0 for any free port (got "${raw}")`);
  }
  return port;
}

export function parsePositiveNumber(source: string, raw: string | number): number {
  const value = typeof raw === 'number' ? raw : Number(raw.trim());
  if (!Number.isFinite(value) || value <= 0 || (typeof raw === 'string' && raw.trim() === '')) {
    throw new GenesisConfigError(source, `${source} must be a number greater than 0 (got "${raw}")`);
  }
  return value;
}

/** Throws when `options` carries a key the component does not know: a typo must not pass silently. */
export function rejectUnknownKeys(component: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new GenesisConfigError(key, `${component}: unknown option "${key}"; the options are ${known.join(', ')}`);
    }
  }
}
