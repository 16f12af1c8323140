/**
 * The audit's settings from its command-line flags, validated once. A wrong
 * flag throws GenesisConfigError naming the flag and the fix (exit code 2).
 */
import { GenesisConfigError } from '../config/config-error.ts';
import { parsePositiveNumber, readEnv } from '../config/parse.ts';
import { type AuditContext, DEFAULT_SERIES_BUDGET, genesisCatalog } from './audit-context.ts';
import { SEVERITIES, type Severity } from './finding.ts';
import { type EndpointAuth, isUrl } from './load-input.ts';

export type OutputFormat = 'table' | 'json' | 'markdown';

export interface AuditSettings {
  readonly source: string;
  readonly context: AuditContext;
  /** @default 'table' */
  readonly format: OutputFormat;
  /** Exit 1 when a finding is at or above this severity; `never` always exits 0. @default 'error' */
  readonly failOn: Severity | 'never';
  /** @default 10 000 (10 s) */
  readonly timeoutMs: number;
  readonly auth: EndpointAuth | undefined;
}

export interface AuditFlags {
  readonly catalog?: string | undefined;
  readonly json?: boolean | undefined;
  readonly markdown?: boolean | undefined;
  readonly 'fail-on'?: string | undefined;
  readonly budget?: readonly string[] | undefined;
  readonly 'bearer-token'?: string | undefined;
  readonly 'basic-auth'?: string | undefined;
  readonly timeout?: string | undefined;
}

const DEFAULT_TIMEOUT_SECONDS = 10;

function parseBudgets(raw: readonly string[]): AuditContext['budgets'] {
  let fallback = DEFAULT_SERIES_BUDGET;
  const perMetric = new Map<string, number>();
  for (const entry of raw) {
    const [metric, value] = entry.includes('=') ? entry.split(/=(.*)/s) : [undefined, entry];
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || value?.trim() === '') {
      throw new GenesisConfigError('--budget', `--budget takes <n> or <metric>=<n>, n a whole number of series from 1 (got "${entry}")`);
    }
    if (metric === undefined) fallback = n;
    else perMetric.set(metric, n);
  }
  return { default: fallback, perMetric };
}

/**
 * Credentials from the flags, else from GENESIS_AUDIT_* variables (kept out of
 * `ps`). Deliberately not the endpoint's own GENESIS_METRICS_* variables: an
 * audit of someone else's endpoint must never send the agent's secret to it.
 */
function parseAuth(flags: AuditFlags, env: NodeJS.ProcessEnv, source: string): EndpointAuth | undefined {
  const fromFlags = flags['bearer-token'] !== undefined || flags['basic-auth'] !== undefined;
  const [bearerToken, basicAuth, bearerName, basicName] = fromFlags
    ? [flags['bearer-token'], flags['basic-auth'], '--bearer-token', '--basic-auth']
    : [
        readEnv(env, 'GENESIS_AUDIT_BEARER_TOKEN'),
        readEnv(env, 'GENESIS_AUDIT_BASIC_AUTH'),
        'GENESIS_AUDIT_BEARER_TOKEN',
        'GENESIS_AUDIT_BASIC_AUTH',
      ];
  if (bearerToken !== undefined && basicAuth !== undefined) {
    throw new GenesisConfigError(bearerName, `give ${bearerName} or ${basicName}, not both`);
  }
  if (fromFlags && !isUrl(source)) throw new GenesisConfigError(bearerName, 'credentials apply to a URL source only (http:// or https://)');
  if (basicAuth !== undefined && basicAuth.indexOf(':') <= 0) throw new GenesisConfigError(basicName, `${basicName} takes user:password`);
  if (basicAuth !== undefined) return { basicAuth };
  return bearerToken === undefined ? undefined : { bearerToken };
}

export function resolveAuditSettings(positionals: readonly string[], flags: AuditFlags, env: NodeJS.ProcessEnv): AuditSettings {
  const [source, ...extra] = positionals;
  if (source === undefined || extra.length > 0) {
    throw new GenesisConfigError('source', 'audit takes one source: a URL (http://host:port/metrics), a file, or - for stdin');
  }
  const catalog = flags.catalog ?? 'genesis';
  if (catalog !== 'genesis' && catalog !== 'none') {
    throw new GenesisConfigError('--catalog', `--catalog takes genesis or none (got "${catalog}")`);
  }
  if (flags.json && flags.markdown) throw new GenesisConfigError('--json', 'give --json or --markdown, not both');
  const failOn = flags['fail-on'] ?? 'error';
  if (failOn !== 'never' && !(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new GenesisConfigError('--fail-on', `--fail-on takes ${SEVERITIES.join(', ')} or never (got "${failOn}")`);
  }
  const timeoutSeconds = flags.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : parsePositiveNumber('--timeout', flags.timeout);
  return {
    source,
    context: { catalog: catalog === 'genesis' ? genesisCatalog() : undefined, budgets: parseBudgets(flags.budget ?? []) },
    format: flags.json ? 'json' : flags.markdown ? 'markdown' : 'table',
    failOn: failOn as Severity | 'never',
    timeoutMs: timeoutSeconds * 1000,
    auth: parseAuth(flags, env, source),
  };
}
