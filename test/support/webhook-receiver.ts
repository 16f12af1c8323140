/**
 * A real dashboard for webhook tests: a node:http server on 127.0.0.1 that
 * records every request (raw body, headers, arrival time) and answers as the
 * test's responder says, including a slow answer, a reset connection (before
 * or in the middle of the response), or a large body written slowly, of which
 * it records how much the client took before it hung up.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

/** A body of `chunks` × `chunkBytes`, one chunk every `everyMs` while the client stays connected. */
export interface SlowBody {
  readonly chunkBytes: number;
  readonly chunks: number;
  readonly everyMs: number;
}

/** What to answer to the n-th request (0-based). */
export type Reply =
  | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  | { status: number; slowBody: SlowBody }
  /** The status line, the headers and the start of a body, then a TCP reset. */
  | { status: number; resetMidResponse: true }
  /** A TCP reset instead of any response. */
  | { reset: true }
  | { hang: true };
export type Responder = (request: ReceivedRequest, n: number) => Reply;

/** How one slow body went: how many bytes were written before the client closed the connection, if it did. */
export interface SlowBodyRecord {
  readonly request: number;
  readonly totalBytes: number;
  bytesWritten: number;
  outcome: 'writing' | 'complete' | 'closed-by-client';
}

export interface WebhookReceiver {
  readonly url: string;
  readonly port: number;
  readonly requests: ReceivedRequest[];
  /** One record per slow body answered, in order. */
  readonly slowBodies: SlowBodyRecord[];
  /** The most requests that were open at once, since the start or the last resetMaxConcurrent(). */
  readonly maxConcurrent: number;
  /** Starts counting maxConcurrent afresh (from the requests open now), so that a test does not see an earlier one's. */
  resetMaxConcurrent(): void;
  respond(responder: Responder): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(responder: Responder = () => ({ status: 204 }), port = 0): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const slowBodies: SlowBodyRecord[] = [];
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
      if ('reset' in reply) req.socket.resetAndDestroy();
      else if ('hang' in reply) hanging.add(res);
      else if ('resetMidResponse' in reply) resetMidResponse(req, res, reply.status);
      else if ('slowBody' in reply) slowBodies.push(writeSlowly(res, n, reply.status, reply.slowBody));
      else if (reply.delayMs === undefined) res.writeHead(reply.status, reply.headers).end(reply.body);
      else setTimeout(() => res.writeHead(reply.status, reply.headers).end(reply.body), reply.delayMs).unref();
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
    slowBodies,
    get maxConcurrent() {
      return maxConcurrent;
    },
    resetMaxConcurrent() {
      maxConcurrent = open;
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

/** Chunked, so that the client cannot tell from a length that the body is cut short: only the reset tells it. */
function resetMidResponse(req: IncomingMessage, res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  // Once the status line, the headers and the first bytes are on the wire.
  res.write('{"received":', () => req.socket.resetAndDestroy());
}

/** Writes one chunk per tick for as long as the client stays; the record says how far it got. */
function writeSlowly(res: ServerResponse, request: number, status: number, body: SlowBody): SlowBodyRecord {
  const record: SlowBodyRecord = { request, totalBytes: body.chunkBytes * body.chunks, bytesWritten: 0, outcome: 'writing' };
  const chunk = Buffer.alloc(body.chunkBytes, 'x');
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': String(record.totalBytes) });
  const timer = setInterval(() => {
    if (record.bytesWritten >= record.totalBytes) {
      clearInterval(timer);
      res.end();
      return;
    }
    res.write(chunk);
    record.bytesWritten += chunk.length;
  }, body.everyMs);
  res.once('finish', () => {
    record.outcome = 'complete';
  });
  res.once('close', () => {
    clearInterval(timer);
    if (record.outcome === 'writing') record.outcome = 'closed-by-client';
  });
  return record;
}
