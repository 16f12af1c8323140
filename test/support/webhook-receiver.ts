/**
 * A real dashboard for webhook tests: a node:http server on 127.0.0.1 that
 * records every request (raw body, headers, arrival time) and answers as the
 * test's responder says, including a slow answer or a reset connection.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

/** What to answer to the n-th request (0-based). */
export type Reply =
  | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  | { reset: true }
  | { hang: true };
export type Responder = (request: ReceivedRequest, n: number) => Reply;

export interface WebhookReceiver {
  readonly url: string;
  readonly port: number;
  readonly requests: ReceivedRequest[];
  /** The most requests that were open at once. */
  readonly maxConcurrent: number;
  respond(responder: Responder): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(responder: Responder = () => ({ status: 204 }), port = 0): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  let current = responder;
  const hanging = new Set<ServerResponse>();
  let open = 0;
  let maxConcurrent = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    open += 1;
    maxConcurrent = Math.max(maxConcurrent, open);
    res.once('close', () => {
      open -= 1;
    });
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      const n = requests.push(request) - 1;
      const reply = current(request, n);
      if ('reset' in reply) {
        req.socket.resetAndDestroy();
        return;
      }
      if ('hang' in reply) {
        hanging.add(res);
        return;
      }
      const send = () => {
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body);
      };
      if (reply.delayMs === undefined) send();
      else setTimeout(send, reply.delayMs).unref();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    requests,
    get maxConcurrent() {
      return maxConcurrent;
    },
    respond(next) {
      current = next;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
