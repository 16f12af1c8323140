/**
 * otel-collector.yaml, checked by structure (no collector binary runs here):
 * every component a pipeline uses is defined, the receivers listen where the
 * README says, the processors drop nothing the adapter sends, and the
 * environment variable it reads is documented.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/processes.ts';

type Section = Record<string, Record<string, unknown> | null>;
interface CollectorConfig {
  receivers: Section;
  processors: Section;
  exporters: Section;
  extensions: Section;
  service: { extensions: string[]; pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }> };
}

const config = parse(await readFile(join(REPO_ROOT, 'otel-collector.yaml'), 'utf8')) as CollectorConfig;
const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
const scalingOut = readme.slice(readme.indexOf('## Scaling out'));
/** A component id is `type` or `type/name`. */
const typeOf = (id: string) => id.split('/')[0];

describe('otel-collector.yaml', () => {
  it('defines every component its pipelines and service use', () => {
    const pipelines = Object.entries(config.service.pipelines);
    assert.ok(pipelines.length > 0);
    for (const [name, pipeline] of pipelines) {
      for (const kind of ['receivers', 'processors', 'exporters'] as const) {
        for (const id of pipeline[kind]) assert.ok(id in config[kind], `${name}: ${kind} ${id} is not defined`);
      }
    }
    for (const id of config.service.extensions) assert.ok(id in config.extensions, `extension ${id} is not defined`);
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
    for (const port of ['4317', '4318', prometheusPort, healthPort]) {
      assert.ok(scalingOut.includes(`-p ${port}:${port}`), `the README's collector command publishes ${port}`);
    }
    assert.ok(scalingOut.includes(`:4318`), 'the README points the adapter at port 4318');
    assert.match(
      scalingOut,
      new RegExp(`targets: \\['[^']+:${prometheusPort}'\\]`),
      'the README scrape job targets the prometheus exporter',
    );
    assert.match(scalingOut, /otel-collector\.yaml:\/etc\/otelcol-contrib\/config\.yaml/, 'the README mounts this file');
  });

  it('drops nothing the adapter sends: only memory_limiter (first) and batch, with no filtering settings', () => {
    const processors = config.service.pipelines.metrics?.processors ?? [];
    assert.equal(typeOf(processors[0] ?? ''), 'memory_limiter', 'memory_limiter comes first');
    for (const id of processors) {
      assert.ok(['memory_limiter', 'batch'].includes(typeOf(id) ?? ''), `${id} may drop or rewrite data`);
      const settings = JSON.stringify(config.processors[id] ?? {});
      assert.doesNotMatch(settings, /exclude|include|drop|delete|filter|metric_statements/, `${id} filters`);
    }
    const exporter = config.exporters.prometheus as { add_metric_suffixes?: boolean };
    assert.notEqual(exporter.add_metric_suffixes, false, 'suffixes stay on, so names equal the endpoint');
  });
});
