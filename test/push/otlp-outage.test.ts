/**
 * A receiver outage, on a real OTLP receiver (VictoriaMetrics, protobuf):
 * while it is down, exports fail, are counted and logged, and nothing throws;
 * once it is up, the cumulative values recorded during the outage arrive.
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

describe('OTLP push through a receiver outage', { skip: missing }, () => {
  let victoria: RealServer | undefined;
  let telemetry: Telemetry | undefined;
  after(async () => {
    await telemetry?.shutdown();
    await victoria?.stop();
  });

  async function stored(expr: string): Promise<number | undefined> {
    const url = victoria?.url as string;
    await fetch(`${url}/internal/force_flush`);
    const body = (await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as {
      data: { result: { value: [number, string] }[] };
    };
    const first = body.data.result[0];
    return first === undefined ? undefined : Number(first.value[1]);
  }

  it('delivers the values recorded while the receiver was down, and counts the failures', async () => {
    const port = await freePort();
    const logger = captureLogger();
    telemetry = await startTelemetry({
      port: 0,
      logger,
      serviceName: 'genesis-outage',
      otlp: {
        endpoint: `http://127.0.0.1:${port}/opentelemetry/v1/metrics`,
        exportIntervalMillis: 500,
        exportTimeoutMillis: 500,
        timeoutMillis: 400,
      },
    });
    const endpoint = telemetry.url as string;
    const failures = async () =>
      value((await scrape(endpoint)).families, FAILURES, { exporter: 'otlp_http_protobuf', reason: 'network' }) ?? 0;

    // Down: record, and let several exports fail. Nothing may throw or reject anywhere.
    const escaped: unknown[] = [];
    const keep = (error: unknown) => escaped.push(error);
    process.on('uncaughtException', keep).on('unhandledRejection', keep);
    for (let i = 0; i < 5; i += 1) telemetry.metrics.safetyViolation();
    telemetry.metrics.businessCreated({ businessType: 'newsletter', status: 'success', durationSeconds: 30, taskCount: 4, teamSize: 2 });
    await waitFor('three failed exports', async () => ((await failures()) >= 3 ? true : undefined));
    const before = await failures();
    await telemetry.forceFlush(); // resolves although the export fails...
    await waitFor('...and the failure is counted', async () => ((await failures()) > before ? true : undefined));
    process.off('uncaughtException', keep).off('unhandledRejection', keep);
    assert.deepEqual(escaped, []);
    const errors = logger.lines.filter((line) => line.startsWith('error:'));
    assert.ok(errors.length >= 1, 'the failure is logged');
    assert.ok(errors.length <= (await failures()), 'not more than once per failed export');
    assert.match(
      errors[0] ?? '',
      /otlp_http_protobuf to http:\/\/127\.0\.0\.1:\d+\/opentelemetry\/v1\/metrics: export failed \(network: .*ECONNREFUSED/,
    );

    // Up again, on the same port: the cumulative totals from the outage arrive.
    victoria = await startVictoriaMetrics(port);
    const outage = await waitFor(
      'the outage values to arrive',
      async () => ((await stored('genesis_meta_agent_safety_violations_total{service_name="genesis-outage"}')) === 5 ? 5 : undefined),
      { timeoutMs: 30_000 },
    );
    assert.equal(outage, 5);
    assert.equal(
      await stored(
        'genesis_meta_agent_businesses_created_total{service_name="genesis-outage",business_type="newsletter",status="success"}',
      ),
      1,
    );
    await waitFor(
      'the recovery to be logged',
      () => logger.lines.some((line) => /exports succeed again after \d+ failed/.test(line)) || undefined,
    );

    // And what is recorded after the outage adds up.
    telemetry.metrics.safetyViolation();
    await waitFor('the new total', async () =>
      (await stored('genesis_meta_agent_safety_violations_total{service_name="genesis-outage"}')) === 6 ? true : undefined,
    );
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
    assert.match(logger.lines.join('\n'), /the last export before shutdown failed \(timeout: /);
  });
});
