/**
 * The package as users get it: it builds, its `exports` map resolves to built
 * JavaScript with types, its bin runs, and its docs and version agree with the
 * sources.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { renderReadme } from '../scripts/render-docs.ts';
import { VERSION } from '../src/version.ts';
import { REPO_ROOT } from './support/processes.ts';

const run = promisify(execFile);
const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8'));

describe('the package', () => {
  it('builds, and its exports map and bin resolve to the built code', { timeout: 120_000 }, async () => {
    await run(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT });
    for (const entry of Object.values(pkg.exports) as ({ types: string; default: string } | string)[]) {
      if (typeof entry === 'string') continue;
      await access(join(REPO_ROOT, entry.types));
      await access(join(REPO_ROOT, entry.default));
    }
    // Self-reference by package name goes through the exports map, as an installed copy would.
    const script = [
      "const api = await import('genesis-telemetry');",
      "const sdk = await import('genesis-telemetry/sdk');",
      'console.log(api.BUSINESS_METRICS.length, typeof api.createGenesisMetrics, typeof sdk.startTelemetry);',
    ].join('\n');
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT });
    assert.equal(stdout.trim(), '17 function function');
    const bin = await run(process.execPath, [join(REPO_ROOT, pkg.bin['genesis-telemetry'])], { cwd: REPO_ROOT });
    assert.match(bin.stdout, /Usage: genesis-telemetry <command>/);
  });

  it('declares the runtime it needs and the API as a peer', () => {
    assert.equal(pkg.engines.node, '>=22.15');
    assert.equal(pkg.type, 'module');
    assert.ok(pkg.peerDependencies['@opentelemetry/api']);
    assert.equal(pkg.dependencies['@opentelemetry/api'], undefined);
    assert.match(pkg.devDependencies.node, /^\^24/);
    assert.equal(process.versions.node.split('.')[0], '24', 'npm scripts run on the pinned Node 24');
  });

  it('reports the version of package.json', () => {
    assert.equal(VERSION, pkg.version);
  });

  it('has a README whose metric tables are generated from the catalog (npm run docs)', async () => {
    const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
    // A plain boolean: the diff of two READMEs would bury the message.
    assert.ok(renderReadme(readme) === readme, 'README.md is out of date: run npm run docs');
  });
});
