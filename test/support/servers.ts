/**
 * The real Prometheus, from Debian's packages, installed on first use by the
 * project's own script. Outside CI a missing install skips the tests that need
 * it (with the reason); in CI (CI=true) it fails them.
 */
import { execFile } from 'node:child_process';
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

export interface PrometheusOptions {
  /** More command-line flags, e.g. --web.enable-remote-write-receiver. */
  readonly flags?: readonly string[];
  /** Keep the scraped series' own job/instance labels (how a Pushgateway is scraped). */
  readonly honorLabels?: boolean;
}

export async function startPrometheus(scrapeTargets: Record<string, string>, options: PrometheusOptions = {}): Promise<PrometheusServer> {
  const dir = await mkdtemp(join(tmpdir(), 'genesis-prometheus-'));
  const honor = options.honorLabels === true ? '\n    honor_labels: true' : '';
  const jobs = Object.entries(scrapeTargets)
    .map(([job, target]) => `  - job_name: ${job}${honor}\n    static_configs:\n      - targets: ['${target}']`)
    .join('\n');
  const config = `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n${jobs === '' ? '  []' : jobs}\n`;
  await writeFile(join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const server = startProcess(join(SERVERS_BIN, 'prometheus'), [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
    ...(options.flags ?? []),
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

/** A running server from .servers/ with its URL; stop() also removes its data folder. */
export interface RealServer {
  readonly url: string;
  readonly port: number;
  output(): string;
  stop(): Promise<void>;
}

async function startReal(
  name: string,
  args: (port: number, dir: string) => string[],
  readyPath: string,
  port?: number,
): Promise<RealServer> {
  const dir = await mkdtemp(join(tmpdir(), `genesis-${name}-`));
  const chosen = port ?? (await freePort());
  const server = startProcess(join(SERVERS_BIN, name), args(chosen, dir));
  const url = `http://127.0.0.1:${chosen}`;
  await waitFor(`${name} to be ready`, async () => (await fetch(`${url}${readyPath}`)).ok || undefined, { timeoutMs: 30_000 }).catch(
    (error) => {
      throw new Error(`${error.message}\n${server.output()}`);
    },
  );
  return {
    url,
    port: chosen,
    output: server.output,
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** VictoriaMetrics single node: a real OTLP/HTTP receiver (protobuf only) at /opentelemetry/v1/metrics, Prometheus naming on. */
export function startVictoriaMetrics(port?: number): Promise<RealServer> {
  return startReal(
    'victoria-metrics',
    (p, dir) => [
      `-httpListenAddr=127.0.0.1:${p}`,
      `-storageDataPath=${dir}`,
      '-opentelemetry.usePrometheusNaming',
      '-search.latencyOffset=0s',
      '-loggerLevel=ERROR',
    ],
    '/health',
    port,
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
    '/health',
  );
}

export function startPushgateway(): Promise<RealServer> {
  return startReal('prometheus-pushgateway', (p) => [`--web.listen-address=127.0.0.1:${p}`, '--log.level=warn'], '/-/ready');
}
