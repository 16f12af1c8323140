/** What a benchmark ran on: quoted with every result, since absolute times drift between machines and runs. */

import { createRequire } from 'node:module';
import { cpus, totalmem } from 'node:os';

const require = createRequire(import.meta.url);

function version(pkg: string): string {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'absent';
  }
}

export function describeMachine(packages: readonly string[]): string {
  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  const libraries = packages.map((pkg) => `${pkg} ${version(pkg)}`).join(', ');
  return `Node ${process.versions.node}, ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB; ${libraries}`;
}
