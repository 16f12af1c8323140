/** What a benchmark ran on: quoted with every result, since absolute times drift between machines and runs. */

import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

/** Read from node_modules directly: packages with an exports map refuse `require('<pkg>/package.json')`. */
function version(pkg: string): string {
  try {
    const file = new URL(`../node_modules/${pkg}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'absent';
  }
}

export function describeMachine(packages: readonly string[]): string {
  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  const libraries = packages.map((pkg) => `${pkg} ${version(pkg)}`).join(', ');
  return `Node ${process.versions.node}, ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB; ${libraries}`;
}
