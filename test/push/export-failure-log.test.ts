/** The failure log's rules, on a real MeterProvider and a fixed clock: what is counted, and how often it is said. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExportFailureLog } from '../../src/push/export-failure-log.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { collect, ownMeterProvider } from '../support/test-reader.ts';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
const timedOut = Object.assign(new Error('no answer within 300 ms'), { name: 'TimeoutError' });

function setup() {
  const logger = captureLogger();
  let now = 0;
  const log = new ExportFailureLog({
    exporter: 'otlp_http_protobuf',
    target: 'http://c:4318/v1/metrics',
    logger,
    logIntervalMillis: 1000,
    now: () => now,
  });
  const own = ownMeterProvider();
  log.attach(own.provider.getMeter('test'));
  const counted = async (reason: string) => {
    const points = (await collect(own.reader)).points.get('genesis_telemetry_export_failures') ?? [];
    return points.find((point) => point.attributes.reason === reason)?.value;
  };
  return { logger, log, counted, advance: (ms: number) => (now += ms) };
}

describe('the export failure log', () => {
  it('says one line per shutdown however many of its exports fail, and counts each', async () => {
    const { logger, log, counted } = setup();
    log.failed(timedOut, 'final'); // the export in flight when shutdown began
    log.failed(timedOut, 'final'); // the last flush, abandoned at the bound
    assert.equal(logger.lines.length, 1, logger.lines.join('\n'));
    assert.match(
      logger.lines[0] ?? '',
      /^error: otlp_http_protobuf to http:\/\/c:4318\/v1\/metrics: the last export before shutdown failed \(timeout: /,
    );
    assert.equal(await counted('timeout'), 2);
  });

  it('says a periodic failure at most once per interval, then how many more there were', async () => {
    const { logger, log, counted, advance } = setup();
    log.failed(refused);
    advance(400);
    log.failed(refused);
    log.failed(refused);
    assert.equal(logger.lines.length, 1);
    advance(600);
    log.failed(refused);
    assert.equal(logger.lines.length, 2);
    assert.match(logger.lines[1] ?? '', /export failed \(network: .*\(2 more failed since the last message\)/);
    assert.equal(await counted('network'), 4);
    log.succeeded();
    assert.match(logger.lines[2] ?? '', /^warn: .*exports succeed again after 4 failed$/);
  });
});
