/** OTLP push configuration from options and the specification's variables: meaning, defaults, precedence, errors. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isGenesisConfigError } from '../../src/index.ts';
import { appendSignalPath } from '../../src/push/otlp-env.ts';
import { resolveOtlpPush } from '../../src/push/otlp-options.ts';
import { captureLogger } from '../support/capture-logger.ts';

function throwsNaming(fn: () => unknown, option: string, message: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(isGenesisConfigError(error), String(error));
    assert.equal(error.option, option);
    assert.match(error.message, message);
    return true;
  });
}

describe('OTLP push configuration', () => {
  it('is off without an endpoint, and off with otlp: false whatever the environment says', () => {
    assert.equal(resolveOtlpPush(undefined, {}), undefined);
    assert.equal(resolveOtlpPush(false, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }), undefined);
  });

  it('takes the specification defaults: http/protobuf, 60 s interval, 30 s export timeout, 10 s request timeout, cumulative', () => {
    assert.deepEqual(resolveOtlpPush(undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }), {
      url: 'http://collector:4318/v1/metrics',
      protocol: 'http/protobuf',
      headers: {},
      timeoutMillis: 10_000,
      compression: 'none',
      exportIntervalMillis: 60_000,
      exportTimeoutMillis: 30_000,
      temporality: 'cumulative',
      tls: {},
    });
  });

  it("appends v1/metrics to the generic endpoint's path with one slash, keeping its query", () => {
    assert.equal(appendSignalPath('http://c:4318'), 'http://c:4318/v1/metrics');
    assert.equal(appendSignalPath('http://c:4318/'), 'http://c:4318/v1/metrics');
    assert.equal(appendSignalPath('http://c/otlp'), 'http://c/otlp/v1/metrics');
    assert.equal(appendSignalPath('http://c/otlp/'), 'http://c/otlp/v1/metrics');
    assert.equal(appendSignalPath('http://c/otlp//'), 'http://c/otlp/v1/metrics');
    // Regression: the text was appended after the query (http://c:4318?tenant=a/v1/metrics).
    assert.equal(appendSignalPath('http://c:4318?tenant=a'), 'http://c:4318/v1/metrics?tenant=a');
    assert.equal(appendSignalPath('http://c:4318/?tenant=a'), 'http://c:4318/v1/metrics?tenant=a');
    assert.equal(appendSignalPath('https://c/otlp/?tenant=a&x=1'), 'https://c/otlp/v1/metrics?tenant=a&x=1');
    const url = (endpoint: string) => resolveOtlpPush(undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint })?.url;
    assert.equal(url('http://c:4318?tenant=a'), 'http://c:4318/v1/metrics?tenant=a');
    assert.equal(url('http://c:4318/base/'), 'http://c:4318/base/v1/metrics');
    // The signal-specific variable and the option are full URLs, used as given.
    assert.equal(
      resolveOtlpPush(undefined, { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://c:4318/custom?tenant=a' })?.url,
      'http://c:4318/custom?tenant=a',
    );
  });

  it('lets the signal-specific variables win', () => {
    const config = resolveOtlpPush(undefined, {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://generic:4318',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://vm:8429/opentelemetry/v1/metrics',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'HTTP/JSON',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-generic=1',
      OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'authorization=Bearer%20abc, x-tenant = t1',
      OTEL_EXPORTER_OTLP_TIMEOUT: '9000',
      OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '2500',
      OTEL_EXPORTER_OTLP_METRICS_COMPRESSION: 'gzip',
      OTEL_METRIC_EXPORT_INTERVAL: '15000',
      OTEL_METRIC_EXPORT_TIMEOUT: '5000',
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'Delta',
    });
    assert.deepEqual(config, {
      url: 'http://vm:8429/opentelemetry/v1/metrics',
      protocol: 'http/json',
      headers: { 'x-generic': '1', authorization: 'Bearer abc', 'x-tenant': 't1' },
      timeoutMillis: 2500,
      compression: 'gzip',
      exportIntervalMillis: 15_000,
      exportTimeoutMillis: 5000,
      temporality: 'delta',
      tls: {},
    });
  });

  it('lets options win over the environment', () => {
    const config = resolveOtlpPush(
      {
        endpoint: 'http://opt:4318/v1/metrics',
        protocol: 'http/json',
        headers: { a: 'b' },
        exportIntervalMillis: 1000,
        temporality: 'cumulative',
      },
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318',
        OTEL_EXPORTER_OTLP_HEADERS: 'c=d',
        OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
      },
    );
    assert.equal(config?.url, 'http://opt:4318/v1/metrics');
    assert.deepEqual(config?.headers, { a: 'b' });
    assert.equal(config?.temporality, 'cumulative');
    assert.equal(config?.exportTimeoutMillis, 1000, 'the default timeout is clamped to a shorter interval, as the SDK does');
  });

  it('clamps an export timeout longer than the interval to the interval, with one warning naming both', () => {
    // Regression: the default written out (OTEL_METRIC_EXPORT_TIMEOUT=30000) with a 10 s interval failed the start.
    const logger = captureLogger();
    const config = resolveOtlpPush(
      undefined,
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_METRIC_EXPORT_INTERVAL: '10000', OTEL_METRIC_EXPORT_TIMEOUT: '30000' },
      logger,
    );
    assert.equal(config?.exportIntervalMillis, 10_000);
    assert.equal(config?.exportTimeoutMillis, 10_000);
    assert.equal(config?.timeoutMillis, 10_000, 'the request timeout stays within it');
    assert.deepEqual(logger.lines, [
      'warn: OTEL_METRIC_EXPORT_TIMEOUT (30000 ms) exceeds the export interval (10000 ms, OTEL_METRIC_EXPORT_INTERVAL): each export is bounded by the interval instead',
    ]);

    const options = captureLogger();
    const fromOptions = resolveOtlpPush(
      { endpoint: 'http://c:4318/v1/metrics', exportIntervalMillis: 1000, exportTimeoutMillis: 5000 },
      {},
      options,
    );
    assert.equal(fromOptions?.exportTimeoutMillis, 1000);
    assert.match(
      options.lines.join('\n'),
      /^warn: otlp\.exportTimeoutMillis \(5000 ms\) exceeds the export interval \(1000 ms, otlp\.exportIntervalMillis\)/,
    );

    const quiet = captureLogger();
    assert.equal(
      resolveOtlpPush({ endpoint: 'http://c:4318/v1/metrics', exportIntervalMillis: 1000 }, {}, quiet)?.exportTimeoutMillis,
      1000,
    );
    assert.deepEqual(quiet.lines, [], 'a default timeout is clamped silently, as the SDK does');
  });

  it('keeps the request timeout within the export timeout, so the exporter reports its own failure first', () => {
    const config = resolveOtlpPush({ endpoint: 'http://c:4318/v1/metrics', timeoutMillis: 20_000, exportTimeoutMillis: 3000 }, {});
    assert.equal(config?.timeoutMillis, 3000);
  });

  it('reads the certificate files named by the given environment, the signal-specific variable winning', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'genesis-otlp-tls-'));
    try {
      const file = async (name: string) => {
        await writeFile(join(dir, name), `-----BEGIN ${name}-----\n`);
        return join(dir, name);
      };
      const config = resolveOtlpPush(undefined, {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4318',
        OTEL_EXPORTER_OTLP_CERTIFICATE: await file('generic-ca'),
        OTEL_EXPORTER_OTLP_METRICS_CERTIFICATE: await file('metrics-ca'),
        OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: await file('client-cert'),
        OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY: await file('client-key'),
      });
      assert.deepEqual(Object.fromEntries(Object.entries(config?.tls ?? {}).map(([field, pem]) => [field, pem.toString()])), {
        ca: '-----BEGIN metrics-ca-----\n',
        cert: '-----BEGIN client-cert-----\n',
        key: '-----BEGIN client-key-----\n',
      });
      throwsNaming(
        () =>
          resolveOtlpPush(undefined, {
            OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4318',
            OTEL_EXPORTER_OTLP_CLIENT_KEY: join(dir, 'missing.pem'),
          }),
        'OTEL_EXPORTER_OTLP_CLIENT_KEY',
        /cannot read the file ".*missing\.pem" \(ENOENT\)/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('takes otlp.tls as PEM text, each field winning over its variable, and checks it at start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'genesis-otlp-tls-'));
    try {
      const pem = (name: string) => `-----BEGIN ${name}-----\n`;
      await writeFile(join(dir, 'env-ca.pem'), pem('env-ca'));
      await writeFile(join(dir, 'env-cert.pem'), pem('env-cert'));
      await writeFile(join(dir, 'env-key.pem'), pem('env-key'));
      const env = {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4318',
        OTEL_EXPORTER_OTLP_CERTIFICATE: join(dir, 'env-ca.pem'),
        OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: join(dir, 'env-cert.pem'),
        OTEL_EXPORTER_OTLP_CLIENT_KEY: join(dir, 'env-key.pem'),
      };
      const text = (tls: object | undefined) =>
        Object.fromEntries(Object.entries(tls ?? {}).map(([field, value]) => [field, String(value)]));
      // A string and a Buffer; the field not given comes from its variable.
      const config = resolveOtlpPush({ tls: { ca: pem('option-ca'), key: Buffer.from(pem('option-key')) } }, env);
      assert.deepEqual(text(config?.tls), { ca: pem('option-ca'), cert: pem('env-cert'), key: pem('option-key') });
      assert.ok(Buffer.isBuffer(config?.tls.ca), 'strings become Buffers, as https.Agent takes them');
      // Without the variables: only what the option says.
      assert.deepEqual(text(resolveOtlpPush({ endpoint: 'https://c/v1/metrics', tls: { ca: pem('ca') } }, {})?.tls), { ca: pem('ca') });

      const endpoint = 'https://c:4318/v1/metrics';
      throwsNaming(
        () => resolveOtlpPush({ endpoint, tls: { ca: join(dir, 'env-ca.pem') } }, {}),
        'otlp.tls.ca',
        /PEM text .*not a file name.*OTEL_EXPORTER_OTLP_CERTIFICATE/,
      );
      throwsNaming(() => resolveOtlpPush({ endpoint, tls: { cert: 42 } } as never, {}), 'otlp.tls.cert', /a string or a Buffer/);
      throwsNaming(
        () => resolveOtlpPush({ endpoint, tls: { cacert: pem('x') } } as never, {}),
        'cacert',
        /otlp\.tls: unknown option "cacert"/,
      );
      throwsNaming(() => resolveOtlpPush({ endpoint, tls: 'ca.pem' } as never, {}), 'otlp.tls', /must be an object/);
      throwsNaming(
        () => resolveOtlpPush({ endpoint, tls: { cert: pem('cert') } }, {}),
        'otlp.tls.cert',
        /without a client key: mutual TLS needs both; set otlp\.tls\.key or OTEL_EXPORTER_OTLP_CLIENT_KEY/,
      );
      throwsNaming(
        () => resolveOtlpPush(undefined, { ...env, OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: '' }),
        'OTEL_EXPORTER_OTLP_CLIENT_KEY',
        /without a client cert/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses grpc, and every bad value, naming the variable', () => {
    throwsNaming(
      () => resolveOtlpPush(undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }),
      'OTEL_EXPORTER_OTLP_PROTOCOL',
      /grpc is not supported; use http\/protobuf \(the default\) or http\/json/,
    );
    const base = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
    throwsNaming(
      () => resolveOtlpPush(undefined, { ...base, OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'thrift' }),
      'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL',
      /one of http\/protobuf, http\/json/,
    );
    throwsNaming(
      () => resolveOtlpPush(undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }),
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      /http:\/\/ or https:\/\/ URL/,
    );
    throwsNaming(
      () => resolveOtlpPush(undefined, { ...base, OTEL_METRIC_EXPORT_INTERVAL: '1m' }),
      'OTEL_METRIC_EXPORT_INTERVAL',
      /milliseconds/,
    );
    throwsNaming(
      () => resolveOtlpPush(undefined, { ...base, OTEL_EXPORTER_OTLP_TIMEOUT: '-5' }),
      'OTEL_EXPORTER_OTLP_TIMEOUT',
      /greater than 0/,
    );
    throwsNaming(
      () => resolveOtlpPush(undefined, { ...base, OTEL_EXPORTER_OTLP_COMPRESSION: 'zstd' }),
      'OTEL_EXPORTER_OTLP_COMPRESSION',
      /gzip, none/,
    );
    throwsNaming(
      () => resolveOtlpPush(undefined, { ...base, OTEL_EXPORTER_OTLP_HEADERS: 'novalue' }),
      'OTEL_EXPORTER_OTLP_HEADERS',
      /key=value/,
    );
    throwsNaming(() => resolveOtlpPush({}, {}), 'otlp.endpoint', /needs an endpoint/);
    throwsNaming(() => resolveOtlpPush({ endpont: 'x' } as never, {}), 'endpont', /unknown option/);
    throwsNaming(() => resolveOtlpPush('http://c:4318' as never, {}), 'otlp', /must be an object/);
    const endpoint = 'http://c:4318/v1/metrics';
    throwsNaming(() => resolveOtlpPush({ endpoint, protocol: 5 } as never, {}), 'otlp.protocol', /one of http\/protobuf, http\/json/);
    throwsNaming(() => resolveOtlpPush({ endpoint, headers: { a: 1 } } as never, {}), 'otlp.headers', /strings/);
    throwsNaming(() => resolveOtlpPush({ endpoint, exportIntervalMillis: 0.5 }, {}), 'otlp.exportIntervalMillis', /whole number/);
  });
});
