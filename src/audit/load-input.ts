/**
 * Reads the exposition to audit: from an HTTP(S) endpoint (with bearer or
 * basic auth and a timeout), from a file, or from stdin (`-`). Failures become
 * an AuditInputError whose message says what to do; credentials never appear
 * in a message.
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

async function fetchExposition(url: string, options: InputOptions): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, {
      // The classic text format: every Prometheus endpoint serves it, and it is what the rules are written for.
      headers: { accept: 'text/plain;version=0.0.4;q=1,*/*;q=0.1', ...authorization(options.auth) },
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'follow',
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    if ((error as Error).name === 'TimeoutError') {
      throw new AuditInputError(`${url} did not answer within ${options.timeoutMs / 1000} s: raise --timeout, or check the address`);
    }
    throw new AuditInputError(`cannot reach ${url}${cause ? ` (${cause})` : ''}: is the endpoint up, and the address right?`, {
      cause: error,
    });
  }
  if (response.status === 401 || response.status === 403) {
    throw new AuditInputError(`${url} answered ${response.status}: give credentials with --bearer-token or --basic-auth`);
  }
  if (!response.ok) throw new AuditInputError(`${url} answered ${response.status} ${response.statusText}: is this a metrics endpoint?`);
  return response.text();
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
