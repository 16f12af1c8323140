import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { otlpPrometheusName, prometheusName, prometheusSampleNames, sanitizeName } from '../../src/catalog/naming.ts';

describe('prometheusName (what the OpenTelemetry Prometheus exporter serves)', () => {
  it('appends _total to counters exactly once', () => {
    assert.equal(prometheusName({ name: 'a_requests', kind: 'counter' }), 'a_requests_total');
    assert.equal(prometheusName({ name: 'a_requests_total', kind: 'counter' }), 'a_requests_total');
  });
  it('leaves gauges and histograms as named, and never appends units', () => {
    assert.equal(prometheusName({ name: 'a_latency_seconds', kind: 'histogram' }), 'a_latency_seconds');
    assert.equal(prometheusName({ name: 'a_size', kind: 'gauge' }), 'a_size');
  });
  it('turns characters Prometheus does not allow into underscores', () => {
    assert.equal(sanitizeName('http.server-duration'), 'http_server_duration');
    assert.equal(prometheusName({ name: 'app.jobs', kind: 'counter' }), 'app_jobs_total');
  });
  it('lists the histogram sample names', () => {
    assert.deepEqual(prometheusSampleNames({ name: 'a_seconds', kind: 'histogram' }), [
      'a_seconds_bucket',
      'a_seconds_sum',
      'a_seconds_count',
    ]);
  });
});

describe('otlpPrometheusName (Prometheus OTLP translation with suffixes)', () => {
  const cases: [Parameters<typeof otlpPrometheusName>[0], string][] = [
    [{ name: 'a_duration', kind: 'histogram', unit: 's' }, 'a_duration_seconds'],
    [{ name: 'a_duration_seconds', kind: 'histogram', unit: 's' }, 'a_duration_seconds'],
    [{ name: 'a_costs', kind: 'counter', unit: 'USD' }, 'a_costs_USD_total'],
    [{ name: 'a_costs_usd', kind: 'counter', unit: '{USD}' }, 'a_costs_usd_total'],
    [{ name: 'a_confidence', kind: 'gauge', unit: '1' }, 'a_confidence_ratio'],
    [{ name: 'a_confidence', kind: 'gauge', unit: '{ratio}' }, 'a_confidence'],
    [{ name: 'a_total_requests', kind: 'counter', unit: '' }, 'a_requests_total'],
    [{ name: 'a.throughput', kind: 'gauge', unit: 'By/s' }, 'a_throughput_bytes_per_second'],
    [{ name: 'a_heap', kind: 'gauge', unit: 'By' }, 'a_heap_bytes'],
  ];
  for (const [spec, expected] of cases) {
    it(`${spec.name} [${spec.unit}] (${spec.kind}) -> ${expected}`, () => {
      assert.equal(otlpPrometheusName(spec), expected);
    });
  }
});
