/**
 * OTLP/HTTP JSON (exporter-metrics-otlp-http) against a real HTTP server that
 * decodes each body by the OTLP JSON mapping: resource, scope, names, values,
 * temporality; the standard variables; failures counted and logged once per
 * interval; the last interval flushed at shutdown.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BUSINESS_METRICS } from '../../src/catalog/business-metrics.ts';
import { otlpPrometheusName, prometheusName } from '../../src/catalog/naming.ts';
import { METER_NAME } from '../../src/index.ts';
import { startTelemetry, type Telemetry } from '../../src/sdk.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { scrape, value } from '../support/exposition.ts';
import { decodeOtlpJson, metricsByName } from '../support/otlp-json.ts';
import { type OtlpJsonReceiver, startOtlpJsonReceiver } from '../support/otlp-json-receiver.ts';
import { waitFor } from '../support/wait.ts';

const FAILURES = 'genesis_telemetry_export_failures_total';

describe('OTLP/HTTP JSON push', () => {
  let receiver: OtlpJsonReceiver;
  before(async () => {
    receiver = await startOtlpJsonReceiver();
  });
  after(() => receiver.close());

  function jsonEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', ...extra };
  }

  async function lastExport(since: number) {
    const got = await waitFor('an export', () => (receiver.received.length > since ? receiver.received.at(-1) : undefined));
    return got;
  }

  it('sends the resource, the scope, every metric and the recorded values, as the standard variables say', async () => {
    receiver.answer(200);
    const telemetry = await startTelemetry({
      port: 0,
      logger: captureLogger(),
      env: jsonEnv({
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20t0ken,x-tenant=genesis',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
        OTEL_SERVICE_NAME: 'agent-json',
        OTEL_RESOURCE_ATTRIBUTES: 'service.instance.id=replica-7,deployment.environment=test',
      }),
    });
    const { metrics } = telemetry;
    metrics.businessCreated({ businessType: 'saas', status: 'success', durationSeconds: 12, taskCount: 7, teamSize: 3 });
    metrics.businessCreated({ businessType: 'saas', status: 'failed', durationSeconds: 40, taskCount: 31, teamSize: 5 });
    metrics.revenueProjected({ businessId: 'biz-1', businessType: 'saas', mrrUsd: 2400, confidence: 0.7 });
    metrics.businessHealth({ businessId: 'biz-1', businessType: 'saas', score: 0.9 });
    metrics.deploymentFinished({ businessType: 'saas', succeeded: true, costUsd: 0.42 });
    metrics.memoryOperation('query', 'success');
    metrics.paymentIntent('success');
    metrics.businessTakenDown({ businessId: 'biz-0', status: 'success' });
    metrics.authFailure('invalid_token');
    metrics.quotaDenied('user-42');
    metrics.safetyViolation();
    const since = receiver.received.length;
    await telemetry.forceFlush();
    const request = await lastExport(since);
    const pulled = await scrape(telemetry.url as string);
    await telemetry.shutdown();

    assert.equal(request.path, '/v1/metrics');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['content-encoding'], 'gzip');
    assert.equal(request.headers.authorization, 'Bearer t0ken');
    assert.equal(request.headers['x-tenant'], 'genesis');

    const decoded = decodeOtlpJson(request.body);
    assert.equal(decoded.length, 1);
    assert.equal(decoded[0]?.resource['service.name'], 'agent-json');
    assert.equal(decoded[0]?.resource['service.instance.id'], 'replica-7');
    assert.equal(decoded[0]?.resource['deployment.environment'], 'test');
    // The SDK's instruments and the per-business producer each bring a scope entry, both the adapter's scope.
    assert.deepEqual([...new Set(decoded[0]?.scopes.map((s) => s.name))], [METER_NAME]);
    const byName = metricsByName(decoded);
    assert.deepEqual(
      BUSINESS_METRICS.map((spec) => spec.name).filter((name) => !byName.has(name)),
      [],
      'every business metric is pushed',
    );

    const created = byName.get('genesis_meta_agent_businesses_created');
    assert.equal(created?.type, 'sum');
    assert.equal(created?.temporality, 2, 'cumulative');
    assert.equal(created?.monotonic, true);
    const createdValue = (status: string) =>
      created?.points.find((p) => p.attributes.business_type === 'saas' && p.attributes.status === status)?.value;
    assert.equal(createdValue('success'), 1);
    assert.equal(createdValue('failed'), 1);
    assert.equal(createdValue('blocked'), 0);

    const duration = byName.get('genesis_meta_agent_execution_duration_seconds');
    assert.equal(duration?.unit, 's');
    const saas = duration?.points.find((p) => p.attributes.business_type === 'saas');
    assert.equal(saas?.count, 2);
    assert.equal(saas?.sum, 52);
    assert.deepEqual(saas?.explicitBounds, [1, 2.5, 5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600]);
    assert.deepEqual(saas?.bucketCounts, [0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0]);

    const mrr = byName.get('genesis_meta_agent_revenue_projected_mrr');
    assert.equal(mrr?.type, 'gauge');
    assert.deepEqual(mrr?.points, [{ attributes: { business_id: 'biz-1' }, value: 2400 }]);
    assert.equal(
      byName.get('genesis_meta_agent_deployment_costs_usd')?.points.find((p) => p.attributes.deployment_type === 'production')?.value,
      0.42,
    );

    // The same names on both paths once Prometheus naming is applied to what was pushed.
    for (const spec of BUSINESS_METRICS) {
      const pushed = byName.get(spec.name);
      assert.ok(pushed);
      const kind = pushed.type === 'sum' ? 'counter' : pushed.type;
      assert.equal(otlpPrometheusName({ name: pushed.name, kind, unit: pushed.unit }), prometheusName(spec));
      assert.ok(
        pulled.families.some((f) => f.name === prometheusName(spec)),
        prometheusName(spec),
      );
    }
  });

  it('pushes delta sums when OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=delta', async () => {
    const telemetry = await startTelemetry({
      port: 0,
      logger: captureLogger(),
      env: jsonEnv({ OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta' }),
    });
    const safety = () => {
      const sum = metricsByName(decodeOtlpJson(receiver.received.at(-1)?.body)).get('genesis_meta_agent_safety_violations');
      return { temporality: sum?.temporality, value: sum?.points[0]?.value };
    };
    telemetry.metrics.safetyViolation();
    telemetry.metrics.safetyViolation();
    let since = receiver.received.length;
    await telemetry.forceFlush();
    await lastExport(since);
    assert.deepEqual(safety(), { temporality: 1, value: 2 });
    telemetry.metrics.safetyViolation();
    since = receiver.received.length;
    await telemetry.forceFlush();
    await lastExport(since);
    assert.deepEqual(safety(), { temporality: 1, value: 1 }, 'only the increment since the last export');
    await telemetry.shutdown();
  });

  it('counts refused exports by reason, logs them once per interval, and flushes the last interval at shutdown', async () => {
    const logger = captureLogger();
    const telemetry = await startTelemetry({ port: 0, logger, env: jsonEnv({ OTEL_METRIC_EXPORT_INTERVAL: '60000' }) });
    const failures = async (reason: string) =>
      value((await scrape(telemetry.url as string)).families, FAILURES, { exporter: 'otlp_http_json', reason });
    assert.equal(await failures('http_4xx'), 0, 'every reason starts at 0');

    receiver.answer(400);
    for (let i = 0; i < 3; i += 1) await telemetry.forceFlush();
    receiver.answer(500);
    await telemetry.forceFlush();
    assert.equal(await failures('http_4xx'), 3);
    assert.equal(await failures('http_5xx'), 1);
    const errors = logger.lines.filter((line) => line.startsWith('error:'));
    assert.equal(errors.length, 1, `one line per interval, got:\n${errors.join('\n')}`);
    assert.match(errors[0] ?? '', /otlp_http_json to http:\/\/127\.0\.0\.1:\d+\/v1\/metrics: export failed \(http_4xx: HTTP 400/);

    receiver.answer(200);
    telemetry.metrics.quotaDenied('user-after-the-outage');
    const since = receiver.received.length;
    await telemetry.shutdown();
    const last = metricsByName(decodeOtlpJson((await lastExport(since)).body));
    assert.equal(last.get('genesis_meta_agent_quota_denied')?.points[0]?.attributes.user_id, 'user-after-the-outage');
    assert.match(logger.lines.join('\n'), /exports succeed again after 4 failed/);
  });

  it('counts a receiver that keeps answering 503 (a memory_limiter refusing data) as http_retryable, and says so', async () => {
    const logger = captureLogger();
    // 300 ms: the exporter's first backoff (about 1 s) does not fit, so it gives up after the first answer.
    const telemetry = await startTelemetry({ port: 0, logger, env: jsonEnv({ OTEL_EXPORTER_OTLP_TIMEOUT: '300' }) });
    const failures = async (reason: string) =>
      value((await scrape(telemetry.url as string)).families, FAILURES, { exporter: 'otlp_http_json', reason });
    assert.equal(await failures('http_retryable'), 0, 'the reason is served from the start');
    receiver.answer(503);
    const since = receiver.received.length;
    try {
      await telemetry.forceFlush();
      assert.ok(receiver.received.length > since, 'the receiver answered');
      assert.equal(await failures('http_retryable'), 1);
      assert.equal(await failures('other'), 0, 'not lost in other');
      assert.equal(await failures('http_5xx'), 0);
      const errors = logger.lines.filter((line) => line.startsWith('error:'));
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.match(
        errors[0] ?? '',
        /export failed \(http_retryable: the receiver answered 429, 502, 503 or 504 \(overloaded or unavailable\) to every attempt/,
      );
    } finally {
      receiver.answer(200);
      await telemetry.shutdown();
    }
  });

  it('sends only the configured headers, whatever process.env holds: the options and the given env are all the exporter reads', async () => {
    // Set for this test only: the exporters would merge these headers under the given ones, and fall back to the rest.
    const polluted: NodeJS.ProcessEnv = {
      OTEL_EXPORTER_OTLP_HEADERS: 'x-leaked=process-env,authorization=Bearer%20leaked',
      OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'x-leaked-metrics=process-env',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://127.0.0.1:9/v1/metrics',
      OTEL_EXPORTER_OTLP_TIMEOUT: '1',
    };
    const saved = Object.fromEntries(Object.keys(polluted).map((name) => [name, process.env[name]]));
    Object.assign(process.env, polluted);
    receiver.answer(200);
    try {
      const headersOf = async (options: Parameters<typeof startTelemetry>[0]) => {
        const telemetry = await startTelemetry({ port: 0, logger: captureLogger(), ...options });
        const since = receiver.received.length;
        try {
          telemetry.metrics.safetyViolation();
          await telemetry.forceFlush();
          return (await lastExport(since)).headers;
        } finally {
          await telemetry.shutdown();
        }
      };
      // What Node's HTTP client and the exporter add to every request, whatever the configuration.
      const TRANSPORT = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'user-agent', 'content-type']);
      const configured = (headers: Record<string, unknown>) =>
        Object.keys(headers)
          .filter((name) => !TRANSPORT.has(name))
          .toSorted();

      // Options only, and an empty env: the option's headers, no compression, the option's endpoint (the request arrived).
      const fromOptions = await headersOf({
        env: {},
        otlp: { endpoint: `${receiver.url}/v1/metrics`, protocol: 'http/json', headers: { 'x-intended': 'option' } },
      });
      assert.deepEqual(configured(fromOptions), ['x-intended']);
      assert.equal(fromOptions['x-intended'], 'option');

      // The given env, not process.env: its headers and its compression.
      const fromEnv = await headersOf({
        env: jsonEnv({ OTEL_EXPORTER_OTLP_HEADERS: 'x-from-given-env=1', OTEL_EXPORTER_OTLP_COMPRESSION: 'none' }),
      });
      assert.deepEqual(configured(fromEnv), ['x-from-given-env']);
      assert.equal(process.env.OTEL_EXPORTER_OTLP_HEADERS, polluted.OTEL_EXPORTER_OTLP_HEADERS, 'process.env is left as it was');
    } finally {
      for (const [name, before] of Object.entries(saved)) {
        if (before === undefined) delete process.env[name];
        else process.env[name] = before;
      }
    }
  });

  it('surfaces the failure of the last export at shutdown, which resolves anyway', async () => {
    const logger = captureLogger();
    const telemetry: Telemetry = await startTelemetry({ port: 0, logger, env: jsonEnv({ OTEL_EXPORTER_OTLP_TIMEOUT: '1500' }) });
    receiver.answer(503); // retryable: the exporter retries until its timeout
    const started = Date.now();
    await telemetry.shutdown();
    const took = Date.now() - started;
    receiver.answer(200);
    assert.ok(took < 5000, `bounded by OTEL_EXPORTER_OTLP_TIMEOUT, took ${took} ms`);
    assert.ok(receiver.received.length >= 2, 'it did retry');
    assert.match(logger.lines.join('\n'), /otlp_http_json .*: the last export before shutdown failed/);
  });
});
