/**
 * The receiver side: checks that a request came from a notifier holding one
 * of the secrets, on the raw body, in constant time, and that its timestamp
 * is recent. Returns a result rather than throwing, and never echoes a secret
 * or a signature in its reasons.
 */
import { timingSafeEqual } from 'node:crypto';
import {
  LEGACY_SIGNATURE_HEADER,
  legacyKey,
  legacySignature,
  secretKey,
  standardSignature,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from './signing.ts';

/** Receivers commonly allow 5 minutes of clock skew and delay, as the reference library does. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export interface VerifyWebhookOptions {
  /** The raw request body, exactly as received (parse it only after verifying). */
  readonly body: string | Buffer;
  /** The request headers, in any case (Node's `req.headers` works as is). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** One secret, or several during a rotation: any one matching is enough. */
  readonly secrets: string | readonly string[];
  /** How far `webhook-timestamp` may be from now, either way: a finite number >= 0 (else a TypeError). @default 300 */
  readonly toleranceSeconds?: number;
  /** Also accept a request signed only with `X-Genesis-Signature` (no replay protection). @default false */
  readonly acceptLegacy?: boolean;
  /** The clock, in milliseconds. @default Date.now */
  readonly now?: () => number;
}

export type VerifyWebhookResult =
  | { readonly ok: true; readonly id: string; readonly timestamp: number | undefined; readonly scheme: 'standard' | 'legacy' }
  | { readonly ok: false; readonly reason: string };

function header(headers: VerifyWebhookOptions['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  // The lengths of well-formed signatures are public; only the content must not leak through timing.
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The tolerance, checked: NaN would accept a timestamp of any age (every comparison with NaN is false), Infinity
 * would turn the replay window off, and a negative number would refuse every request.
 */
export function checkedTolerance(toleranceSeconds: number | undefined): number {
  const tolerance = toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
    throw new TypeError(
      `verifyWebhook: toleranceSeconds must be a finite number of seconds >= 0 (got ${String(tolerance)}); ` +
        `leave it out for the default of ${DEFAULT_TOLERANCE_SECONDS}`,
    );
  }
  return tolerance;
}

export function verifyWebhook(options: VerifyWebhookOptions): VerifyWebhookResult {
  const tolerance = checkedTolerance(options.toleranceSeconds);
  const secrets = typeof options.secrets === 'string' ? [options.secrets] : [...options.secrets];
  if (secrets.length === 0 || secrets.some((s) => s === '')) return { ok: false, reason: 'no secret configured' };
  const body = typeof options.body === 'string' ? options.body : options.body.toString('utf8');
  const id = header(options.headers, WEBHOOK_ID_HEADER);
  const signatures = header(options.headers, WEBHOOK_SIGNATURE_HEADER);
  if (signatures === undefined) return verifyLegacy(options, secrets, body, id);
  const timestampText = header(options.headers, WEBHOOK_TIMESTAMP_HEADER);
  if (id === undefined || id === '' || timestampText === undefined) return { ok: false, reason: 'missing webhook-id or webhook-timestamp' };
  const timestamp = Number(timestampText);
  if (!/^\d+$/.test(timestampText) || !Number.isSafeInteger(timestamp)) return { ok: false, reason: 'malformed webhook-timestamp' };
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  if (Math.abs(nowSeconds - timestamp) > tolerance) return { ok: false, reason: `timestamp outside the tolerance of ${tolerance} s` };
  const offered = signatures.split(' ').filter((s) => s.startsWith('v1,'));
  for (const secret of secrets) {
    const key = secretKey(secret);
    if (key === undefined) continue;
    const expected = standardSignature(key, id, timestamp, body);
    if (offered.some((candidate) => sameText(candidate, expected))) return { ok: true, id, timestamp, scheme: 'standard' };
  }
  return { ok: false, reason: 'no matching signature' };
}

function verifyLegacy(options: VerifyWebhookOptions, secrets: string[], body: string, id: string | undefined): VerifyWebhookResult {
  const offered = header(options.headers, LEGACY_SIGNATURE_HEADER);
  if (offered === undefined || options.acceptLegacy !== true) return { ok: false, reason: 'missing webhook-signature' };
  const matches = secrets.some((secret) => sameText(offered, legacySignature(legacyKey(secret), body)));
  return matches ? { ok: true, id: id ?? '', timestamp: undefined, scheme: 'legacy' } : { ok: false, reason: 'no matching signature' };
}
