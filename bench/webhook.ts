/**
 * Dashboard webhook benchmark (127.0.0.1 only, bounded loops).
 *
 * 1. Deliveries per second to a local receiver that answers 204, at
 *    concurrency 32: a bare node:http keep-alive client (the practical limit)
 *    side by side with the notifier (signing on; outbox off, then on), in the
 *    same run, interleaved, median of RUNS runs, ratios printed.
 * 2. Memory while 100,000 events wait for a dashboard that is down.
 *
 * Run with `npm run bench` (or `node --expose-gc bench/webhook.ts`).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger } from '../src/logging/logger.ts';
import { createDashboardNotifier } from '../src/webhook/dashboard-notifier.ts';
import { lifecycleEvent } from '../src/webhook/lifecycle-events.ts';
import { OUTBOX_FILE } from '../src/webhook/outbox.ts';

const CONCURRENCY = 32;
const EVENTS_PER_RUN = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 4000);
const RUNS = Math.max(5, Number(process.env.BENCH_WEBHOOK_RUNS ?? 5));
const WAITING_EVENTS = 100_000;
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const folders: string[] = [];

function event(i: number) {
  return lifecycleEvent('deployed', `biz-${i % 1000}`, { deployment_url: `https://biz-${i}.example.com`, validation_passed: true, n: i });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function folder(): string {
  const path = mkdtempSync(join(tmpdir(), 'genesis-bench-outbox-'));
  folders.push(path);
  return path;
}

async function bareClient(url: URL): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let next = 0;
  const worker = async () => {
    while (next < EVENTS_PER_RUN) {
      const i = next++;
      const body = JSON.stringify(event(i));
      await new Promise<void>((resolve, reject) => {
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            method: 'POST',
            path: `/api/businesses/biz-${i % 1000}/events`,
            agent,
            headers: { 'content-type': 'application/json' },
          },
          (res) => {
            res.resume();
            res.on('end', resolve);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return EVENTS_PER_RUN / seconds;
}

async function throughNotifier(url: URL, outbox: boolean): Promise<number> {
  const notifier = createDashboardNotifier({
    url: url.origin,
    secrets: SECRET,
    concurrency: CONCURRENCY,
    maxQueue: EVENTS_PER_RUN,
    outbox: outbox ? folder() : false,
    logger: silentLogger,
    env: {},
  });
  const started = performance.now();
  for (let i = 0; i < EVENTS_PER_RUN; i++) notifier.notify(event(i));
  await notifier.idle();
  const seconds = (performance.now() - started) / 1000;
  await notifier.shutdown();
  return EVENTS_PER_RUN / seconds;
}

async function throughput(): Promise<void> {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received += 1;
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const results = { bare: [] as number[], notifier: [] as number[], outbox: [] as number[] };
  await bareClient(url); // warm-up
  await throughNotifier(url, false);
  for (let run = 0; run < RUNS; run++) {
    results.bare.push(await bareClient(url));
    results.notifier.push(await throughNotifier(url, false));
    results.outbox.push(await throughNotifier(url, true));
  }
  server.close();
  const bare = median(results.bare);
  const signed = median(results.notifier);
  const durable = median(results.outbox);
  console.log(
    `deliveries/s to a 204 receiver, concurrency ${CONCURRENCY}, ${EVENTS_PER_RUN} events a run, median of ${RUNS} (${received} requests in all):`,
  );
  console.log(`  bare node:http keep-alive client      ${bare.toFixed(0).padStart(7)}/s   1.00`);
  console.log(`  notifier, signed, outbox off           ${signed.toFixed(0).padStart(7)}/s   ${(signed / bare).toFixed(2)}`);
  console.log(`  notifier, signed, outbox on (default)  ${durable.toFixed(0).padStart(7)}/s   ${(durable / bare).toFixed(2)}`);
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function settle(): Promise<NodeJS.MemoryUsage> {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await sleep(50);
  }
  return process.memoryUsage();
}

async function waitingMemory(outbox: boolean): Promise<void> {
  const down = createServer();
  await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
  const port = (down.address() as AddressInfo).port;
  await new Promise<void>((resolve) => down.close(() => resolve())); // nothing listens there now: connection refused
  const dir = folder();
  const before = await settle();
  const notifier = createDashboardNotifier({
    url: `http://127.0.0.1:${port}`,
    secrets: SECRET,
    concurrency: CONCURRENCY,
    maxQueue: outbox ? 10_000 : WAITING_EVENTS,
    outbox: outbox ? dir : false,
    baseDelayMs: 10,
    breakerCooldownMs: 3_600_000,
    outboxPollMs: 3_600_000,
    logger: silentLogger,
    env: {},
  });
  const started = performance.now();
  for (let i = 0; i < WAITING_EVENTS; i++) notifier.notify(event(i));
  const acceptSeconds = (performance.now() - started) / 1000;
  for (let i = 0; i < 400 && notifier.stats().circuit !== 'open'; i++) await sleep(25);
  for (let i = 0; i < 400 && notifier.stats().inFlight > 0; i++) await sleep(25);
  const after = await settle();
  const stats = notifier.stats();
  const where = outbox
    ? `outbox on: ${stats.outboxWaiting} on disk (${megabytes(statSync(join(dir, OUTBOX_FILE)).size)} + WAL), ${stats.queued} in memory`
    : `outbox off: ${stats.queued} held in memory`;
  console.log(
    `  ${where}; heap +${megabytes(after.heapUsed - before.heapUsed)}, rss +${megabytes(after.rss - before.rss)}; notify() ${(WAITING_EVENTS / acceptSeconds).toFixed(0)}/s`,
  );
  await notifier.shutdown();
}

try {
  await throughput();
  if (globalThis.gc === undefined) console.log('(run with --expose-gc for settled memory figures)');
  console.log(`memory while ${WAITING_EVENTS} events wait for a dashboard that is down (circuit open):`);
  await waitingMemory(true);
  await waitingMemory(false);
} finally {
  for (const path of folders) rmSync(path, { recursive: true, force: true });
}
