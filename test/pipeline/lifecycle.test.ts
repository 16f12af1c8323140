/**
 * Starting and stopping the pipeline: configuration errors at start that name
 * the option, auth on /metrics, idempotent shutdown, a process that can exit.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGenesisConfigError } from '../../src/index.ts';
import { startTelemetry } from '../../src/sdk.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { startProcess } from '../support/processes.ts';

const quiet = { logger: captureLogger() };

async function rejectsNaming(promise: Promise<unknown>, option: string, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isGenesisConfigError(error), `a GenesisConfigError, not ${String(error)}`);
    assert.equal(error.option, option);
    assert.match(error.message, message);
    return true;
  });
}

describe('starting the pipeline', () => {
  it('reads host and port from OTEL_EXPORTER_PROMETHEUS_HOST / _PORT', async () => {
    const telemetry = await startTelemetry({
      ...quiet,
      env: { OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: '0' },
    });
    assert.equal(telemetry.address?.host, '127.0.0.1');
    assert.ok((telemetry.address?.port ?? 0) > 0);
    await telemetry.shutdown();
  });

  it('fails clearly when the port is taken, naming the port and the option', async () => {
    const first = await startTelemetry({ ...quiet, port: 0, env: {} });
    const port = first.address?.port ?? 0;
    await rejectsNaming(
      startTelemetry({ ...quiet, port, env: {} }),
      'port',
      new RegExp(`port ${port} is already in use.*OTEL_EXPORTER_PROMETHEUS_PORT`),
    );
    await first.shutdown();
  });

  it('takes a port in decimal digits only, whatever else Number() would read', async () => {
    for (const spelling of ['0x0', '0x1F41', '1e3', '+80', '80.0', '0b1', '0o17', '-0', '8 001', '65536']) {
      await rejectsNaming(
        startTelemetry({ ...quiet, env: { OTEL_EXPORTER_PROMETHEUS_PORT: spelling } }),
        'OTEL_EXPORTER_PROMETHEUS_PORT',
        new RegExp(`^OTEL_EXPORTER_PROMETHEUS_PORT must be a port number from 0 to 65535.*\\(got "${spelling.replace('+', '\\+')}"\\)$`),
      );
    }
    await rejectsNaming(startTelemetry({ ...quiet, port: 80.5, env: {} }), 'port', /^port must be a port number/);
    const spaced = await startTelemetry({
      ...quiet,
      env: { OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: ' 0 ' },
    });
    assert.ok((spaced.address?.port ?? 0) > 0, 'surrounding blanks are trimmed');
    await spaced.shutdown();
  });

  it('fails at start on bad configuration, naming the option or variable', async () => {
    await rejectsNaming(
      startTelemetry({ ...quiet, env: { OTEL_EXPORTER_PROMETHEUS_PORT: 'eighty' } }),
      'OTEL_EXPORTER_PROMETHEUS_PORT',
      /must be a port number/,
    );
    await rejectsNaming(startTelemetry({ ...quiet, port: 70_000, env: {} }), 'port', /^port must be a port number from 0 to 65535/);
    await rejectsNaming(
      startTelemetry({ ...quiet, env: { GENESIS_METRICS_ENABLED: 'maybe' } }),
      'GENESIS_METRICS_ENABLED',
      /true or false/,
    );
    await rejectsNaming(startTelemetry({ ...quiet, prot: 1 } as never), 'prot', /unknown option "prot"/);
    await rejectsNaming(startTelemetry({ ...quiet, host: '203.0.113.9', port: 0, env: {} }), 'host', /not an address of this machine/);
    await rejectsNaming(
      startTelemetry({ ...quiet, env: { GENESIS_METRICS_BASIC_AUTH: 'nopassword' } }),
      'GENESIS_METRICS_BASIC_AUTH',
      /username:password/,
    );
    await rejectsNaming(
      startTelemetry({ ...quiet, env: { OTEL_RESOURCE_ATTRIBUTES: 'a=%E0%A4%A' } }),
      'OTEL_RESOURCE_ATTRIBUTES',
      /percent-encoding/,
    );
  });

  it('takes service name and resource attributes from the environment, options first', async () => {
    const telemetry = await startTelemetry({
      ...quiet,
      port: 0,
      serviceInstanceId: 'replica-2',
      env: { OTEL_SERVICE_NAME: 'agent-eu', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod,team=growth%20ops' },
    });
    const text = await (await fetch(telemetry.url as string)).text();
    assert.match(text, /service_name="agent-eu"/);
    assert.match(text, /service_instance_id="replica-2"/);
    assert.match(text, /deployment_environment="prod"/);
    assert.match(text, /team="growth ops"/);
    await telemetry.shutdown();
  });

  it('does nothing and serves nothing when disabled', async () => {
    const logger = captureLogger();
    const telemetry = await startTelemetry({ logger, port: 0, env: { GENESIS_METRICS_ENABLED: 'false' } });
    assert.equal(telemetry.url, undefined);
    assert.equal(telemetry.metrics.enabled, false);
    telemetry.metrics.safetyViolation();
    await telemetry.forceFlush();
    await telemetry.shutdown();
    assert.match(logger.lines.join('\n'), /metrics are disabled/);
  });
});

describe('auth on /metrics', () => {
  it('asks for the bearer token, and leaves /healthz open', async () => {
    const telemetry = await startTelemetry({ ...quiet, port: 0, auth: { bearerToken: 's3cret' }, env: {} });
    const url = telemetry.url as string;
    const refused = await fetch(url);
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('www-authenticate'), 'Bearer realm="metrics"');
    assert.equal((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status, 401);
    assert.equal((await fetch(url, { headers: { authorization: 'Bearer s3cret' } })).status, 200);
    assert.equal((await fetch(url.replace('/metrics', '/healthz'))).status, 200);
    await telemetry.shutdown();
  });

  it('takes basic credentials from GENESIS_METRICS_BASIC_AUTH', async () => {
    const telemetry = await startTelemetry({ ...quiet, port: 0, env: { GENESIS_METRICS_BASIC_AUTH: 'prom:pa:ss' } });
    const url = telemetry.url as string;
    const basic = (credentials: string) => ({ headers: { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` } });
    assert.equal((await fetch(url, basic('prom:pa:ss'))).status, 200);
    assert.equal((await fetch(url, basic('prom:pass'))).status, 401);
    await telemetry.shutdown();
  });
});

describe('stopping the pipeline', () => {
  it('makes shutdown() and forceFlush() safe to call twice, and after each other', async () => {
    const telemetry = await startTelemetry({ ...quiet, port: 0, env: {} });
    const url = telemetry.url as string;
    await telemetry.forceFlush();
    await telemetry.forceFlush();
    await Promise.all([telemetry.shutdown(), telemetry.shutdown()]);
    await telemetry.shutdown();
    await telemetry.forceFlush();
    telemetry.metrics.safetyViolation();
    await assert.rejects(fetch(url), 'the endpoint is closed');
  });

  it('closes with a scraper still holding a keep-alive connection', async () => {
    const telemetry = await startTelemetry({ ...quiet, port: 0, env: {} });
    await (await fetch(telemetry.url as string, { keepalive: true })).text();
    const started = Date.now();
    await telemetry.shutdown();
    assert.ok(Date.now() - started < 2000);
  });

  it('never keeps the process alive on its own', async () => {
    const script = [
      "import { startTelemetry } from './src/sdk.ts';",
      'const t = await startTelemetry({ port: 0, env: {} });',
      't.metrics.safetyViolation();',
      "console.log('started', t.url);",
    ].join('\n');
    const child = startProcess(process.execPath, ['--input-type=module', '-e', script]);
    await child.waitForOutput(/started http/);
    const code = await Promise.race([child.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000))]);
    assert.equal(code, 0, child.output());
  });
});
