/**
 * The operations kit under deploy/, read as data: the rule files, the promtool
 * tests, the dashboard and the Alertmanager route, and the temporary copies the
 * end-to-end tests run (real targets and ports, absolute paths, short timers).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './processes.ts';
import { metricNames } from './promql-names.ts';

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

export interface ScrapeConfig {
  job_name: string;
  static_configs?: { targets: string[] }[];
  [key: string]: unknown;
}

/**
 * The shipped prometheus.yml, pointed at the test's servers: the agent job
 * scrapes `agentTargets`, the rule files are absolute paths, alerts go to the
 * test's Alertmanager, and everything runs at 1 s. Every other scrape job is
 * kept as shipped, so that a job the kit ships active but whose server the
 * user may not run (the Collector's, once) shows up in the end-to-end test as
 * a target that is down. The result is JSON, which Prometheus reads as YAML.
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
  config.scrape_configs = config.scrape_configs.map((job) =>
    job === agent ? { ...agent, static_configs: [{ targets: options.agentTargets }] } : job,
  );
  return JSON.stringify(config, null, 2);
}

/**
 * A scrape job that prometheus.yml ships commented out (as `# - job_name: <name>`
 * and the lines under it, each commented at the same indentation), uncommented
 * and parsed: what a user gets on uncommenting it. Throws if there is none.
 */
export function commentedOutScrapeJob(name: string): ScrapeConfig {
  const lines = readFileSync(PROMETHEUS_CONFIG, 'utf8').split('\n');
  const start = lines.findIndex((line) => new RegExp(`^\\s*# - job_name: ${name}\\s*$`).test(line));
  if (start < 0) throw new Error(`prometheus.yml has no commented-out ${name} job`);
  const prefix = (lines[start] as string).slice(0, (lines[start] as string).indexOf('#') + 2);
  const block = [lines[start] as string];
  for (const line of lines.slice(start + 1)) {
    // The job's own lines are deeper than its `- `; a comment at the job's level (or a blank line) ends it.
    if (!line.startsWith(`${prefix}  `)) break;
    block.push(line);
  }
  const jobs = parse(block.map((line) => line.slice(prefix.length)).join('\n')) as ScrapeConfig[];
  if (jobs.length !== 1) throw new Error(`the commented-out ${name} block is not one job`);
  return jobs[0] as ScrapeConfig;
}

/**
 * The shipped prometheus.yml with its scrape jobs replaced by `scrapeConfigs`
 * and its rule files made absolute, so that promtool can check it from a
 * temporary folder. JSON, which promtool reads as YAML.
 */
export function prometheusConfigWithJobs(scrapeConfigs: ScrapeConfig[]): string {
  const config = readYaml<{ rule_files: string[]; scrape_configs: ScrapeConfig[] }>(PROMETHEUS_CONFIG);
  config.rule_files = config.rule_files.map((file) => join(DEPLOY, 'prometheus', file));
  config.scrape_configs = scrapeConfigs;
  return JSON.stringify(config, null, 2);
}

/** The shipped prometheus.yml's active scrape jobs. */
export function scrapeJobs(): ScrapeConfig[] {
  return readYaml<{ scrape_configs: ScrapeConfig[] }>(PROMETHEUS_CONFIG).scrape_configs;
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

/** Strings cut out of PromQL (their contents can hold any operator or parenthesis), so the structure can be scanned. */
function withoutStrings(expr: string): string {
  return expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
}

const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;
const FLIPPED: Record<string, string> = { '>': '<', '<': '>', '>=': '<=', '<=': '>=', '==': '==', '!=': '!=' };

/**
 * The threshold of an alert's expression: its one top-level comparison with a
 * number, as `expr <operator> <value>` (a number on the left is turned around:
 * `0.2 < x` is `x > 0.2`). Layout, parentheses and the number's spelling do not
 * matter (`(x)\n  > 2e-1` is `> 0.2`). A `bool` comparison is returned with
 * `bool` in the operator: it yields 0 or 1 for every series, so as an alert it
 * always fires and is not the same threshold. Undefined when the expression has
 * no such comparison, or more than one at the top level.
 */
export function alertThreshold(expr: string): { operator: string; value: number } | undefined {
  // Label matchers (=~, !=) and ranges hold no top-level comparison.
  const text = withoutStrings(expr)
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ');
  const found: { index: number; operator: string }[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (depth === 0) {
      const operator = /^(?:==|!=|>=|<=|>|<)/.exec(text.slice(i))?.[0];
      if (operator !== undefined) {
        found.push({ index: i, operator });
        i += operator.length - 1;
      }
    }
  }
  if (found.length !== 1) return undefined;
  const [{ index, operator }] = found as [{ index: number; operator: string }];
  const unwrap = (side: string): string => {
    let inner = side.trim();
    while (/^\(.*\)$/s.test(inner)) inner = inner.slice(1, -1).trim();
    return inner;
  };
  let right = text.slice(index + operator.length).trim();
  let modifier = '';
  if (/^bool\b/i.test(right)) {
    modifier = ' bool';
    right = right.slice(4);
  }
  const left = unwrap(text.slice(0, index));
  right = unwrap(right);
  if (NUMBER.test(right)) return { operator: operator + modifier, value: Number(right) };
  if (NUMBER.test(left)) return { operator: (FLIPPED[operator] as string) + modifier, value: Number(left) };
  return undefined;
}

/** Aggregations and functions that average or take quantiles of the series they are given. */
const AVERAGING = /\b(avg_over_time|avg|quantile_over_time|quantile)\s*(?:(?:by|without)\s*\([^)]*\)\s*)?\(/g;

/**
 * Where `expr` averages (avg, avg_over_time) or takes a quantile (quantile,
 * quantile_over_time) of a histogram's series: its family name (which has no
 * series at all: the old `avg(genesis_meta_agent_team_size)`) or its _bucket,
 * _sum or _count series (averaging those mixes bucket counters, or is a mean of
 * per-series sums, never the histogram's mean). `families` are the histograms'
 * family names. Each finding reads `function(series)`. The mean is
 * sum(rate(_sum)) / sum(rate(_count)), and quantiles come from
 * histogram_quantile, which neither pattern matches.
 */
export function histogramAverages(expr: string, families: readonly string[]): string[] {
  const histogramSeries = new Set(families.flatMap((family) => [family, `${family}_bucket`, `${family}_sum`, `${family}_count`]));
  const text = withoutStrings(expr);
  const findings: string[] = [];
  for (const match of text.matchAll(AVERAGING)) {
    // The argument runs from the opening parenthesis to its match.
    const open = (match.index ?? 0) + match[0].length - 1;
    let depth = 0;
    let close = open;
    for (; close < text.length; close++) {
      if (text[close] === '(') depth++;
      else if (text[close] === ')' && --depth === 0) break;
    }
    for (const name of metricNames(text.slice(open + 1, close))) {
      if (histogramSeries.has(name)) findings.push(`${match[1]}(${name})`);
    }
  }
  return findings;
}
