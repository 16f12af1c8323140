/**
 * One HTTP attempt through got, configured so that got does none of the
 * policy: no retries (our loop re-signs each attempt), no redirects (a 3xx is
 * reported, not followed), no throwing on status codes, one deadline for the
 * whole exchange, and at most `maxResponseBytes` of the body read.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Got } from 'got';

export type AttemptResult =
  | { readonly status: number; readonly retryAfter: string | undefined; readonly location: string | undefined; readonly body: string }
  | { readonly status: undefined; readonly code: string | undefined; readonly message: string };

export interface HttpAttempter {
  post(url: string, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<AttemptResult>;
  /** Closes the kept-alive sockets. */
  close(): void;
}

export function createHttpAttempter(options: { timeoutMs: number; concurrency: number; maxResponseBytes: number }): HttpAttempter {
  // Keep-alive sockets, one per concurrent request: a TLS handshake per event would dominate the cost.
  const agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets: options.concurrency }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: options.concurrency }),
  };
  // got is loaded here, when a notifier is made, not when the package is imported: it takes longer to load than the
  // OpenTelemetry SDK, and an agent without a dashboard URL never needs it. The first attempt awaits the load.
  const loading: Promise<Got> = import('got').then(({ default: got }) =>
    got.extend({
      retry: { limit: 0 },
      followRedirect: false,
      throwHttpErrors: false,
      timeout: { request: options.timeoutMs },
      agent: agents,
      headers: { 'user-agent': 'genesis-telemetry-webhook', 'content-type': 'application/json' },
    }),
  );
  // Never an unhandled rejection: a failed load is reported by each attempt instead (see post).
  loading.catch(() => {});

  const post: HttpAttempter['post'] = async (url, body, headers, signal) => {
    let client: Got;
    try {
      client = await loading;
    } catch (error) {
      return {
        status: undefined,
        code: (error as { code?: string }).code,
        message: `got could not be loaded: ${(error as Error).message}`,
      };
    }
    return new Promise((resolve) => {
      let settled = false;
      const settle = (result: AttemptResult) => {
        if (settled) return;
        settled = true;
        resolve(result);
      };
      const stream = client.stream.post(url, { body, headers, signal });
      stream.on('error', (error: Error & { code?: string }) => {
        settle({ status: undefined, code: error.code, message: error.message });
      });
      stream.on('response', (response: { statusCode: number; headers: Record<string, string | string[] | undefined> }) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          const retryAfter = response.headers['retry-after'];
          const location = response.headers.location;
          settle({
            status: response.statusCode,
            retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
            location: Array.isArray(location) ? location[0] : location,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        };
        stream.on('data', (chunk: Buffer) => {
          if (size >= options.maxResponseBytes) return;
          chunks.push(chunk.subarray(0, options.maxResponseBytes - size));
          size += chunk.length;
          // Enough read: the verdict is the status; the rest of a large body is not worth the memory.
          if (size >= options.maxResponseBytes) {
            finish();
            stream.destroy();
          }
        });
        stream.on('end', finish);
      });
    });
  };

  return {
    post,
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
