/**
 * The retry arithmetic, as pure functions: full-jitter exponential backoff
 * (AWS: `random(0, min(cap, base * 2^n))`) and `Retry-After` parsing. The
 * random source and the clock are parameters, so schedules are tested exactly.
 */

/** A source of numbers in [0, 1), like Math.random. */
export type RandomSource = () => number;

export interface BackoffPolicy {
  /** The first retry waits up to this long; each later one doubles it. */
  readonly baseDelayMs: number;
  /** No wait computed from the schedule exceeds this. */
  readonly maxDelayMs: number;
  /** A `Retry-After` longer than this is clamped to it (got would cancel the retry instead). */
  readonly maxRetryAfterMs: number;
}

/** The ceiling of the jitter window before retry number `retry` (1 for the first retry). */
export function backoffCeiling(retry: number, policy: Pick<BackoffPolicy, 'baseDelayMs' | 'maxDelayMs'>): number {
  const exponent = Math.max(0, Math.floor(retry) - 1);
  // 2 ** 1100 is Infinity: the min() keeps the result finite for any retry number.
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
}

/** Full jitter: a uniform draw between 0 and the ceiling, so a crowd of retries spreads out. */
export function fullJitterDelay(retry: number, policy: Pick<BackoffPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: RandomSource): number {
  const draw = Math.min(Math.max(random(), 0), 1);
  return Math.floor(draw * backoffCeiling(retry, policy));
}

/**
 * The wait before retry number `retry`: what the receiver asked for in
 * `Retry-After` (clamped to the policy's maximum), else full jitter.
 */
export function retryDelay(retry: number, retryAfterMs: number | undefined, policy: BackoffPolicy, random: RandomSource): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), policy.maxRetryAfterMs);
  return fullJitterDelay(retry, policy, random);
}

/**
 * A `Retry-After` header in milliseconds from `nowMs`: delay-seconds
 * (`120`) or an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`). A date in the
 * past is 0; anything unparseable is undefined (then the schedule decides).
 */
export function parseRetryAfter(header: string | string[] | undefined, nowMs: number): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  if (!/[a-z]/i.test(value)) return undefined; // "1.5" or "-3": not a delay-seconds, not a date
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
