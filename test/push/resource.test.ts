/**
 * The resource that tells pushed replicas apart: service.name and
 * service.instance.id, by the documented precedence (the dedicated options,
 * then resourceAttributes, then OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES,
 * then the defaults), and an instance id generated only when none is given.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildResource, DEFAULT_SERVICE_NAME, startTelemetry } from '../../src/sdk.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { scrape } from '../support/exposition.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function identity(options: Parameters<typeof buildResource>[0], env: NodeJS.ProcessEnv = {}) {
  const { attributes } = buildResource(options, env);
  return { name: attributes['service.name'], instance: attributes['service.instance.id'] };
}

const ENV = {
  OTEL_SERVICE_NAME: 'env-name',
  OTEL_RESOURCE_ATTRIBUTES: 'service.name=env-attribute-name,service.instance.id=env-instance,deployment.environment=staging',
};

describe('the resource', () => {
  it('defaults to genesis-meta-agent and a fresh random instance id per pipeline', () => {
    const first = identity({});
    assert.equal(first.name, DEFAULT_SERVICE_NAME);
    assert.match(String(first.instance), UUID);
    assert.notEqual(identity({}).instance, first.instance, 'two replicas never share a generated id');
  });

  it('takes the environment when nothing else is given, OTEL_SERVICE_NAME winning over service.name in OTEL_RESOURCE_ATTRIBUTES', () => {
    assert.deepEqual(identity({}, ENV), { name: 'env-name', instance: 'env-instance' });
    assert.equal(identity({}, { OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attributes' }).name, 'from-attributes');
  });

  it('lets the resourceAttributes option win over the environment, and keeps the instance id it gives', () => {
    const attributes = { 'service.name': 'option-attribute-name', 'service.instance.id': 'option-instance' };
    assert.deepEqual(identity({ attributes }, ENV), { name: 'option-attribute-name', instance: 'option-instance' });
    assert.deepEqual(
      identity({ attributes }),
      { name: 'option-attribute-name', instance: 'option-instance' },
      'not replaced by a random id',
    );
  });

  it('lets serviceName and serviceInstanceId win over everything', () => {
    const attributes = { 'service.name': 'option-attribute-name', 'service.instance.id': 'option-instance' };
    assert.deepEqual(identity({ serviceName: 'svc', serviceInstanceId: 'replica-1', attributes }, ENV), {
      name: 'svc',
      instance: 'replica-1',
    });
    // Each key on its own: the other one still comes from the next layer down.
    assert.deepEqual(identity({ serviceName: 'svc', attributes }, ENV), { name: 'svc', instance: 'option-instance' });
    assert.deepEqual(identity({ serviceInstanceId: 'replica-1' }, ENV), { name: 'env-name', instance: 'replica-1' });
  });

  it('merges the other attributes key by key, over the SDK defaults', () => {
    const { attributes } = buildResource({ attributes: { 'deployment.environment': 'production', region: 'eu' } }, ENV);
    assert.equal(attributes['deployment.environment'], 'production');
    assert.equal(attributes.region, 'eu');
    assert.equal(attributes['telemetry.sdk.language'], 'nodejs');
  });

  it('is what startTelemetry reports: the resourceAttributes option beats OTEL_RESOURCE_ATTRIBUTES on target_info', async () => {
    const telemetry = await startTelemetry({
      port: 0,
      logger: captureLogger(),
      env: { OTEL_RESOURCE_ATTRIBUTES: 'service.instance.id=env-instance' },
      resourceAttributes: { 'service.instance.id': 'option-instance' },
    });
    try {
      const { families } = await scrape(telemetry.url as string);
      const info = families.find((family) => family.name === 'target_info')?.samples[0];
      assert.equal(info?.labels.service_instance_id, 'option-instance');
    } finally {
      await telemetry.shutdown();
    }
  });
});
