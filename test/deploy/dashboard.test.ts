/**
 * The Grafana dashboard, checked as Grafana would read it (Grafana itself is
 * not packaged for these machines; the end-to-end test runs every query on a
 * real Prometheus): a Prometheus datasource variable used by every panel and
 * query, a row per area, units, unique ids, and a grid without overlaps.
 * Panels inside a collapsed row (its `panels`) are checked like the others.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allPanels, type Dashboard, type DashboardPanel, dashboard, dashboardQueries } from '../support/deploy-kit.ts';
import { metricNames } from '../support/promql-names.ts';

const AREAS = [
  'Creation',
  'Performance',
  'Revenue',
  'Deployments',
  'Payments',
  'Security',
  'Takedowns',
  'Dashboard webhook',
  'Adapter health',
];
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's reference to the datasource variable, literally.
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
const GRID_COLUMNS = 24;

function overlaps(a: DashboardPanel['gridPos'], b: DashboardPanel['gridPos']): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/**
 * The panels laid out together: the top level, and each collapsed row's own
 * panels, which Grafana places below the row (shifting what follows) only when
 * it is expanded, so they may share coordinates with later top-level panels.
 */
function layouts(board: Dashboard): DashboardPanel[][] {
  const collapsed = board.panels.filter((panel) => panel.type === 'row' && (panel.panels ?? []).length > 0);
  return [board.panels, ...collapsed.map((row) => row.panels ?? [])];
}

describe('the Grafana dashboard', () => {
  const board = dashboard();
  const rows = board.panels.filter((panel) => panel.type === 'row');
  const panels = allPanels(board).filter((panel) => panel.type !== 'row');

  it('reads the panels inside a collapsed row, and their queries', () => {
    const nested: DashboardPanel = {
      id: 2,
      type: 'timeseries',
      title: 'Inside',
      gridPos: { h: 8, w: 24, x: 0, y: 1 },
      targets: [{ expr: 'genesis:x:rate5m', refId: 'A' }],
    };
    const row: DashboardPanel = { id: 1, type: 'row', title: 'Collapsed', gridPos: { h: 1, w: 24, x: 0, y: 0 }, panels: [nested] };
    const outside: DashboardPanel = { ...nested, id: 3, title: 'Outside', gridPos: { h: 8, w: 24, x: 0, y: 1 } };
    const synthetic = { ...board, panels: [row, outside] };
    assert.deepEqual(
      allPanels(synthetic).map((panel) => panel.title),
      ['Collapsed', 'Inside', 'Outside'],
    );
    assert.deepEqual(
      dashboardQueries(synthetic).map((query) => query.panel),
      ['Inside', 'Outside'],
    );
    assert.deepEqual(
      layouts(synthetic).map((layout) => layout.map((panel) => panel.title)),
      [['Collapsed', 'Outside'], ['Inside']],
      'a collapsed row lays its panels out apart',
    );
  });

  it('is a current-schema dashboard with a fixed uid', () => {
    assert.ok(board.schemaVersion >= 39, `schemaVersion ${board.schemaVersion}`);
    assert.equal(board.uid, 'genesis-meta-agent');
    assert.equal(board.title, 'Genesis Meta-Agent');
  });

  it('has a Prometheus datasource variable that every panel and query uses', () => {
    const variable = board.templating.list.find((v) => v.type === 'datasource');
    assert.deepEqual(variable && { name: variable.name, query: variable.query }, { name: 'datasource', query: 'prometheus' });
    for (const panel of panels) {
      assert.deepEqual(panel.datasource, DATASOURCE, panel.title);
      for (const target of panel.targets ?? []) assert.deepEqual(target.datasource, DATASOURCE, panel.title);
    }
  });

  it('has a row for every area, each with panels under it', () => {
    assert.deepEqual(
      rows.map((row) => row.title),
      AREAS,
    );
    const ordered = board.panels.toSorted((a, b) => a.gridPos.y - b.gridPos.y || a.gridPos.x - b.gridPos.x);
    for (const row of rows) {
      // A collapsed row keeps its panels; an expanded one has them after it, on the top level.
      if ((row.panels ?? []).length > 0) continue;
      const next = ordered[ordered.indexOf(row) + 1];
      assert.ok(next && next.type !== 'row', `row ${row.title} has panels`);
    }
  });

  it('gives every panel a unique id', () => {
    const ids = allPanels(board).map((panel) => panel.id);
    assert.ok(ids.every((id) => Number.isInteger(id) && id > 0));
    assert.equal(new Set(ids).size, ids.length);
  });

  it('places every panel inside the 24-column grid, none overlapping another', () => {
    for (const { title, gridPos } of allPanels(board)) {
      assert.ok(gridPos.x >= 0 && gridPos.y >= 0 && gridPos.w >= 1 && gridPos.h >= 1, title);
      assert.ok(gridPos.x + gridPos.w <= GRID_COLUMNS, `${title} fits in ${GRID_COLUMNS} columns`);
    }
    for (const layout of layouts(board)) {
      for (const [i, a] of layout.entries()) {
        for (const b of layout.slice(i + 1)) assert.ok(!overlaps(a.gridPos, b.gridPos), `"${a.title}" overlaps "${b.title}"`);
      }
    }
  });

  it('sets a unit and at least one query on every panel, with unique refIds', () => {
    for (const panel of panels) {
      assert.ok(panel.fieldConfig?.defaults?.unit, `${panel.title} has a unit`);
      const targets = panel.targets ?? [];
      assert.ok(targets.length > 0, `${panel.title} has a query`);
      assert.equal(new Set(targets.map((t) => t.refId)).size, targets.length, panel.title);
      for (const { expr } of targets) {
        assert.ok(expr.trim().length > 0, panel.title);
        // Queries run verbatim against Prometheus in the end-to-end test: no Grafana variables.
        assert.doesNotMatch(expr, /\$/, panel.title);
      }
    }
  });

  it('is built from the recording rules (raw series only for Prometheus scrape health)', () => {
    for (const panel of panels) {
      for (const { expr } of panel.targets ?? []) {
        const names = metricNames(expr);
        const fromRules = names.some((name) => name.startsWith('genesis:'));
        const scrapeHealth = names.every((name) => name === 'up' || name.startsWith('scrape_'));
        assert.ok(fromRules || scrapeHealth, `${panel.title}: ${expr}`);
      }
    }
  });
});
