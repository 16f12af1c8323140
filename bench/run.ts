/**
 * `npm run bench`: every part of the benchmark suite, one after the other,
 * each in its own process. Results go to bench/results/, which the README's
 * performance figures quote.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PARTS = ['cardinality.ts', 'webhook.ts'];

let failed = false;
for (const part of PARTS) {
  console.log(`\n== bench/${part}`);
  const file = fileURLToPath(new URL(part, import.meta.url));
  const result = spawnSync(process.execPath, ['--expose-gc', file], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
