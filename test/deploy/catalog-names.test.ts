/**
 * Every metric name in the kit comes from the catalog: an expression of the
 * recording rules, the alerts or the dashboard that reads a series the agent
 * does not serve (a typo, a renamed metric, a histogram's family name where
 * only _bucket/_sum/_count exist) fails here. So does an input series of the
 * promtool unit tests: a test fed a name the agent never serves proves a rule
 * on data that cannot exist. Names with a colon must be recording rules the
 * kit defines.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CATALOG } from '../../src/catalog/catalog.ts';
import { prometheusSampleNames } from '../../src/catalog/naming.ts';
import { alertRules, dashboardQueries, recordingRules, ruleTestGroups } from '../support/deploy-kit.ts';
import { metricNames } from '../support/promql-names.ts';

const SAMPLE_NAMES = new Set(CATALOG.flatMap((spec) => prometheusSampleNames(spec)));
/** Series Prometheus writes itself, for every target it scrapes and for alerts. */
const PROMETHEUS_SERIES = new Set([
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
  'ALERTS',
  'ALERTS_FOR_STATE',
]);
const RECORDED = new Set(recordingRules().map((rule) => rule.record));

/** The names in `expr` that are neither the catalog's, Prometheus' own, nor recorded by the kit. */
function unknownNames(expr: string): string[] {
  return metricNames(expr).filter((name) =>
    name.includes(':') ? !RECORDED.has(name) : !SAMPLE_NAMES.has(name) && !PROMETHEUS_SERIES.has(name),
  );
}

describe('metric names in deploy/', () => {
  it('finds the metric names of an expression, and only those', () => {
    assert.deepEqual(metricNames('sum by (le) (rate(a_bucket{le!="1",x=~"b{c}"}[5m] offset 1h))'), ['a_bucket']);
    assert.deepEqual(metricNames('histogram_quantile(0.95, sum(rate(h_bucket[1m])) by (le)) * 1e3'), ['h_bucket']);
    assert.deepEqual(metricNames('x / ignoring(status) group_left(y) z or on() vector(0)'), ['x', 'z']);
    assert.deepEqual(metricNames('genesis:a:rate5m{status="failed"} > 0.5 and bool up == 0'), ['genesis:a:rate5m', 'up']);
  });

  it('flags the faulty queries users were handed before', () => {
    // A histogram has no series under its family name: avg() of it averaged nothing meaningful.
    assert.deepEqual(unknownNames('avg(genesis_meta_agent_team_size)'), ['genesis_meta_agent_team_size']);
    assert.deepEqual(unknownNames('sum(rate(genesis_meta_agent_deployment_costs_total_usd[5m]))'), [
      'genesis_meta_agent_deployment_costs_total_usd',
    ]);
    assert.deepEqual(unknownNames('genesis:not_defined:rate5m'), ['genesis:not_defined:rate5m']);
  });

  it('recording rules read only catalog metrics, and every rule reads at least one', () => {
    for (const rule of recordingRules()) {
      assert.deepEqual(unknownNames(rule.expr), [], rule.record);
      assert.ok(
        metricNames(rule.expr).some((name) => SAMPLE_NAMES.has(name)),
        `${rule.record} reads a metric of the catalog`,
      );
    }
  });

  it('alerts read only catalog metrics, recorded series and up', () => {
    for (const rule of alertRules()) assert.deepEqual(unknownNames(rule.expr), [], rule.alert);
  });

  it('dashboard queries read only catalog metrics, recorded series and scrape series', () => {
    const queries = dashboardQueries();
    assert.ok(queries.length > 20);
    for (const { panel, expr } of queries) assert.deepEqual(unknownNames(expr), [], `${panel}: ${expr}`);
  });

  it('promtool unit tests feed only catalog metrics and up, and expect only recorded series', () => {
    const groups = ruleTestGroups();
    const inputs = groups.flatMap((group) => (group.input_series ?? []).map((input) => ({ file: group.file, series: input.series })));
    assert.ok(inputs.length > 50, `${inputs.length} input series`);
    for (const { file, series } of inputs) {
      const names = metricNames(series);
      assert.equal(names.length, 1, `${file}: ${series}`);
      assert.deepEqual(unknownNames(series), [], `${file}: ${series}`);
      assert.ok(!names[0]?.includes(':'), `${file}: ${series} is an input, not a recorded series`);
    }
    for (const group of groups) {
      for (const test of group.promql_expr_test ?? []) {
        assert.deepEqual(unknownNames(test.expr), [], `${group.file}: ${test.expr}`);
        for (const { labels } of test.exp_samples ?? []) assert.deepEqual(unknownNames(labels), [], `${group.file}: ${labels}`);
      }
    }
  });

  it('names each recording rule level:metric:operations under genesis:', () => {
    for (const name of RECORDED) assert.match(name, /^genesis:[a-z0-9_]+:[a-z0-9_]+$/);
  });
});
