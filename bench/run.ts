/**
 * `npm run bench`: the benchmark suite, one child process per part so that
 * each starts with a clean heap. Add a part by adding its file here. The
 * comparisons against prom-client and the bare OpenTelemetry SDK come with
 * the performance work.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PARTS = ['webhook.ts'];

let failed = false;
for (const part of PARTS) {
  console.log(`\n== bench/${part}`);
  const file = fileURLToPath(new URL(part, import.meta.url));
  const result = spawnSync(process.execPath, ['--expose-gc', file], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
