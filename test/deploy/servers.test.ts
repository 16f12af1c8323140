/**
 * When a real server is missing, the tests that need it skip outside CI and
 * fail in CI: which runs count as CI.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../support/processes.ts';
import { isCi } from '../support/servers.ts';

describe('CI detection of the real-server tests', () => {
  it('counts any value of CI as CI except empty and false', () => {
    for (const value of ['true', 'TRUE', '1', 'yes', 'woodpecker']) assert.equal(isCi({ CI: value }), true, value);
    for (const value of [undefined, '', '  ', 'false', 'False']) assert.equal(isCi({ CI: value }), false, String(value));
  });

  it('is set by .ci/run, before the exact test command', () => {
    const script = readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8');
    const exported = script.indexOf('\nexport CI=true\n');
    assert.ok(exported > 0, 'exports CI=true');
    assert.ok(script.indexOf('\nnpm ci && npm test\n') > exported, 'then runs npm ci && npm test');
  });
});
