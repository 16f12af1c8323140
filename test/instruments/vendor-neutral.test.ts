/**
 * The instruments on a MeterProvider the application built itself, without
 * the library's pipeline: the vendor-neutral path.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Histogram, MeterProvider } from '@opentelemetry/sdk-metrics';
import { BUSINESS_METRICS } from '../../src/catalog/business-metrics.ts';
import { createGenesisMetrics } from '../../src/index.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { collect, ownMeterProvider, pointValue, TestReader } from '../support/test-reader.ts';

describe("the instruments on the application's own MeterProvider", () => {
  it("record through @opentelemetry/api into any SDK, with the catalog's units and buckets", async () => {
    const { provider, reader, businessSeries } = ownMeterProvider();
    const metrics = createGenesisMetrics({ meter: provider.getMeter('my-app'), logger: silentLogger, businessSeries });
    metrics.businessCreated({ businessType: 'saas', status: 'success', durationSeconds: 42, taskCount: 12, teamSize: 4 });
    metrics.revenueProjected({ businessId: 'b-1', businessType: 'saas', mrrUsd: 1500, confidence: 0.7 });
    metrics.quotaDenied('u-9');
    const collected = await collect(reader);

    assert.equal(pointValue(collected, 'genesis_meta_agent_businesses_created', { business_type: 'saas', status: 'success' }), 1);
    assert.equal(pointValue(collected, 'genesis_meta_agent_revenue_projected_mrr', { business_id: 'b-1' }), 1500);
    assert.equal(pointValue(collected, 'genesis_meta_agent_quota_denied', { user_id: 'u-9' }), 1);
    const duration = pointValue(collected, 'genesis_meta_agent_execution_duration_seconds', { business_type: 'saas' }) as Histogram;
    const spec = BUSINESS_METRICS.find((s) => s.name === 'genesis_meta_agent_execution_duration_seconds');
    // Buckets travel as instrument advice, so the application's SDK needs no view of ours.
    assert.deepEqual(duration.buckets.boundaries, spec?.buckets);
    assert.equal(duration.sum, 42);
    assert.equal(collected.units.get('genesis_meta_agent_execution_duration_seconds'), 's');
    await provider.shutdown();
  });

  it("on a Meter alone (no producer), give every histogram the catalog's buckets as advice, which the SDK applies", async () => {
    const reader = new TestReader();
    const provider = new MeterProvider({ readers: [reader] });
    const metrics = createGenesisMetrics({ meter: provider.getMeter('my-app'), logger: silentLogger });
    metrics.businessCreated({ businessType: 'saas', status: 'success', durationSeconds: 42, taskCount: 12, teamSize: 4 });
    const collected = await collect(reader);
    const histograms = BUSINESS_METRICS.filter((spec) => spec.kind === 'histogram');
    assert.ok(histograms.length >= 3);
    for (const spec of histograms) {
      const point = pointValue(collected, spec.name, { business_type: 'saas' }) as Histogram | undefined;
      assert.deepEqual(point?.buckets.boundaries, spec.buckets, spec.name);
    }
    await provider.shutdown();
  });

  it('start every enum-only counter series at 0, so rate() sees the first increment', async () => {
    const { provider, reader } = ownMeterProvider();
    createGenesisMetrics({ meter: provider.getMeter('my-app'), logger: silentLogger });
    const collected = await collect(reader);
    assert.equal(pointValue(collected, 'genesis_meta_agent_businesses_created', { business_type: 'marketplace', status: 'failed' }), 0);
    assert.equal(pointValue(collected, 'genesis_meta_agent_safety_violations'), 0);
    assert.equal(collected.points.get('genesis_meta_agent_businesses_created')?.length, 30);
    assert.equal(collected.points.has('genesis_meta_agent_quota_denied'), false, 'id-labelled counters start empty');
    await provider.shutdown();
  });

  it('time an async creation and record success, failure and a safety block', async () => {
    const { provider, reader } = ownMeterProvider();
    const metrics = createGenesisMetrics({ meter: provider.getMeter('my-app'), logger: silentLogger });
    const result = await metrics.trackBusinessCreation('newsletter', async (run) => {
      run.taskCount = 5;
      run.teamSize = 2;
      return 'made';
    });
    assert.equal(result, 'made');
    await assert.rejects(
      metrics.trackBusinessCreation('newsletter', async () => {
        throw new Error('vercel down');
      }),
      /vercel down/,
    );
    await metrics.trackBusinessCreation('newsletter', (run) => run.block());
    const collected = await collect(reader);
    for (const status of ['success', 'failed', 'blocked']) {
      assert.equal(pointValue(collected, 'genesis_meta_agent_businesses_created', { business_type: 'newsletter', status }), 1, status);
    }
    const duration = pointValue(collected, 'genesis_meta_agent_execution_duration_seconds', { business_type: 'newsletter' }) as Histogram;
    assert.equal(duration.count, 3);
    const sum = duration.sum ?? -1;
    assert.ok(sum >= 0 && sum < 5, `durations are in seconds: ${sum}`);
    assert.equal((pointValue(collected, 'genesis_meta_agent_task_count', { business_type: 'newsletter' }) as Histogram).sum, 5);
    assert.equal(pointValue(collected, 'genesis_meta_agent_lifecycle_events', { event_type: 'creation_blocked' }), 1);
    await provider.shutdown();
  });

  it('keep a deployment success rate per business type from the outcomes', async () => {
    const { provider, reader } = ownMeterProvider();
    const metrics = createGenesisMetrics({ meter: provider.getMeter('my-app'), logger: silentLogger });
    metrics.deploymentFinished({ businessType: 'saas', succeeded: true, costUsd: 0.5 });
    metrics.deploymentFinished({ businessType: 'saas', succeeded: true, costUsd: 0.25, deploymentType: 'preview' });
    metrics.deploymentFinished({ businessType: 'saas', succeeded: false });
    metrics.deploymentFinished({ businessType: 'saas', succeeded: true });
    const collected = await collect(reader);
    assert.equal(pointValue(collected, 'genesis_meta_agent_deployment_success_rate', { business_type: 'saas' }), 0.75);
    assert.equal(pointValue(collected, 'genesis_meta_agent_vercel_deployments', { status: 'attempt' }), 4);
    assert.equal(pointValue(collected, 'genesis_meta_agent_vercel_deployments', { status: 'failed' }), 1);
    assert.equal(pointValue(collected, 'genesis_meta_agent_deployment_costs_usd', { deployment_type: 'production' }), 0.5);
    assert.equal(pointValue(collected, 'genesis_meta_agent_deployment_costs_usd', { deployment_type: 'preview' }), 0.25);
    await provider.shutdown();
  });

  it('do nothing when turned off, by option or GENESIS_METRICS_ENABLED=false', async () => {
    const { provider, reader } = ownMeterProvider();
    for (const metrics of [
      createGenesisMetrics({ meter: provider.getMeter('a'), enabled: false }),
      createGenesisMetrics({ meter: provider.getMeter('b'), env: { GENESIS_METRICS_ENABLED: 'false' } }),
    ]) {
      assert.equal(metrics.enabled, false);
      metrics.businessCreated({ businessType: 'saas', status: 'success', durationSeconds: 1 });
      assert.equal(await metrics.trackBusinessCreation('saas', () => 7), 7, 'the tracked function still runs');
    }
    assert.equal((await collect(reader)).points.size, 0);
    await provider.shutdown();
  });
});

describe('the API-only entry point', () => {
  it('never imports the SDK: the catalog and the recording API depend on @opentelemetry/api alone', async () => {
    const root = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = async (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = await readFile(file, 'utf8');
      for (const [, specifier] of source.matchAll(/(?:from|import)\s+'([^']+)'/g)) {
        if (specifier?.startsWith('.')) await visit(resolve(dirname(file), specifier));
        else if (specifier) packages.add(specifier);
      }
    };
    await visit(root);
    const external = [...packages].filter((name) => !name.startsWith('node:'));
    assert.deepEqual(external, ['@opentelemetry/api']);
    assert.ok(seen.size > 5, `followed ${seen.size} files from ${join('src', 'index.ts')}`);
  });
});
