/**
 * A webhook receiver for Alertmanager's notifications (its webhook_configs
 * payload, version 4), on 127.0.0.1: it keeps every notification with the path
 * it arrived on, which names the receiver that Alertmanager routed it to.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AlertNotification {
  /** The request path: `/<receiver name>` in the test's Alertmanager configuration. */
  readonly path: string;
  readonly body: {
    receiver: string;
    status: 'firing' | 'resolved';
    alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string> }[];
  };
}

export interface AlertReceiver {
  readonly url: string;
  readonly notifications: AlertNotification[];
  close(): Promise<void>;
}

export async function startAlertReceiver(): Promise<AlertReceiver> {
  const notifications: AlertNotification[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        notifications.push({ path: request.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        response.writeHead(200).end();
      } catch {
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    notifications,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
