/**
 * `npm run bench`: every part of the benchmark suite, one after the other,
 * each in its own process. Results go to bench/results/, which the README's
 * performance figures quote.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PARTS = ['cardinality.ts', 'recording.ts', 'scrape.ts', 'memory.ts', 'startup.ts', 'webhook.ts'];

// `npm run bench -- scrape memory` runs only the parts named.
const only = process.argv.slice(2);
let failed = false;
for (const part of PARTS.filter((name) => only.length === 0 || only.includes(name.replace(/\.ts$/, '')))) {
  console.log(`\n== bench/${part}`);
  const result = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(new URL(part, import.meta.url))], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
