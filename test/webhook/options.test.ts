/** Configuration: environment variables, defaults, and errors that name the variable. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isGenesisConfigError } from '../../src/config/config-error.ts';
import { createDashboardNotifier } from '../../src/webhook/dashboard-notifier.ts';
import { NOTIFIER_DEFAULTS, resolveNotifierSettings } from '../../src/webhook/notifier-options.ts';
import { defaultOutboxDir } from '../../src/webhook/outbox-location.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { tempOutbox } from './support.ts';

function configError(run: () => unknown, option: string, message: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(isGenesisConfigError(error), String(error));
    assert.equal(error.option, option);
    assert.match(error.message, message);
    return true;
  });
}

describe('notifier options', () => {
  it('without a URL nothing is sent, and one debug line says so', () => {
    const logger = captureLogger();
    const notifier = createDashboardNotifier({ env: {}, logger });
    assert.equal(notifier.enabled, false);
    assert.equal(notifier.notify({ business_id: 'b', update_type: 'deployed', data: {}, timestamp: '' }), undefined);
    assert.deepEqual(logger.lines, ['debug: GENESIS_DASHBOARD_URL is not set: dashboard events are not sent']);
  });

  it('keeps the behaviour users rely on by default: 3 attempts from 0.5 s, 5 s timeout', () => {
    const settings = resolveNotifierSettings({ env: { GENESIS_DASHBOARD_URL: 'https://dash.example.com/' } });
    assert.equal(settings.url, 'https://dash.example.com');
    assert.equal(settings.maxRetries, 3);
    assert.equal(settings.baseDelayMs, 500);
    assert.equal(settings.timeoutMs, 5000);
    assert.equal(settings.outbox, defaultOutboxDir({}));
    assert.deepEqual(settings.secrets, []);
    assert.equal(settings.concurrency, NOTIFIER_DEFAULTS.concurrency);
  });

  it('reads every GENESIS_DASHBOARD_* variable', () => {
    const settings = resolveNotifierSettings({
      env: {
        GENESIS_DASHBOARD_URL: 'http://127.0.0.1:9',
        GENESIS_DASHBOARD_MAX_RETRIES: '5',
        GENESIS_DASHBOARD_WEBHOOK_SECRET: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=, older-raw-secret',
        GENESIS_DASHBOARD_TIMEOUT_MS: '2500',
        GENESIS_DASHBOARD_OUTBOX: '/tmp/somewhere',
        GENESIS_DASHBOARD_OUTBOX_MAX_AGE_HOURS: '2',
        GENESIS_DASHBOARD_OUTBOX_FSYNC: 'true',
        GENESIS_DASHBOARD_CONCURRENCY: '4',
      },
    });
    assert.equal(settings.maxRetries, 5);
    assert.deepEqual(settings.secrets, ['whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=', 'older-raw-secret']);
    assert.equal(settings.keys.standard[0]?.export().toString(), 'secret-secret-secret');
    assert.equal(settings.keys.legacy?.export().toString(), 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=');
    assert.equal(settings.timeoutMs, 2500);
    assert.equal(settings.outbox, '/tmp/somewhere');
    assert.equal(settings.outboxMaxAgeMs, 2 * 3600_000);
    assert.equal(settings.outboxFsync, true);
    assert.equal(settings.concurrency, 4);
    assert.equal(resolveNotifierSettings({ env: { GENESIS_DASHBOARD_OUTBOX: 'off' } }).outbox, false);
  });

  it('options win over the environment', () => {
    const settings = resolveNotifierSettings({
      url: 'http://a.example',
      maxRetries: 1,
      env: { GENESIS_DASHBOARD_URL: 'http://b.example', GENESIS_DASHBOARD_MAX_RETRIES: '7' },
    });
    assert.equal(settings.url, 'http://a.example');
    assert.equal(settings.maxRetries, 1);
  });

  it('explains bad values, naming the variable or option', () => {
    configError(
      () => resolveNotifierSettings({ env: { GENESIS_DASHBOARD_URL: 'dashboard:8080' } }),
      'GENESIS_DASHBOARD_URL',
      /http or https/,
    );
    configError(
      () => resolveNotifierSettings({ env: { GENESIS_DASHBOARD_URL: 'not a url' } }),
      'GENESIS_DASHBOARD_URL',
      /absolute http\(s\) URL/,
    );
    configError(() => resolveNotifierSettings({ url: 'http://169.254.169.254/x' }), 'url', /metadata/);
    configError(
      () => resolveNotifierSettings({ env: { GENESIS_DASHBOARD_MAX_RETRIES: 'three' } }),
      'GENESIS_DASHBOARD_MAX_RETRIES',
      /greater than 0/,
    );
    configError(
      () => resolveNotifierSettings({ env: { GENESIS_DASHBOARD_TIMEOUT_MS: '1.5' } }),
      'GENESIS_DASHBOARD_TIMEOUT_MS',
      /whole number/,
    );
    configError(
      () => resolveNotifierSettings({ env: { GENESIS_DASHBOARD_CONCURRENCY: '0' } }),
      'GENESIS_DASHBOARD_CONCURRENCY',
      /greater than 0/,
    );
    configError(
      () => resolveNotifierSettings({ env: { GENESIS_DASHBOARD_OUTBOX_FSYNC: 'maybe' } }),
      'GENESIS_DASHBOARD_OUTBOX_FSYNC',
      /true or false/,
    );
    configError(() => resolveNotifierSettings({ concurency: 3 } as never), 'concurency', /unknown option "concurency"/);
  });

  it('refuses a URL with a query string or fragment, which would land in the middle of the event path', () => {
    for (const url of ['http://dash.example/base?tenant=t-secret', 'http://dash.example/base#part', 'http://dash.example/base?']) {
      configError(
        () => createDashboardNotifier({ env: { GENESIS_DASHBOARD_URL: url }, logger: captureLogger() }),
        'GENESIS_DASHBOARD_URL',
        /GENESIS_DASHBOARD_URL must be the dashboard's base URL, without a query string or fragment .* set GENESIS_DASHBOARD_URL to http:\/\/dash\.example\/base$/,
      );
    }
    configError(() => resolveNotifierSettings({ url: 'https://dash.example/?x=1#y' }), 'url', /without a query string or fragment/);
    assert.throws(
      () => resolveNotifierSettings({ url: 'http://dash.example/base?tenant=t-secret' }),
      (error: Error) => !error.message.includes('t-secret'),
      'the query may carry a token: it is not repeated',
    );
  });

  it('a bad GENESIS_DASHBOARD_OUTBOX_MAX_AGE_HOURS fails at start, naming the variable', () => {
    for (const hours of ['soon', '0', '-2', '1e999']) {
      configError(
        () =>
          createDashboardNotifier({
            env: { GENESIS_DASHBOARD_URL: 'http://127.0.0.1:9', GENESIS_DASHBOARD_OUTBOX_MAX_AGE_HOURS: hours },
            outbox: false,
            logger: captureLogger(),
          }),
        'GENESIS_DASHBOARD_OUTBOX_MAX_AGE_HOURS',
        /GENESIS_DASHBOARD_OUTBOX_MAX_AGE_HOURS must be a number greater than 0/,
      );
    }
    assert.equal(resolveNotifierSettings({ env: { GENESIS_DASHBOARD_OUTBOX_MAX_AGE_HOURS: '0.5' } }).outboxMaxAgeMs, 1_800_000);
  });

  it('reads the event size limit (64 KiB by default) and refuses one that is no size in bytes, naming the variable', () => {
    assert.equal(resolveNotifierSettings({ env: {} }).maxEventBytes, 65_536);
    assert.equal(resolveNotifierSettings({ env: { GENESIS_DASHBOARD_MAX_EVENT_BYTES: '20000' } }).maxEventBytes, 20_000);
    assert.equal(resolveNotifierSettings({ env: { GENESIS_DASHBOARD_MAX_EVENT_BYTES: '20000' }, maxEventBytes: 4096 }).maxEventBytes, 4096);
    const variable = 'GENESIS_DASHBOARD_MAX_EVENT_BYTES';
    configError(() => resolveNotifierSettings({ env: { [variable]: 'big' } }), variable, /must be a number greater than 0/);
    configError(() => resolveNotifierSettings({ env: { [variable]: '1500.5' } }), variable, /whole number/);
    configError(() => resolveNotifierSettings({ env: { [variable]: '64' } }), variable, /is in bytes and must be at least 1024 \(got 64\)/);
    configError(() => resolveNotifierSettings({ env: {}, maxEventBytes: 10 }), 'maxEventBytes', /at least 1024/);
  });

  it('refuses a whsec_ secret that is not base64, without printing it', () => {
    const secret = 'whsec_%%%not-base64%%%';
    assert.throws(
      () => resolveNotifierSettings({ env: { GENESIS_DASHBOARD_WEBHOOK_SECRET: secret } }),
      (error: Error) => error.message.includes('secret #1') && !error.message.includes('not-base64'),
    );
  });

  it('an outbox folder that cannot be created is a configuration error at start', () => {
    const file = join(tempOutbox(), 'a-file');
    writeFileSync(file, '');
    configError(
      () => createDashboardNotifier({ url: 'http://127.0.0.1:9', outbox: join(file, 'outbox'), env: {}, logger: captureLogger() }),
      'GENESIS_DASHBOARD_OUTBOX',
      /cannot be opened/,
    );
  });
});
