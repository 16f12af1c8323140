/**
 * Signatures, as pure functions. Standard Webhooks
 * (https://www.standardwebhooks.com): `webhook-signature: v1,<base64
 * HMAC-SHA256 of "id.timestamp.body">`, one per secret during a rotation,
 * space-separated. The legacy `X-Genesis-Signature: sha256=<hex HMAC of the
 * body>` is for receivers written before it.
 *
 * A secret written `whsec_<base64>` is the Standard Webhooks form: the key is
 * the decoded bytes. Any other string is used as is (UTF-8), which the
 * reference library calls `{ format: 'raw' }`.
 */
import { createHmac } from 'node:crypto';

export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';
export const LEGACY_SIGNATURE_HEADER = 'x-genesis-signature';
const STANDARD_PREFIX = 'whsec_';

/** The HMAC key of one configured secret; undefined when a `whsec_` secret is not valid base64. */
export function secretKey(secret: string): Buffer | undefined {
  if (!secret.startsWith(STANDARD_PREFIX)) return Buffer.from(secret, 'utf8');
  const encoded = secret.slice(STANDARD_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return undefined;
  return Buffer.from(encoded, 'base64');
}

/** `v1,<base64>` for one key. */
export function standardSignature(key: Buffer, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestampSeconds}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

/** `sha256=<hex>` of the body alone (no id, no timestamp: the old scheme cannot reject replays by time). */
export function legacySignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('hex')}`;
}

/**
 * The headers that sign one attempt. The id is the event's (stable across
 * retries); the timestamp is this attempt's. The legacy header uses the first
 * (current) secret only.
 */
export function signatureHeaders(
  secrets: readonly string[],
  keys: readonly Buffer[],
  id: string,
  timestampSeconds: number,
  body: string,
): Record<string, string> {
  const headers: Record<string, string> = { [WEBHOOK_ID_HEADER]: id, [WEBHOOK_TIMESTAMP_HEADER]: String(timestampSeconds) };
  if (keys.length === 0 || secrets[0] === undefined) return headers;
  headers[WEBHOOK_SIGNATURE_HEADER] = keys.map((key) => standardSignature(key, id, timestampSeconds, body)).join(' ');
  headers[LEGACY_SIGNATURE_HEADER] = legacySignature(secrets[0], body);
  return headers;
}
