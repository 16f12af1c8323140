/** The HTTP both sides of a scrape benchmark use: a node:http server on 127.0.0.1, port 0, and a keep-alive GET that counts bytes. */
import { Agent, createServer, get, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const agent = new Agent({ keepAlive: true, maxSockets: 1 });

export async function serve(handler: RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/** One full GET (on the shared keep-alive agent unless `keepAlive` is false); resolves with the body's length in bytes. */
export function scrape(url: string, keepAlive = true): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent: keepAlive ? agent : false }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      response.on('end', () => (response.statusCode === 200 ? resolve(bytes) : reject(new Error(`HTTP ${response.statusCode}`))));
    }).on('error', reject);
  });
}
