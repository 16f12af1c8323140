/**
 * Reads the exposition to audit: from an HTTP(S) endpoint (with bearer or
 * basic auth and a timeout), from a file, or from stdin (`-`). Failures become
 * an AuditInputError whose message says what to do, on one line; credentials
 * never appear in a message (a URL with user:password in it is refused before
 * any request, so the URL a message names holds none).
 */
import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';

export type EndpointAuth = { readonly bearerToken: string } | { readonly basicAuth: string };

export interface InputOptions {
  /** Give up on an endpoint after this long, in milliseconds. */
  readonly timeoutMs: number;
  /** Credentials for an endpoint; ignored for files and stdin. */
  readonly auth?: EndpointAuth | undefined;
  /** Where `-` reads from. @default process.stdin */
  readonly stdin?: NodeJS.ReadableStream;
}

export class AuditInputError extends Error {
  readonly code = 'GENESIS_AUDIT_INPUT';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AuditInputError';
  }
}

export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

function authorization(auth: EndpointAuth | undefined): Record<string, string> {
  if (auth === undefined) return {};
  if ('bearerToken' in auth) return { authorization: `Bearer ${auth.bearerToken}` };
  return { authorization: `Basic ${Buffer.from(auth.basicAuth).toString('base64')}` };
}

function causeCode(error: unknown): string | undefined {
  return (error as { cause?: { code?: string } }).cause?.code;
}

/** A failure to get an answer at all: no connection, or no headers before the deadline. */
function requestError(url: string, error: unknown, timeoutMs: number): AuditInputError {
  if ((error as Error).name === 'TimeoutError') {
    return new AuditInputError(`${url} did not answer within ${timeoutMs / 1000} s: raise --timeout, or check the address`);
  }
  const cause = causeCode(error);
  return new AuditInputError(`cannot reach ${url}${cause ? ` (${cause})` : ''}: is the endpoint up, and the address right?`, {
    cause: error,
  });
}

/**
 * A failure after the headers: the deadline passed mid-body (a server that
 * stalls), or the connection ended before the body did (undici's `TypeError:
 * terminated`, a reset or an early close). Either way the exposition is cut
 * short: an input error, never a partial audit.
 */
function bodyError(url: string, error: unknown, timeoutMs: number): AuditInputError {
  if ((error as Error).name === 'TimeoutError') {
    return new AuditInputError(
      `${url} sent its headers but not the whole exposition within ${timeoutMs / 1000} s: raise --timeout, or check the endpoint`,
      { cause: error },
    );
  }
  const cause = causeCode(error);
  return new AuditInputError(
    `${url} closed the connection before the whole exposition arrived${cause ? ` (${cause})` : ''}: is the endpoint restarting?`,
    { cause: error },
  );
}

async function fetchExposition(url: string, options: InputOptions): Promise<string> {
  // One deadline for the headers and the body: --timeout bounds the whole download, so a server that stalls mid-body cannot hang CI.
  const signal = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, {
      // The classic text format: every Prometheus endpoint serves it, and it is what the rules are written for.
      headers: { accept: 'text/plain;version=0.0.4;q=1,*/*;q=0.1', ...authorization(options.auth) },
      signal,
      redirect: 'follow',
    });
  } catch (error) {
    throw requestError(url, error, options.timeoutMs);
  }
  if (response.status === 401 || response.status === 403) {
    throw new AuditInputError(`${url} answered ${response.status}: give credentials with --bearer-token or --basic-auth`);
  }
  if (!response.ok) throw new AuditInputError(`${url} answered ${response.status} ${response.statusText}: is this a metrics endpoint?`);
  try {
    return await response.text();
  } catch (error) {
    throw bodyError(url, error, options.timeoutMs);
  }
}

/** The exposition text of `source`: a URL, a file path, or `-` for stdin. */
export async function loadExposition(source: string, options: InputOptions): Promise<string> {
  if (source === '-') return text(options.stdin ?? process.stdin);
  if (isUrl(source)) {
    const url = new URL(source);
    if (url.username !== '' || url.password !== '') {
      throw new AuditInputError('put credentials in --basic-auth or --bearer-token, not in the URL (it would be logged)');
    }
    return fetchExposition(source, options);
  }
  try {
    return await readFile(source, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new AuditInputError(`cannot read ${source}${code ? ` (${code})` : ''}: give a URL (http://...), a file, or - for stdin`, {
      cause: error,
    });
  }
}
