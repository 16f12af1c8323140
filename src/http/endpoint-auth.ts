/**
 * Checks the Authorization header of a scrape against the configured
 * credentials, in constant time: both sides are hashed to equal-length
 * digests first, so neither the content nor the length leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { EndpointAuth } from '../pipeline/telemetry-options.ts';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** The exact Authorization header value that grants access. */
export function expectedAuthorization(auth: EndpointAuth): string {
  if ('bearerToken' in auth) return `Bearer ${auth.bearerToken}`;
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

/** Returns a checker for the header; keeps only the digest of the secret in memory. */
export function authorizationChecker(auth: EndpointAuth): (header: string | undefined) => boolean {
  const expected = digest(expectedAuthorization(auth));
  return (header) => header !== undefined && timingSafeEqual(digest(header), expected);
}

/** The WWW-Authenticate challenge for a refused scrape. */
export function authChallenge(auth: EndpointAuth): string {
  return 'bearerToken' in auth ? 'Bearer realm="metrics"' : 'Basic realm="metrics", charset="UTF-8"';
}
