/**
 * The real Prometheus, from Debian's packages, installed on first use by the
 * project's own script. Outside CI a missing install skips the tests that need
 * it (with the reason); in CI (CI=true) it fails them.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, REPO_ROOT, startProcess } from './processes.ts';
import { waitFor } from './wait.ts';

const run = promisify(execFile);
export const SERVERS_BIN = join(REPO_ROOT, '.servers', 'root', 'usr', 'bin');

/** Installs the servers (a no-op when done). Returns an error message, or undefined when they are there. */
export async function ensureServers(): Promise<string | undefined> {
  try {
    await run('bash', [join(REPO_ROOT, 'scripts', 'install-servers.sh')], { timeout: 300_000 });
    return undefined;
  } catch (error) {
    const message = `the real servers could not be installed: ${(error as { stderr?: string }).stderr || String(error)}`;
    if (process.env.CI === 'true') throw new Error(message);
    return message;
  }
}

export interface PrometheusServer {
  readonly url: string;
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

export async function startPrometheus(scrapeTargets: Record<string, string>): Promise<PrometheusServer> {
  const dir = await mkdtemp(join(tmpdir(), 'genesis-prometheus-'));
  const jobs = Object.entries(scrapeTargets)
    .map(([job, target]) => `  - job_name: ${job}\n    static_configs:\n      - targets: ['${target}']`)
    .join('\n');
  const config = `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n${jobs}\n`;
  await writeFile(join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const server = startProcess(join(SERVERS_BIN, 'prometheus'), [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
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

export interface MetricsServer {
  readonly url: string;
  stop(): Promise<void>;
}

async function startReadyServer(name: string, command: string, args: (port: number, dir: string) => string[], dir: string) {
  const port = await freePort();
  const server = startProcess(command, args(port, dir));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${name} to be ready`, async () => (await fetch(`${url}/-/ready`)).ok || undefined, { timeoutMs: 30_000 }).catch(
    (error) => {
      void server.stop();
      throw new Error(`${error.message}\n${server.output()}`);
    },
  );
  return {
    url,
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The real Pushgateway, with nothing pushed. */
export async function startPushgateway(): Promise<MetricsServer> {
  const dir = await mkdtemp(join(tmpdir(), 'genesis-pushgateway-'));
  return startReadyServer(
    'the Pushgateway',
    join(SERVERS_BIN, 'prometheus-pushgateway'),
    (port) => [`--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    dir,
  );
}

/** A private mount namespace: as root directly, otherwise inside a user namespace of our own. */
const UNSHARE_MOUNT = process.getuid?.() === 0 ? ['--mount'] : ['--map-root-user', '--mount'];

/**
 * Why the Alertmanager cannot run here, or undefined when it can. It reads its
 * default template from the fixed path /usr/share/prometheus/alertmanager/ and
 * exits without it; the extracted package provides it only through a private
 * mount namespace (`unshare`), which changes nothing on the machine.
 */
export function alertmanagerUnavailable(): string | undefined {
  const probe = spawnSync('unshare', [...UNSHARE_MOUNT, 'true']);
  if (probe.status === 0) return undefined;
  const message = `the Alertmanager needs its template mounted privately, and unshare ${UNSHARE_MOUNT.join(' ')} failed: ${probe.stderr?.toString() || probe.error}`;
  if (process.env.CI === 'true') throw new Error(message);
  return message;
}

/** The real Alertmanager, clustering off, with a route to a receiver that does nothing. */
export async function startAlertmanager(): Promise<MetricsServer> {
  const dir = await mkdtemp(join(tmpdir(), 'genesis-alertmanager-'));
  await writeFile(join(dir, 'alertmanager.yml'), 'route:\n  receiver: none\nreceivers:\n  - name: none\n');
  const share = join(REPO_ROOT, '.servers', 'root', 'usr', 'share');
  const binary = join(SERVERS_BIN, 'prometheus-alertmanager');
  return startReadyServer(
    'the Alertmanager',
    'unshare',
    (port) => [
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      // The overlay puts the package's usr/share over the machine's, inside this process's own mount namespace only.
      `mount -t overlay overlay -o "lowerdir=$0:/usr/share" /usr/share && exec "$1" "$2" "$3" "$4" --cluster.listen-address= --log.level=warn`,
      share,
      binary,
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    dir,
  );
}
