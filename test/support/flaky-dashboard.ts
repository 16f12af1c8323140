/**
 * A dashboard for the notifier to send to, on 127.0.0.1, that answers 503 to
 * every `failEvery`-th request and 204 to the rest: a real, imperfect peer.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FlakyDashboard {
  readonly url: string;
  /** Requests seen so far, failed ones included. */
  readonly requests: () => number;
  close(): Promise<void>;
}

export async function startFlakyDashboard({ failEvery }: { failEvery: number }): Promise<FlakyDashboard> {
  let requests = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests += 1;
      response.writeHead(requests % failEvery === 0 ? 503 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
