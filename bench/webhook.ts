/**
 * Dashboard webhook benchmark (127.0.0.1 only, bounded loops).
 *
 * 1. Deliveries per second to a local receiver that answers 204, at
 *    concurrency 32: a bare node:http keep-alive client (the practical limit)
 *    side by side with the notifier (signing on; outbox off, then on), in the
 *    same run, interleaved, median of RUNS runs, ratios printed.
 * 2. Memory while 100,000 events wait for a dashboard that is down.
 * 3. The time to drain those 100,000 events from the outbox once the
 *    dashboard is back, with the longest event-loop stall meanwhile, against
 *    the bare client posting as many.
 *
 * Run with `npm run bench` (or `node --expose-gc bench/webhook.ts`).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger } from '../src/logging/logger.ts';
import { createDashboardNotifier } from '../src/webhook/dashboard-notifier.ts';
import { lifecycleEvent } from '../src/webhook/lifecycle-events.ts';
import { OUTBOX_FILE } from '../src/webhook/outbox.ts';
import { ratio, show, summarise, tableRow, writeResults } from './stats.ts';

const CONCURRENCY = 32;
const EVENTS_PER_RUN = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 4000);
const RUNS = Math.max(5, Number(process.env.BENCH_WEBHOOK_RUNS ?? 5));
const WAITING_EVENTS = 100_000;
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const folders: string[] = [];

function event(i: number) {
  return lifecycleEvent('deployed', `biz-${i % 1000}`, { deployment_url: `https://biz-${i}.example.com`, validation_passed: true, n: i });
}

function folder(): string {
  const path = mkdtempSync(join(tmpdir(), 'genesis-bench-outbox-'));
  folders.push(path);
  return path;
}

async function bareClient(url: URL, events = EVENTS_PER_RUN): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let next = 0;
  const worker = async () => {
    while (next < events) {
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
  return events / seconds;
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

async function startReceiver(): Promise<{ server: Server; url: URL; received: () => number }> {
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
  return { server, url, received: () => received };
}

async function throughput(): Promise<void> {
  const { server, url, received: count } = await startReceiver();
  const results = { bare: [] as number[], notifier: [] as number[], outbox: [] as number[] };
  console.log('throughput:');
  await bareClient(url); // warm-up
  await throughNotifier(url, false);
  for (let run = 0; run < RUNS; run++) {
    results.bare.push(await bareClient(url));
    results.notifier.push(await throughNotifier(url, false));
    results.outbox.push(await throughNotifier(url, true));
  }
  server.close();
  const bare = summarise(results.bare);
  const rows = [
    ['bare `node:http` keep-alive client (the limit)', bare],
    ['notifier, signed, outbox off', summarise(results.notifier)],
    ['notifier, signed, outbox on (the default)', summarise(results.outbox)],
  ] as const;
  report.push(
    `Deliveries per second to a local receiver answering 204, concurrency ${CONCURRENCY}, ${EVENTS_PER_RUN.toLocaleString('en')} events a run,`,
    `the clients interleaved, median (min-max) of ${RUNS} runs after a warm-up; ${count().toLocaleString('en')} requests in all.`,
    '',
  );
  report.push(tableRow(['client', 'deliveries/s', 'vs bare (medians)']), tableRow(['---', '---', '---']));
  for (const [name, summary] of rows) report.push(tableRow([name, show(summary, 0), ratio(summary, bare)]));
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

async function settle(): Promise<NodeJS.MemoryUsage> {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await sleep(50);
  }
  return process.memoryUsage();
}

/** Leaves WAITING_EVENTS events in the outbox (when on) and returns its folder. */
async function waitingMemory(outbox: boolean): Promise<string> {
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
    ? `outbox on (default): ${stats.outboxWaiting.toLocaleString('en')} on disk (${megabytes(statSync(join(dir, OUTBOX_FILE)).size)} SQLite file, plus its WAL), ${stats.queued} in memory`
    : `outbox off, \`maxQueue\` ${WAITING_EVENTS.toLocaleString('en')}: ${stats.queued.toLocaleString('en')} in memory`;
  report.push(
    tableRow([
      where,
      `+${megabytes(after.heapUsed - before.heapUsed)}`,
      `+${megabytes(after.rss - before.rss)}`,
      (WAITING_EVENTS / acceptSeconds).toFixed(0),
    ]),
  );
  await notifier.shutdown();
  return dir;
}

/** The dashboard is back: a fresh notifier on the outbox left by waitingMemory drains it. */
async function drain(dir: string): Promise<void> {
  const { server, url } = await startReceiver();
  const bare = await bareClient(url, WAITING_EVENTS);
  const stalls = monitorEventLoopDelay({ resolution: 1 });
  const notifier = createDashboardNotifier({
    url: url.origin,
    secrets: SECRET,
    concurrency: CONCURRENCY,
    outbox: dir,
    logger: silentLogger,
    env: {},
  });
  const waiting = notifier.stats().outboxWaiting;
  stalls.enable();
  const started = performance.now();
  while (notifier.stats().outboxWaiting > 0 && performance.now() - started < 600_000) await sleep(50);
  const seconds = (performance.now() - started) / 1000;
  stalls.disable();
  const left = notifier.stats().outboxWaiting;
  await notifier.shutdown();
  server.close();
  const rate = waiting / seconds;
  report.push(
    '',
    `Draining the ${waiting.toLocaleString('en')} events from the outbox once the dashboard is back (a fresh notifier on the same folder,`,
    `signed, concurrency ${CONCURRENCY}, each business in order), against the bare client posting as many; the event-loop stalls`,
    'are those of the process doing the draining: the largest delays `monitorEventLoopDelay` (1 ms resolution) saw.',
    '',
    tableRow(['work', 'time', 'events/s', 'vs bare', 'longest stall', 'p99 stall']),
    tableRow(['---', '---', '---', '---', '---', '---']),
    tableRow([
      `bare client, ${WAITING_EVENTS.toLocaleString('en')} posts`,
      `${(WAITING_EVENTS / bare).toFixed(1)} s`,
      bare.toFixed(0),
      '1.00x',
      '-',
      '-',
    ]),
    tableRow([
      `outbox drain${left > 0 ? ` (${left} left at the 600 s bound)` : ''}`,
      `${seconds.toFixed(1)} s`,
      rate.toFixed(0),
      `${(rate / bare).toFixed(2)}x`,
      `${(stalls.max / 1e6).toFixed(1)} ms`,
      `${(stalls.percentile(99) / 1e6).toFixed(1)} ms`,
    ]),
  );
}

const report: string[] = [];
try {
  await throughput();
  report.push(
    '',
    `Memory while ${WAITING_EVENTS.toLocaleString('en')} events wait for a dashboard that is down (connection refused, circuit open), after a full GC:`,
    '',
    tableRow(['setup', 'heap', 'RSS', 'notify() accepted/s']),
    tableRow(['---', '---', '---', '---']),
  );
  const dir = await waitingMemory(true);
  await waitingMemory(false);
  await drain(dir);
  await writeResults('webhook', 'Dashboard webhook', [], report, ['got']);
} finally {
  for (const path of folders) rmSync(path, { recursive: true, force: true });
}
