/**
 * The real Prometheus, from Debian's packages, installed on first use by the
 * project's own script. Outside CI a missing install skips the tests that need
 * it (with the reason); in CI (see isCi) it fails them.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, REPO_ROOT, startProcess } from './processes.ts';
import { waitFor } from './wait.ts';

const run = promisify(execFile);
export const SERVERS_BIN = join(REPO_ROOT, '.servers', 'root', 'usr', 'bin');

/**
 * Whether this run is CI, where a test that cannot get its real servers must
 * fail instead of skipping. CI systems set CI to different values (true, 1,
 * yes, the system's name), so any value counts except empty and "false",
 * which say outright that this is not CI.
 */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== 'false';
}

/** Installs the servers (a no-op when done). Returns an error message, or undefined when they are there. */
export async function ensureServers(): Promise<string | undefined> {
  try {
    await run('bash', [join(REPO_ROOT, 'scripts', 'install-servers.sh')], { timeout: 300_000 });
    return undefined;
  } catch (error) {
    const message = `the real servers could not be installed: ${(error as { stderr?: string }).stderr || String(error)}`;
    if (isCi()) throw new Error(message);
    return message;
  }
}

export interface PrometheusServer {
  readonly url: string;
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

export interface PrometheusOptions {
  /** More command-line flags, e.g. --web.enable-remote-write-receiver. */
  readonly flags?: readonly string[];
  /** Keep the scraped series' own job/instance labels (how a Pushgateway is scraped). */
  readonly honorLabels?: boolean;
}

export async function startPrometheus(scrapeTargets: Record<string, string>, options: PrometheusOptions = {}): Promise<PrometheusServer> {
  const honor = options.honorLabels === true ? '\n    honor_labels: true' : '';
  const jobs = Object.entries(scrapeTargets)
    .map(([job, target]) => `  - job_name: ${job}${honor}\n    static_configs:\n      - targets: ['${target}']`)
    .join('\n');
  const config = `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n${jobs === '' ? '  []' : jobs}\n`;
  return startPrometheusWithConfig(config, options.flags);
}

/** A Prometheus on a whole configuration (YAML or JSON); alerts are resent every second. */
export async function startPrometheusWithConfig(config: string, flags: readonly string[] = []): Promise<PrometheusServer> {
  const dir = await mkdtemp(join(tmpdir(), 'genesis-prometheus-'));
  await writeFile(join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const server = startProcess(join(SERVERS_BIN, 'prometheus'), [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--rules.alert.resend-delay=1s',
    '--log.level=warn',
    ...flags,
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitFor('Prometheus to be ready', async () => (await fetch(`${url}/-/ready`)).ok || undefined).catch((error) => {
    throw new Error(`${error.message}\n${server.output()}`);
  });
  return {
    url,
    async query(expr) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await response.json()) as { status: string; error?: string; data: { result: [] } };
      if (body.status !== 'success') throw new Error(`query ${expr} failed: ${body.error}`);
      return body.data.result;
    },
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** promtool, amtool and the like: runs to completion and reports the exit code instead of throwing. */
export async function runServerTool(tool: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(join(SERVERS_BIN, tool), args, { cwd: REPO_ROOT, timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, output: (failed.stdout ?? '') + (failed.stderr ?? '') };
  }
}

export interface AlertmanagerServer {
  readonly url: string;
  /** host:port, as Prometheus' alertmanagers targets want it. */
  readonly address: string;
  stop(): Promise<void>;
}

/** Where Debian's Alertmanager looks for its default template; the path is compiled into the binary. */
const ALERTMANAGER_TEMPLATE = '/usr/share/prometheus/alertmanager/default.tmpl';

/** What every started server offers: where it is, and how to stop it. */
export interface MetricsServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** A private mount namespace: as root directly, otherwise inside a user namespace of our own. */
const UNSHARE_MOUNT = process.getuid?.() === 0 ? ['--mount'] : ['--map-root-user', '--mount'];

/**
 * Why the Alertmanager cannot run here, or undefined when it can: without its
 * template at the fixed path it needs the private mount namespace of
 * startAlertmanager(), so `unshare` must work. Throws in CI.
 */
export function alertmanagerUnavailable(): string | undefined {
  if (existsSync(ALERTMANAGER_TEMPLATE)) return undefined;
  const probe = spawnSync('unshare', [...UNSHARE_MOUNT, 'true']);
  if (probe.status === 0) return undefined;
  const message = `the Alertmanager needs its template mounted privately, and unshare ${UNSHARE_MOUNT.join(' ')} failed: ${probe.stderr?.toString() || probe.error}`;
  if (isCi()) throw new Error(message);
  return message;
}

/** A route to a receiver that does nothing: enough to serve /metrics. */
const QUIET_ALERTMANAGER = 'route:\n  receiver: none\nreceivers:\n  - name: none\n';

/**
 * The real Alertmanager. Debian's build reads its default template from a
 * fixed path under /usr/share (a `templates:` entry in the configuration does
 * not replace it, and without it Alertmanager never gets ready). Unless the
 * machine has the file, Alertmanager runs in a private mount namespace where
 * the extracted .servers/root/usr/share is overlaid on /usr/share: the machine
 * is not changed, and the overlay ends with the process. As root `unshare -m`
 * suffices; otherwise a user namespace maps the caller to root (`-r`).
 */
export async function startAlertmanager(config: string = QUIET_ALERTMANAGER): Promise<AlertmanagerServer> {
  const dir = await mkdtemp(join(tmpdir(), 'genesis-alertmanager-'));
  await writeFile(join(dir, 'alertmanager.yml'), config);
  const binary = join(SERVERS_BIN, 'prometheus-alertmanager');
  const args = [
    `--config.file=${join(dir, 'alertmanager.yml')}`,
    `--storage.path=${join(dir, 'data')}`,
    '--web.listen-address=127.0.0.1:0',
    '--cluster.listen-address=',
    '--log.level=info',
  ];
  const shared = join(SERVERS_BIN, '..', 'share');
  const server = existsSync(ALERTMANAGER_TEMPLATE)
    ? startProcess(binary, args)
    : startProcess('unshare', [
        ...(process.getuid?.() === 0 ? ['--mount'] : ['--mount', '--map-root-user']),
        '--propagation=private',
        'sh',
        '-c',
        'mount -t overlay overlay -o "lowerdir=$0:/usr/share" /usr/share && exec "$@"',
        shared,
        binary,
        ...args,
      ]);
  const failed = (what: string) => (error: Error) => {
    throw new Error(`Alertmanager did not ${what}: ${error.message}\n${server.output()}`);
  };
  const address = (await server.waitForOutput(/msg="Listening on" address=(127\.0\.0\.1:\d+)/).catch(failed('listen')))[1] as string;
  const url = `http://${address}`;
  await waitFor('Alertmanager to be ready', async () => (await fetch(`${url}/-/ready`)).ok || undefined).catch(failed('get ready'));
  return {
    url,
    address,
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A running server from .servers/ with its URL; stop() also removes its data folder. */
export interface RealServer {
  readonly url: string;
  readonly port: number;
  /** Its data folder (temporary unless given). */
  readonly dataDir: string;
  output(): string;
  /** SIGTERM; `keepData` leaves the data folder for a restart on it. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

interface StartOptions {
  /** @default a free one */
  readonly port?: number | undefined;
  /** @default a new temporary folder */
  readonly dataDir?: string | undefined;
  /** Where it answers 200 once ready. */
  readonly readyPath: string;
}

async function startReal(name: string, args: (port: number, dir: string) => string[], options: StartOptions): Promise<RealServer> {
  const dir = options.dataDir ?? (await mkdtemp(join(tmpdir(), `genesis-${name}-`)));
  const chosen = options.port ?? (await freePort());
  const server = startProcess(join(SERVERS_BIN, name), args(chosen, dir));
  const url = `http://127.0.0.1:${chosen}`;
  await waitFor(`${name} to be ready`, async () => (await fetch(`${url}${options.readyPath}`)).ok || undefined, {
    timeoutMs: 30_000,
  }).catch((error) => {
    throw new Error(`${error.message}\n${server.output()}`);
  });
  return {
    url,
    port: chosen,
    dataDir: dir,
    output: server.output,
    async stop({ keepData = false } = {}) {
      await server.stop();
      if (!keepData) await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * VictoriaMetrics single node: a real OTLP/HTTP receiver (protobuf only) at
 * /opentelemetry/v1/metrics, Prometheus naming on. Given a port and the data
 * folder of one stopped with keepData, it is the same server restarted.
 */
export function startVictoriaMetrics(port?: number, dataDir?: string): Promise<RealServer> {
  return startReal(
    'victoria-metrics',
    (p, dir) => [
      `-httpListenAddr=127.0.0.1:${p}`,
      `-storageDataPath=${dir}`,
      '-opentelemetry.usePrometheusNaming',
      '-search.latencyOffset=0s',
      '-loggerLevel=ERROR',
    ],
    { port, dataDir, readyPath: '/health' },
  );
}

/** vmagent receiving OTLP and remote-writing into `remoteWriteUrl` (one queue, so samples arrive in order). */
export function startVmagent(remoteWriteUrl: string): Promise<RealServer> {
  return startReal(
    'vmagent',
    (p, dir) => [
      `-httpListenAddr=127.0.0.1:${p}`,
      `-remoteWrite.url=${remoteWriteUrl}`,
      `-remoteWrite.tmpDataPath=${dir}`,
      '-remoteWrite.queues=1',
      '-remoteWrite.flushInterval=100ms',
      '-opentelemetry.usePrometheusNaming',
      '-loggerLevel=ERROR',
    ],
    { readyPath: '/health' },
  );
}

/**
 * The real Pushgateway; with a `routePrefix` such as "/pg" everything it
 * serves (the push API, /metrics, /-/ready) moves under it, as behind a proxy.
 * `url` is then the base a client is given, prefix included.
 */
export async function startPushgateway({ routePrefix = '' }: { routePrefix?: string } = {}): Promise<RealServer> {
  const server = await startReal(
    'prometheus-pushgateway',
    (p) => [
      `--web.listen-address=127.0.0.1:${p}`,
      '--log.level=warn',
      ...(routePrefix === '' ? [] : [`--web.route-prefix=${routePrefix}`]),
    ],
    { readyPath: `${routePrefix}/-/ready` },
  );
  return { ...server, url: `${server.url}${routePrefix}` };
}
