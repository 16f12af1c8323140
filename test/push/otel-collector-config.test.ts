/**
 * otel-collector.yaml, checked by structure (no collector binary runs here):
 * every component a pipeline uses is defined, the receivers listen where the
 * README says, the processors are the few that drop nothing the adapter sends
 * (and turn delta into cumulative, which remote write needs), memory_limiter
 * has what the collector needs to start, both Prometheus exporters keep the
 * adapter's names, and the collector's own metrics are served on 8888.
 * Each rule is a function returning its problems, run on the file and on
 * broken copies of it, so that every rule is shown to be able to fail.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/processes.ts';

type Settings = Record<string, unknown>;
type Section = Record<string, Settings | null>;
interface Pipeline {
  receivers: string[];
  processors?: string[];
  exporters: string[];
}
interface CollectorConfig {
  receivers: Section;
  processors: Section;
  exporters: Section;
  extensions: Section;
  service: { extensions: string[]; telemetry?: Settings; pipelines: Record<string, Pipeline> };
}

const text = await readFile(join(REPO_ROOT, 'otel-collector.yaml'), 'utf8');
const config = parse(text) as CollectorConfig;
const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
const scalingOut = readme.slice(readme.indexOf('## Scaling out'));
/** A component id is `type` or `type/name`. */
const typeOf = (id: string) => id.split('/')[0] ?? '';
/** A broken copy to prove a rule can fail. */
const broken = (change: (copy: CollectorConfig) => void): CollectorConfig => {
  const copy = parse(text) as CollectorConfig;
  change(copy);
  return copy;
};

/** The processors that drop nothing the adapter sends, in the only order that works. */
const ALLOWED_PROCESSORS = ['memory_limiter', 'deltatocumulative', 'batch'];

function definitionProblems(c: CollectorConfig): string[] {
  const problems: string[] = [];
  for (const [name, pipeline] of Object.entries(c.service.pipelines)) {
    for (const kind of ['receivers', 'processors', 'exporters'] as const) {
      for (const id of pipeline[kind] ?? []) if (!(id in (c[kind] ?? {}))) problems.push(`${name}: ${kind} ${id} is not defined`);
    }
  }
  for (const id of c.service.extensions) if (!(id in (c.extensions ?? {}))) problems.push(`extension ${id} is not defined`);
  return problems;
}

function processorProblems(c: CollectorConfig): string[] {
  const problems: string[] = [];
  for (const id of Object.keys(c.processors ?? {})) {
    if (['filter', 'transform'].includes(typeOf(id))) problems.push(`${id} is defined: it can drop or rename what the adapter sends`);
  }
  for (const [name, pipeline] of Object.entries(c.service.pipelines)) {
    const types = (pipeline.processors ?? []).map(typeOf);
    for (const type of types)
      if (!ALLOWED_PROCESSORS.includes(type)) problems.push(`${name}: processor ${type} is not one of ${ALLOWED_PROCESSORS.join(', ')}`);
    if (types[0] !== 'memory_limiter') problems.push(`${name}: memory_limiter must come first, to refuse data before anything holds it`);
    const order = types.map((type) => ALLOWED_PROCESSORS.indexOf(type));
    if (order.some((position, i) => i > 0 && position <= (order[i - 1] ?? -1)))
      problems.push(`${name}: processors out of order: ${types.join(', ')}`);
    // prometheusremotewrite drops non-cumulative monotonic sums and histograms: delta must be turned into cumulative before it.
    if (pipeline.exporters.map(typeOf).includes('prometheusremotewrite') && !types.includes('deltatocumulative')) {
      problems.push(`${name}: remote write without deltatocumulative loses the data of delta users`);
    }
  }
  const delta = c.processors?.deltatocumulative;
  if (delta?.max_streams !== undefined) problems.push('deltatocumulative.max_streams drops new series past the limit');
  return problems;
}

/** A Go duration such as 1s, 500ms or 1m30s, in ms; NaN when it is not one. */
function durationMillis(value: unknown): number {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = typeof value === 'string' ? [...value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)] : [];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== value) return Number.NaN;
  return parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * (units[unit as string] ?? Number.NaN), 0);
}

/** Without a non-zero check_interval and a limit, the collector refuses to start. */
function memoryLimiterProblems(c: CollectorConfig): string[] {
  const limiter = c.processors?.memory_limiter ?? {};
  const problems: string[] = [];
  if (!(durationMillis(limiter.check_interval) > 0))
    problems.push(`memory_limiter.check_interval must be a non-zero duration (got ${limiter.check_interval})`);
  const mib = Number(limiter.limit_mib ?? 0);
  const percentage = Number(limiter.limit_percentage ?? 0);
  if (!(mib > 0) && !(percentage > 0 && percentage <= 100)) problems.push('memory_limiter needs limit_mib or limit_percentage (1-100)');
  return problems;
}

/**
 * Both exporters name metrics by the Prometheus translation: underscores and
 * unit and _total suffixes, which is what the adapter's /metrics serves. Each
 * can turn that off (add_metric_suffixes: false; in newer releases
 * translation_strategy, which wins over add_metric_suffixes when set) or
 * prefix every name (namespace).
 */
function namingProblems(c: CollectorConfig): string[] {
  const problems: string[] = [];
  for (const type of ['prometheus', 'prometheusremotewrite']) {
    const exporter = c.exporters?.[type] ?? {};
    if (exporter.namespace !== undefined) problems.push(`${type}.namespace prefixes every name`);
    if (exporter.translation_strategy !== undefined) {
      if (exporter.translation_strategy !== 'UnderscoreEscapingWithSuffixes') {
        problems.push(`${type}.translation_strategy ${exporter.translation_strategy} changes the names`);
      }
    } else if (exporter.add_metric_suffixes === false) {
      problems.push(`${type}.add_metric_suffixes: false drops _total and the unit suffixes`);
    }
  }
  return problems;
}

function ownMetricsProblems(c: CollectorConfig): string[] {
  const readers = ((c.service.telemetry?.metrics as Settings | undefined)?.readers ?? []) as Settings[];
  const served = readers.some((reader) => {
    const prometheus = ((reader.pull as Settings | undefined)?.exporter as Settings | undefined)?.prometheus as Settings | undefined;
    return prometheus?.host === '0.0.0.0' && prometheus?.port === 8888;
  });
  return served ? [] : ["service.telemetry.metrics must serve the collector's own metrics on 0.0.0.0:8888 (a pull prometheus reader)"];
}

describe('otel-collector.yaml', () => {
  it('defines every component its pipelines and service use', () => {
    assert.ok(Object.keys(config.service.pipelines).length > 0);
    assert.deepEqual(definitionProblems(config), []);
    const undefinedProcessor = broken((c) => c.service.pipelines.metrics?.processors?.push('batch/other'));
    assert.deepEqual(definitionProblems(undefinedProcessor), ['metrics: processors batch/other is not defined']);
    assert.deepEqual(definitionProblems(broken((c) => c.service.extensions.push('pprof'))), ['extension pprof is not defined']);
  });

  it('runs a metrics pipeline from OTLP to a scrape endpoint and to remote write, with health_check', () => {
    const metrics = config.service.pipelines.metrics;
    assert.ok(metrics, 'a metrics pipeline');
    assert.deepEqual(metrics.receivers.map(typeOf), ['otlp']);
    assert.deepEqual(metrics.exporters.map(typeOf).toSorted(), ['prometheus', 'prometheusremotewrite']);
    assert.deepEqual(config.service.extensions.map(typeOf), ['health_check']);
    const remoteWrite = config.exporters.prometheusremotewrite as { endpoint: string };
    const variable = remoteWrite.endpoint.match(/^\$\{env:([A-Z_]+)\}$/)?.[1];
    assert.ok(variable, 'the remote-write endpoint comes from an environment variable');
    assert.ok(scalingOut.includes(variable), `the README's Scaling out section names ${variable}`);
  });

  it('listens for OTLP on gRPC 4317 and HTTP 4318, on every interface, as the README says', () => {
    const protocols = (config.receivers.otlp as { protocols: Record<string, { endpoint: string }> }).protocols;
    assert.equal(protocols.grpc?.endpoint, '0.0.0.0:4317');
    assert.equal(protocols.http?.endpoint, '0.0.0.0:4318');
    const prometheusPort = (config.exporters.prometheus as { endpoint: string }).endpoint.split(':').at(-1) as string;
    const healthPort = (config.extensions.health_check as { endpoint: string }).endpoint.split(':').at(-1) as string;
    const readers = ((config.service.telemetry?.metrics as Settings | undefined)?.readers ?? []) as Settings[];
    const ownMetricsPort = String(
      ((readers[0]?.pull as Settings | undefined)?.exporter as { prometheus?: { port?: number } } | undefined)?.prometheus?.port,
    );
    for (const port of ['4317', '4318', prometheusPort, healthPort, ownMetricsPort]) {
      assert.ok(scalingOut.includes(`-p ${port}:${port}`), `the README's collector command publishes ${port}`);
    }
    assert.ok(scalingOut.includes(':4318'), 'the README points the adapter at port 4318');
    assert.match(
      scalingOut,
      new RegExp(`targets: \\['[^']+:${prometheusPort}'\\]`),
      'the README scrape job targets the prometheus exporter',
    );
    assert.match(scalingOut, /otel-collector\.yaml:\/etc\/otelcol-contrib\/config\.yaml/, 'the README mounts this file');
    assert.match(
      scalingOut,
      /otel\/opentelemetry-collector-contrib:/,
      'the README runs the contrib image, which has deltatocumulative and prometheusremotewrite',
    );
  });

  it('processes with memory_limiter first, deltatocumulative, then batch, and nothing that filters', () => {
    assert.deepEqual(config.service.pipelines.metrics?.processors, ALLOWED_PROCESSORS);
    assert.deepEqual(processorProblems(config), []);
    const pipeline = (c: CollectorConfig) => c.service.pipelines.metrics as Pipeline;
    assert.deepEqual(processorProblems(broken((c) => (pipeline(c).processors = ['memory_limiter', 'batch']))), [
      'metrics: remote write without deltatocumulative loses the data of delta users',
    ]);
    assert.deepEqual(processorProblems(broken((c) => (pipeline(c).processors = ['batch', 'memory_limiter', 'deltatocumulative']))), [
      'metrics: memory_limiter must come first, to refuse data before anything holds it',
      'metrics: processors out of order: batch, memory_limiter, deltatocumulative',
    ]);
    const filtered = broken((c) => {
      c.processors['filter/drop'] = { metrics: { exclude: { match_type: 'regexp', metric_names: ['.*'] } } };
      pipeline(c).processors?.push('filter/drop');
    });
    assert.deepEqual(processorProblems(filtered), [
      'filter/drop is defined: it can drop or rename what the adapter sends',
      'metrics: processor filter is not one of memory_limiter, deltatocumulative, batch',
      'metrics: processors out of order: memory_limiter, deltatocumulative, batch, filter',
    ]);
    const limited = broken((c) => ((c.processors.deltatocumulative as Settings).max_streams = 1000));
    assert.deepEqual(processorProblems(limited), ['deltatocumulative.max_streams drops new series past the limit']);
  });

  it('gives memory_limiter the non-zero check_interval and the limit without which the collector does not start', () => {
    assert.deepEqual(memoryLimiterProblems(config), []);
    const limiter = (c: CollectorConfig) => c.processors.memory_limiter as Settings;
    assert.match(
      memoryLimiterProblems(broken((c) => delete limiter(c).check_interval)).join(),
      /check_interval must be a non-zero duration/,
    );
    assert.match(memoryLimiterProblems(broken((c) => (limiter(c).check_interval = '0s'))).join(), /check_interval/);
    const noLimit = broken((c) => {
      delete limiter(c).limit_percentage;
      delete limiter(c).spike_limit_percentage;
    });
    assert.deepEqual(memoryLimiterProblems(noLimit), ['memory_limiter needs limit_mib or limit_percentage (1-100)']);
    assert.deepEqual(memoryLimiterProblems(broken((c) => (limiter(c).limit_mib = 512))), []);
    assert.equal(durationMillis('1m30s'), 90_000);
    assert.ok(Number.isNaN(durationMillis('1 second')));
  });

  it('keeps the adapter names through both the prometheus and the prometheusremotewrite exporter', () => {
    assert.deepEqual(namingProblems(config), []);
    const exporter = (c: CollectorConfig, type: string) => c.exporters[type] as Settings;
    assert.deepEqual(namingProblems(broken((c) => (exporter(c, 'prometheusremotewrite').add_metric_suffixes = false))), [
      'prometheusremotewrite.add_metric_suffixes: false drops _total and the unit suffixes',
    ]);
    assert.deepEqual(
      namingProblems(broken((c) => (exporter(c, 'prometheus').translation_strategy = 'UnderscoreEscapingWithoutSuffixes'))),
      ['prometheus.translation_strategy UnderscoreEscapingWithoutSuffixes changes the names'],
    );
    assert.deepEqual(namingProblems(broken((c) => (exporter(c, 'prometheus').namespace = 'otel'))), [
      'prometheus.namespace prefixes every name',
    ]);
    // translation_strategy wins over add_metric_suffixes where both are set.
    const both = broken((c) =>
      Object.assign(exporter(c, 'prometheus'), { add_metric_suffixes: false, translation_strategy: 'UnderscoreEscapingWithSuffixes' }),
    );
    assert.deepEqual(namingProblems(both), []);
  });

  it("serves the collector's own metrics on 0.0.0.0:8888", () => {
    assert.deepEqual(ownMetricsProblems(config), []);
    assert.equal(ownMetricsProblems(broken((c) => delete c.service.telemetry)).length, 1);
    const local = broken((c) => {
      const telemetry = c.service.telemetry as { metrics: { readers: { pull: { exporter: { prometheus: Settings } } }[] } };
      for (const reader of telemetry.metrics.readers) reader.pull.exporter.prometheus.host = '127.0.0.1';
    });
    assert.equal(ownMetricsProblems(local).length, 1, '127.0.0.1 is unreachable from outside the container');
  });
});
