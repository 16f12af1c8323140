/**
 * The notifier's options, their environment variables and defaults, resolved
 * and validated once at start. Options win over the environment, which wins
 * over the defaults; every error names the option or variable at fault.
 */
import type { Meter } from '@opentelemetry/api';
import { GenesisConfigError } from '../config/config-error.ts';
import { parseBoolean, parsePositiveNumber, readEnv, rejectUnknownKeys } from '../config/parse.ts';
import type { Logger } from '../logging/logger.ts';
import type { RandomSource } from './backoff.ts';
import { defaultOutboxDir } from './outbox-location.ts';
import { legacyKey, NO_SIGNING_KEYS, type SigningKeys, secretKey } from './signing.ts';

export interface DashboardNotifierOptions {
  /** The dashboard's base URL; events go to `${url}/api/businesses/${id}/events`. Unset: nothing is sent. Env GENESIS_DASHBOARD_URL. */
  url?: string | undefined;
  /** Signing secret(s), newest first; several during a rotation. Env GENESIS_DASHBOARD_WEBHOOK_SECRET (comma- or space-separated). */
  secrets?: string | readonly string[] | undefined;
  /** HTTP attempts per event in process before it goes to the outbox. @default 3 (GENESIS_DASHBOARD_MAX_RETRIES) */
  maxRetries?: number;
  /** Deadline of one attempt, from connect to the end of the response. @default 5000 (GENESIS_DASHBOARD_TIMEOUT_MS) */
  timeoutMs?: number;
  /** Requests in flight at most. @default 8 (GENESIS_DASHBOARD_CONCURRENCY) */
  concurrency?: number;
  /** The outbox folder, or false for none (events that cannot be delivered are then dropped, counted and logged). @default the OS state dir (GENESIS_DASHBOARD_OUTBOX; "off" disables) */
  outbox?: string | false;
  /** An outboxed event older than this is dead-lettered. @default 72 h (GENESIS_DASHBOARD_OUTBOX_MAX_AGE_HOURS) */
  outboxMaxAgeMs?: number;
  /** fsync every outbox write (survives power loss, not only a crash of the process). @default false (GENESIS_DASHBOARD_OUTBOX_FSYNC) */
  outboxFsync?: boolean;
  /** How often the outbox is checked for due events. @default 5000 */
  outboxPollMs?: number;
  /** The longest wait between two outbox attempts of one event. @default 600000 (10 min) */
  outboxMaxDelayMs?: number;
  /** First retry waits up to this, doubling (full jitter). @default 500 */
  baseDelayMs?: number;
  /** Longest in-process wait between attempts. @default 30000 */
  maxDelayMs?: number;
  /** A longer `Retry-After` is clamped to this. @default 60000 */
  maxRetryAfterMs?: number;
  /** Consecutive transient failures that open the circuit. @default 5 */
  breakerThreshold?: number;
  /** How long the open circuit waits before a probe. @default 30000 */
  breakerCooldownMs?: number;
  /** Events held in memory at most; more go straight to the outbox (or are dropped without one). @default 10000 */
  maxQueue?: number;
  /** How long shutdown() waits for deliveries before outboxing the rest. @default 5000 */
  shutdownTimeoutMs?: number;
  /** The most bytes of a response body read. @default 4096 */
  maxResponseBytes?: number;
  /** The largest event accepted, in bytes of its JSON body; a larger one is refused (outcome "rejected"). @default 65536 (GENESIS_DASHBOARD_MAX_EVENT_BYTES) */
  maxEventBytes?: number;
  /** The Meter for the delivery metrics. @default the global MeterProvider's (a no-op without one) */
  meter?: Meter;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  /** Tests: the random source of the jitter and the clock. */
  random?: RandomSource;
  now?: () => number;
}

export interface NotifierSettings {
  readonly url: string | undefined;
  readonly secrets: readonly string[];
  /** The secrets' HMAC keys, made once. */
  readonly keys: SigningKeys;
  readonly maxRetries: number;
  readonly timeoutMs: number;
  readonly concurrency: number;
  readonly outbox: string | false;
  readonly outboxMaxAgeMs: number;
  readonly outboxFsync: boolean;
  readonly outboxPollMs: number;
  readonly outboxMaxDelayMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterMs: number;
  readonly breakerThreshold: number;
  readonly breakerCooldownMs: number;
  readonly maxQueue: number;
  readonly shutdownTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly maxEventBytes: number;
}

export const NOTIFIER_DEFAULTS = Object.freeze({
  maxRetries: 3,
  timeoutMs: 5000,
  concurrency: 8,
  outboxMaxAgeMs: 72 * 3600_000,
  outboxFsync: false,
  outboxPollMs: 5000,
  outboxMaxDelayMs: 600_000,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
  breakerThreshold: 5,
  breakerCooldownMs: 30_000,
  maxQueue: 10_000,
  shutdownTimeoutMs: 5000,
  maxResponseBytes: 4096,
  // Standard Webhooks advises payloads under 20 KB; 64 KiB leaves room and stays far below what receivers refuse (often 100 KB).
  maxEventBytes: 65_536,
});

const KNOWN = [...Object.keys(NOTIFIER_DEFAULTS), 'url', 'secrets', 'outbox', 'meter', 'logger', 'env', 'random', 'now'];

function whole(source: string, value: number): number {
  if (!Number.isInteger(value)) throw new GenesisConfigError(source, `${source} must be a whole number (got ${value})`);
  return value;
}

/** A limit in bytes below this is surely a unit mistake ("64" meant as KiB): it would refuse every event. */
const MIN_EVENT_BYTES = 1024;

function atLeast(minimum: number, unit: string, source: string, value: number): number {
  if (value < minimum) throw new GenesisConfigError(source, `${source} is in ${unit} and must be at least ${minimum} (got ${value})`);
  return value;
}

function parseUrl(source: string, raw: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new GenesisConfigError(source, `${source} must be an absolute http(s) URL such as https://dashboard.example.com (got "${raw}")`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new GenesisConfigError(source, `${source} must use http or https (got "${parsed.protocol}")`);
  }
  if (parsed.hostname === '169.254.169.254') {
    throw new GenesisConfigError(source, `${source} points at the cloud metadata address 169.254.169.254, which is never a dashboard`);
  }
  rejectQueryOrFragment(source, raw, parsed);
  return raw.replace(/\/+$/, '');
}

/**
 * The event path is appended to the base URL, so a query or fragment would end up in the middle of it
 * (`/base?tenant=x/api/businesses/b1/events`). Even a bare `?` or `#` (which URL parses as empty) would. The message
 * leaves the query out: it may carry a token.
 */
function rejectQueryOrFragment(source: string, raw: string, parsed: URL): void {
  const mark = raw.search(/[?#]/);
  if (mark === -1) return;
  const base = `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
  throw new GenesisConfigError(
    source,
    `${source} must be the dashboard's base URL, without a query string or fragment (got ${base} followed by "${raw[mark]}..."): ` +
      `events are posted to ${base}/api/businesses/<business_id>/events, so set ${source} to ${base}`,
  );
}

export function resolveNotifierSettings(options: DashboardNotifierOptions = {}): NotifierSettings {
  rejectUnknownKeys('createDashboardNotifier', options, KNOWN);
  const env = options.env ?? process.env;
  const number = (key: keyof typeof NOTIFIER_DEFAULTS & string, variable?: string): number => {
    const given = options[key];
    if (given !== undefined) return whole(key, parsePositiveNumber(key, given as number));
    const raw = variable === undefined ? undefined : readEnv(env, variable);
    if (raw !== undefined && variable !== undefined) return whole(variable, parsePositiveNumber(variable, raw));
    return NOTIFIER_DEFAULTS[key] as number;
  };
  const urlRaw = options.url ?? readEnv(env, 'GENESIS_DASHBOARD_URL');
  const urlSource = options.url === undefined ? 'GENESIS_DASHBOARD_URL' : 'url';
  const secretsSource = options.secrets === undefined ? 'GENESIS_DASHBOARD_WEBHOOK_SECRET' : 'secrets';
  const secretsRaw = options.secrets ?? readEnv(env, 'GENESIS_DASHBOARD_WEBHOOK_SECRET')?.split(/[\s,]+/);
  const secrets = (typeof secretsRaw === 'string' ? [secretsRaw] : [...(secretsRaw ?? [])]).filter((s) => s !== '');
  const standard = secrets.map((secret, i) => {
    const key = secretKey(secret);
    // The message names the position, never the secret.
    if (key === undefined) {
      throw new GenesisConfigError(secretsSource, `${secretsSource}: secret #${i + 1} starts with whsec_ but the rest is not base64`);
    }
    return key;
  });
  const keys = secrets[0] === undefined ? NO_SIGNING_KEYS : { standard, legacy: legacyKey(secrets[0]) };
  const maxAgeHours = readEnv(env, 'GENESIS_DASHBOARD_OUTBOX_MAX_AGE_HOURS');
  const outboxRaw = readEnv(env, 'GENESIS_DASHBOARD_OUTBOX');
  const fsyncRaw = readEnv(env, 'GENESIS_DASHBOARD_OUTBOX_FSYNC');
  return {
    url: urlRaw === undefined ? undefined : parseUrl(urlSource, urlRaw),
    secrets,
    keys,
    maxRetries: number('maxRetries', 'GENESIS_DASHBOARD_MAX_RETRIES'),
    timeoutMs: number('timeoutMs', 'GENESIS_DASHBOARD_TIMEOUT_MS'),
    concurrency: number('concurrency', 'GENESIS_DASHBOARD_CONCURRENCY'),
    outbox:
      options.outbox ??
      (outboxRaw === undefined ? defaultOutboxDir(env) : ['off', 'false', 'none'].includes(outboxRaw.toLowerCase()) ? false : outboxRaw),
    outboxMaxAgeMs:
      options.outboxMaxAgeMs === undefined && maxAgeHours !== undefined
        ? parsePositiveNumber('GENESIS_DASHBOARD_OUTBOX_MAX_AGE_HOURS', maxAgeHours) * 3600_000
        : number('outboxMaxAgeMs'),
    outboxFsync: options.outboxFsync ?? (fsyncRaw === undefined ? false : parseBoolean('GENESIS_DASHBOARD_OUTBOX_FSYNC', fsyncRaw)),
    outboxPollMs: number('outboxPollMs'),
    outboxMaxDelayMs: number('outboxMaxDelayMs'),
    baseDelayMs: number('baseDelayMs'),
    maxDelayMs: number('maxDelayMs'),
    maxRetryAfterMs: number('maxRetryAfterMs'),
    breakerThreshold: number('breakerThreshold'),
    breakerCooldownMs: number('breakerCooldownMs'),
    maxQueue: number('maxQueue'),
    shutdownTimeoutMs: number('shutdownTimeoutMs'),
    maxResponseBytes: number('maxResponseBytes'),
    maxEventBytes: atLeast(
      MIN_EVENT_BYTES,
      'bytes',
      options.maxEventBytes === undefined ? 'GENESIS_DASHBOARD_MAX_EVENT_BYTES' : 'maxEventBytes',
      number('maxEventBytes', 'GENESIS_DASHBOARD_MAX_EVENT_BYTES'),
    ),
  };
}
