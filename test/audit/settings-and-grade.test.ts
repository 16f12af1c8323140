/** The pure parts of the audit: flags to settings, and the grade. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveAuditSettings } from '../../src/audit/audit-options.ts';
import { atOrAbove, type Finding } from '../../src/audit/finding.ts';
import { grade } from '../../src/audit/grade.ts';
import { isGenesisConfigError } from '../../src/config/config-error.ts';

describe('resolveAuditSettings', () => {
  it('defaults: the genesis catalog, a table, gate at error, 10 s, budget 1000, no credentials', () => {
    const s = resolveAuditSettings(['http://127.0.0.1:8001/metrics'], {}, {});
    assert.deepEqual([s.format, s.failOn, s.timeoutMs, s.auth, s.context.budgets.default], ['table', 'error', 10_000, undefined, 1000]);
    assert.equal(s.context.catalog?.required.size, 17);
    assert.deepEqual(s.context.catalog?.namespaces, ['genesis_meta_agent_', 'genesis_telemetry_']);
  });

  it('reads a default budget and per-metric budgets; the last default wins', () => {
    const s = resolveAuditSettings(['-'], { budget: ['50', 'a_total=7', '60'], catalog: 'none' }, {});
    assert.equal(s.context.budgets.default, 60);
    assert.equal(s.context.budgets.perMetric.get('a_total'), 7);
    assert.equal(s.context.catalog, undefined);
    assert.throws(() => resolveAuditSettings(['-'], { budget: ['b=9=9'] }, {}), /--budget takes/);
  });

  it("takes credentials from GENESIS_AUDIT_*, never from the endpoint's own GENESIS_METRICS_* variables", () => {
    const url = ['http://127.0.0.1:8001/metrics'];
    assert.deepEqual(resolveAuditSettings(url, {}, { GENESIS_AUDIT_BEARER_TOKEN: 't' }).auth, { bearerToken: 't' });
    assert.deepEqual(resolveAuditSettings(url, {}, { GENESIS_AUDIT_BASIC_AUTH: 'u:p' }).auth, { basicAuth: 'u:p' });
    assert.equal(resolveAuditSettings(url, {}, { GENESIS_METRICS_BEARER_TOKEN: 'agent-secret' }).auth, undefined);
    assert.deepEqual(resolveAuditSettings(url, { 'basic-auth': 'a:b' }, { GENESIS_AUDIT_BEARER_TOKEN: 't' }).auth, { basicAuth: 'a:b' });
    assert.throws(() => resolveAuditSettings(url, {}, { GENESIS_AUDIT_BEARER_TOKEN: 't', GENESIS_AUDIT_BASIC_AUTH: 'u:p' }), /not both/);
  });

  it('refuses each bad flag with a GenesisConfigError that names it and the fix', () => {
    for (const [positionals, flags, message] of [
      [[], {}, /audit takes one source/],
      [['a', 'b'], {}, /audit takes one source/],
      [['-'], { catalog: 'mine' }, /--catalog takes genesis or none/],
      [['-'], { json: true, markdown: true }, /--json or --markdown, not both/],
      [['-'], { 'fail-on': 'fatal' }, /--fail-on takes error, warning, info or never/],
      [['-'], { budget: ['0'] }, /--budget takes <n> or <metric>=<n>/],
      [['-'], { budget: ['x=many'] }, /--budget takes <n> or <metric>=<n>/],
      [['-'], { timeout: '-1' }, /--timeout must be a number greater than 0/],
      [['-'], { 'bearer-token': 't' }, /credentials apply to a URL source only/],
      [['http://127.0.0.1:9/metrics'], { 'basic-auth': 'nocolon' }, /--basic-auth takes user:password/],
      [['http://127.0.0.1:9/metrics'], { 'basic-auth': 'u:p', 'bearer-token': 't' }, /not both/],
    ] as const) {
      assert.throws(
        () => resolveAuditSettings([...positionals], flags, {}),
        (error: unknown) => isGenesisConfigError(error) && message.test(error.message),
        String(message),
      );
    }
  });
});

describe('grade', () => {
  const f = (severity: Finding['severity']): Finding => ({ area: 'naming', rule: 'x', severity, metric: 'm', message: '', fix: '' });

  it('takes 20 per error and 5 per warning off 100; info costs nothing', () => {
    assert.deepEqual(grade([]), { letter: 'A', score: 100, counts: { error: 0, warning: 0, info: 0 } });
    assert.equal(grade([f('info'), f('info')]).letter, 'A');
    assert.deepEqual([grade([f('warning'), f('warning')]).score, grade([f('warning'), f('warning')]).letter], [90, 'A']);
    assert.deepEqual([grade([f('error')]).score, grade([f('error')]).letter], [80, 'B']);
    assert.equal(grade([f('error'), f('error')]).letter, 'C');
    assert.equal(grade([f('error'), f('error'), f('error')]).letter, 'D');
    assert.deepEqual([grade(Array(6).fill(f('error'))).score, grade(Array(6).fill(f('error'))).letter], [0, 'F']);
  });

  it('orders severities for the gate', () => {
    assert.ok(atOrAbove('error', 'warning') && atOrAbove('warning', 'warning') && !atOrAbove('info', 'warning'));
  });
});
