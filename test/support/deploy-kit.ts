/**
 * The operations kit under deploy/, read as data: the rule files, the promtool
 * tests, the dashboard and the Alertmanager route, and the temporary copies the
 * end-to-end tests run (real targets and ports, absolute paths, short timers).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './processes.ts';

export const DEPLOY = join(REPO_ROOT, 'deploy');
export const PROMETHEUS_CONFIG = join(DEPLOY, 'prometheus', 'prometheus.yml');
export const RECORDING_RULES = join(DEPLOY, 'prometheus', 'recording-rules.yml');
export const ALERTS = join(DEPLOY, 'prometheus', 'alerts.yml');
export const RULE_TESTS = join(DEPLOY, 'prometheus', 'tests');
export const ALERTMANAGER_CONFIG = join(DEPLOY, 'alertmanager', 'alertmanager.yml');
export const DASHBOARD = join(DEPLOY, 'grafana', 'genesis-meta-agent.json');

/** The scrape job of the agent's own endpoint, as named in prometheus.yml and matched by the alerts. */
export const AGENT_JOB = 'genesis-meta-agent';

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}
export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}
interface RuleFile<R> {
  groups: { name: string; rules: R[] }[];
}

export function readYaml<T>(path: string): T {
  return parse(readFileSync(path, 'utf8')) as T;
}

export function recordingRules(): RecordingRule[] {
  return readYaml<RuleFile<RecordingRule>>(RECORDING_RULES).groups.flatMap((group) => group.rules);
}

export function alertRules(): AlertRule[] {
  return readYaml<RuleFile<AlertRule>>(ALERTS).groups.flatMap((group) => group.rules);
}

export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  fieldConfig?: { defaults?: { unit?: string } };
  targets?: { expr: string; refId: string; datasource?: { type: string; uid: string } }[];
  panels?: DashboardPanel[];
}
export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: DashboardPanel[];
  templating: { list: { name: string; type: string; query: string }[] };
}

export function dashboard(): Dashboard {
  return JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
}

/**
 * Every panel of the dashboard, rows included, in order: the top-level ones
 * and, after each row, the panels a collapsed row keeps in its own `panels`
 * (Grafana moves them there when the row is collapsed in the editor).
 */
export function allPanels(board: Dashboard = dashboard()): DashboardPanel[] {
  return board.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** Every query of every panel, nested ones included, with the panel it belongs to. */
export function dashboardQueries(board: Dashboard = dashboard()): { panel: string; expr: string }[] {
  return allPanels(board).flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })));
}

/** One test group of a promtool unit-test file, as far as the kit's tests read it. */
export interface RuleTestGroup {
  input_series?: { series: string; values: string }[];
  promql_expr_test?: { expr: string; exp_samples?: { labels: string }[] }[];
  alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[];
}

/** The test groups of every promtool unit-test file under deploy/prometheus/tests/, with the file each comes from. */
export function ruleTestGroups(): (RuleTestGroup & { file: string })[] {
  return readdirSync(RULE_TESTS)
    .filter((name) => name.endsWith('.yml'))
    .flatMap((file) => readYaml<{ tests: RuleTestGroup[] }>(join(RULE_TESTS, file)).tests.map((group) => ({ ...group, file })));
}

/**
 * The shipped alerts with every `for:` set to `forDuration`: the end-to-end
 * test cannot wait the real 2-10 minutes. Expressions, labels and annotations
 * stay as shipped.
 */
export function alertsWithShortFor(forDuration: string): string {
  const file = readYaml<RuleFile<AlertRule>>(ALERTS);
  for (const group of file.groups) for (const rule of group.rules) rule.for = forDuration;
  return JSON.stringify(file, null, 2);
}

interface ScrapeConfig {
  job_name: string;
  static_configs?: { targets: string[] }[];
  [key: string]: unknown;
}

/**
 * The shipped prometheus.yml, pointed at the test's servers: the agent job
 * scrapes `agentTargets`, the rule files are absolute paths, alerts go to the
 * test's Alertmanager, and everything runs at 1 s. The collector job is
 * dropped: no OpenTelemetry Collector runs on these machines (its target would
 * only be down). The result is JSON, which Prometheus reads as YAML.
 */
export function testPrometheusConfig(options: { agentTargets: string[]; ruleFiles: string[]; alertmanager: string }): string {
  const config = readYaml<{
    global: Record<string, string>;
    rule_files: string[];
    alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
    scrape_configs: ScrapeConfig[];
  }>(PROMETHEUS_CONFIG);
  config.global = { ...config.global, scrape_interval: '1s', evaluation_interval: '1s' };
  config.rule_files = options.ruleFiles;
  config.alerting = { alertmanagers: [{ static_configs: [{ targets: [options.alertmanager] }] }] };
  const agent = config.scrape_configs.find((job) => job.job_name === AGENT_JOB);
  if (agent === undefined) throw new Error(`prometheus.yml has no ${AGENT_JOB} job`);
  config.scrape_configs = [{ ...agent, static_configs: [{ targets: options.agentTargets }] }];
  return JSON.stringify(config, null, 2);
}

interface AlertmanagerRoute {
  receiver?: string;
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: AlertmanagerRoute[];
  [key: string]: unknown;
}

/**
 * The shipped alertmanager.yml with the routing kept as is, every receiver's
 * webhook pointed at `${receiverUrl}/<receiver name>`, and the grouping timers
 * at 0-1 s so that a test sees the notification at once.
 */
export function testAlertmanagerConfig(receiverUrl: string): string {
  const config = readYaml<{
    route: AlertmanagerRoute;
    receivers: { name: string; webhook_configs?: { url: string }[] }[];
    [key: string]: unknown;
  }>(ALERTMANAGER_CONFIG);
  const quicken = (route: AlertmanagerRoute): void => {
    if (route.group_wait !== undefined || route === config.route) route.group_wait = '0s';
    if (route.group_interval !== undefined || route === config.route) route.group_interval = '1s';
    for (const child of route.routes ?? []) quicken(child);
  };
  quicken(config.route);
  for (const receiver of config.receivers) {
    receiver.webhook_configs = (receiver.webhook_configs ?? []).map((hook) => ({ ...hook, url: `${receiverUrl}/${receiver.name}` }));
  }
  return JSON.stringify(config, null, 2);
}
