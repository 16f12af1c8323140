/**
 * A small verifying dashboard, for trying the whole path by hand
 * (`genesis-telemetry receive`) and for examples: a node:http server on
 * 127.0.0.1 that accepts `POST /api/businesses/<id>/events`, verifies the
 * signature on the raw body, drops duplicates by `webhook-id`, and reports
 * each event. Unsigned requests pass only when no secret is configured.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GenesisConfigError } from '../config/config-error.ts';
import { checkedTolerance, verifyWebhook } from './verify.ts';

const EVENTS_PATH = /^\/api\/businesses\/([^/?#]+)\/events$/;
/** Standard Webhooks payloads stay under 20 KB; far above that is not ours. */
const MAX_BODY_BYTES = 256 * 1024;
/** Ids remembered for de-duplication; older ones are forgotten first. */
const REMEMBERED_IDS = 100_000;

export interface ReceivedEvent {
  readonly webhookId: string;
  readonly businessId: string;
  readonly payload: unknown;
  readonly duplicate: boolean;
}

export interface VerifyingReceiverOptions {
  readonly port?: number;
  readonly secrets?: readonly string[];
  readonly toleranceSeconds?: number;
  /** The status answered to a valid event (try 503 to watch the retries): a whole number from 200 to 599. @default 204 */
  readonly status?: number;
  readonly onEvent: (event: ReceivedEvent) => void;
  readonly onRefused: (reason: string) => void;
}

export interface VerifyingReceiver {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The status to answer, checked at start (node:http would throw on the first event otherwise). 1xx is refused too:
 * it is informational, never a final answer, so the notifier would wait for the real one until its timeout.
 */
export function parseAnswerStatus(source: string, raw: string | number): number {
  const status = typeof raw === 'number' ? raw : /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new GenesisConfigError(source, `${source} must be a whole HTTP status code from 200 to 599, such as 204 or 503 (got "${raw}")`);
  }
  return status;
}

export async function startVerifyingReceiver(options: VerifyingReceiverOptions): Promise<VerifyingReceiver> {
  const seen = new Set<string>();
  const secrets = options.secrets ?? [];
  const status = parseAnswerStatus('status', options.status ?? 204);
  const tolerance = checkedTolerance(options.toleranceSeconds);
  const server: Server = createServer((req, res) => {
    const match = EVENTS_PATH.exec(req.url ?? '');
    if (req.method !== 'POST' || match === null) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        options.onRefused(`body over ${MAX_BODY_BYTES} bytes`);
        res.writeHead(413).end();
        return;
      }
      const body = Buffer.concat(chunks);
      let webhookId = String(req.headers['webhook-id'] ?? '');
      if (secrets.length > 0) {
        const verdict = verifyWebhook({ body, headers: req.headers, secrets, toleranceSeconds: tolerance });
        if (!verdict.ok) {
          options.onRefused(verdict.reason);
          res.writeHead(401).end();
          return;
        }
        webhookId = verdict.id;
      }
      let payload: unknown;
      try {
        payload = JSON.parse(body.toString('utf8'));
      } catch {
        options.onRefused('the body is not JSON');
        res.writeHead(400).end();
        return;
      }
      const duplicate = webhookId !== '' && seen.has(webhookId);
      if (!duplicate && webhookId !== '') {
        seen.add(webhookId);
        if (seen.size > REMEMBERED_IDS) seen.delete(seen.values().next().value as string);
      }
      options.onEvent({ webhookId, businessId: decodeURIComponent(match[1] as string), payload, duplicate });
      res.writeHead(duplicate ? 204 : status).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
