/**
 * A receiver outage, on a real OTLP receiver (VictoriaMetrics, protobuf): up,
 * a first value stored; down (SIGTERM), exports fail, are counted and logged,
 * nothing throws; up again on the same port and data folder, the cumulative
 * values recorded during the outage arrive.
 */
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { startTelemetry, type Telemetry } from '../../src/sdk.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { scrape, value } from '../support/exposition.ts';
import { freePort } from '../support/processes.ts';
import { ensureServers, type RealServer, startVictoriaMetrics } from '../support/servers.ts';
import { waitFor } from '../support/wait.ts';

const missing = await ensureServers();
const FAILURES = 'genesis_telemetry_export_failures_total';
const VIOLATIONS = 'genesis_meta_agent_safety_violations_total{service_name="genesis-outage"}';
const CREATED = 'genesis_meta_agent_businesses_created_total{service_name="genesis-outage",business_type="newsletter",status="success"}';

describe('OTLP push through a receiver outage', { skip: missing }, () => {
  let victoria: RealServer | undefined;
  let telemetry: Telemetry | undefined;
  after(async () => {
    await telemetry?.shutdown();
    await victoria?.stop();
  });

  /** The stored value, read right after a flush of VictoriaMetrics' in-memory buffers. */
  async function stored(expr: string): Promise<number | undefined> {
    const url = victoria?.url as string;
    await fetch(`${url}/internal/force_flush`);
    const body = (await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as {
      data: { result: { value: [number, string] }[] };
    };
    const first = body.data.result[0];
    return first === undefined ? undefined : Number(first.value[1]);
  }

  const storedEquals = (expr: string, expected: number) => async () => ((await stored(expr)) === expected ? true : undefined);

  it('delivers the values recorded while the receiver was down, and counts the failures', async () => {
    // Up: the receiver runs and a first value arrives.
    victoria = await startVictoriaMetrics();
    const { port, dataDir } = victoria;
    const logger = captureLogger();
    telemetry = await startTelemetry({
      port: 0,
      logger,
      serviceName: 'genesis-outage',
      otlp: {
        endpoint: `${victoria.url}/opentelemetry/v1/metrics`,
        // Long: the test drives the exports with forceFlush, so none runs unless it says so.
        exportIntervalMillis: 60_000,
        exportTimeoutMillis: 2000,
        // Short: the exporter retries a refused connection within this, and each failed export waits it out.
        timeoutMillis: 300,
      },
    });
    const endpoint = telemetry.url as string;
    const failures = async () =>
      value((await scrape(endpoint)).families, FAILURES, { exporter: 'otlp_http_protobuf', reason: 'network' }) ?? 0;
    telemetry.metrics.safetyViolation();
    telemetry.metrics.safetyViolation();
    await telemetry.forceFlush();
    await waitFor('the first value to be stored', storedEquals(VIOLATIONS, 2), { timeoutMs: 30_000 });
    assert.equal(await failures(), 0);

    // Down: the running receiver stops. Record, export; nothing may throw or reject anywhere.
    await victoria.stop({ keepData: true });
    const escaped: unknown[] = [];
    const keep = (error: unknown) => escaped.push(error);
    process.on('uncaughtException', keep).on('unhandledRejection', keep);
    for (let i = 0; i < 3; i += 1) telemetry.metrics.safetyViolation();
    telemetry.metrics.businessCreated({ businessType: 'newsletter', status: 'success', durationSeconds: 30, taskCount: 4, teamSize: 2 });
    await telemetry.forceFlush(); // resolves although the export fails...
    assert.equal(await failures(), 1, '...and the failure is counted');
    await telemetry.forceFlush();
    assert.equal(await failures(), 2, 'every failed export is counted');
    process.off('uncaughtException', keep).off('unhandledRejection', keep);
    assert.deepEqual(escaped, []);
    const errors = logger.lines.filter((line) => line.startsWith('error:'));
    assert.equal(errors.length, 1, 'logged once per interval');
    assert.match(
      errors[0] ?? '',
      /otlp_http_protobuf to http:\/\/127\.0\.0\.1:\d+\/opentelemetry\/v1\/metrics: export failed \(network: .*ECONNREFUSED/,
    );

    // Up again, the same server (port and data): the cumulative totals from the outage arrive with the next export.
    victoria = await startVictoriaMetrics(port, dataDir);
    assert.equal(await stored(VIOLATIONS), 2, 'the value from before the outage survived the restart');
    await telemetry.forceFlush();
    await waitFor('the outage values to arrive', storedEquals(VIOLATIONS, 5), { timeoutMs: 30_000 });
    assert.equal(await stored(CREATED), 1);
    assert.match(logger.lines.at(-1) ?? '', /exports succeed again after 2 failed/);

    // And what is recorded after the outage adds up.
    telemetry.metrics.safetyViolation();
    await telemetry.forceFlush();
    await waitFor('the new total', storedEquals(VIOLATIONS, 6));
    assert.equal(await failures(), 2, 'no failure after the outage');
  });

  it('returns from shutdown within the bound when the receiver is gone, and logs that last failure', async () => {
    const port = await freePort();
    const logger = captureLogger();
    const doomed = await startTelemetry({
      port: 0,
      logger,
      otlp: {
        endpoint: `http://127.0.0.1:${port}/v1/metrics`,
        exportIntervalMillis: 60_000,
        timeoutMillis: 1000,
        exportTimeoutMillis: 2000,
      },
    });
    doomed.metrics.safetyViolation();
    const started = Date.now();
    await doomed.shutdown();
    const took = Date.now() - started;
    assert.ok(took < 3000, `shutdown took ${took} ms`);
    assert.match(logger.lines.join('\n'), /the last export before shutdown failed \(network: .*ECONNREFUSED.*did not reach the receiver/);
  });

  it('gives up on a receiver that never answers within the export timeout, counting it as a timeout', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket)); // accepts, reads, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const logger = captureLogger();
    const stuck = await startTelemetry({
      port: 0,
      logger,
      otlp: { endpoint: `http://127.0.0.1:${port}/v1/metrics`, exportIntervalMillis: 300, exportTimeoutMillis: 300, timeoutMillis: 300 },
    });
    await waitFor('an export in flight', () => sockets.size > 0 || undefined);
    const started = Date.now();
    await stuck.shutdown();
    const took = Date.now() - started;
    for (const socket of sockets) socket.destroy();
    silent.close();
    assert.ok(took < 1500, `shutdown took ${took} ms`);
    // The export in flight and the final flush both fail, and both are counted, but one shutdown is one line.
    const last = logger.lines.filter((line) => line.includes('the last export before shutdown failed'));
    assert.equal(last.length, 1, last.join('\n'));
    assert.match(last[0] ?? '', /the last export before shutdown failed \(timeout: /);
  });
});
