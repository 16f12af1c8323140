/** The pure parts of push: the Pushgateway's grouping path and URL, and the reason an export failed. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactUrl } from '../../src/push/export-failure-log.ts';
import { describeExportError, exportFailureReason } from '../../src/push/export-failure-reason.ts';
import { gatewayPath, gatewayUrl } from '../../src/push/pushgateway-path.ts';

describe('the Pushgateway grouping path', () => {
  it('puts job first, then the grouping labels, URL-encoded', () => {
    assert.equal(gatewayPath('nightly'), '/metrics/job/nightly');
    assert.equal(gatewayPath('batch job', { instance: 'host:1', region: 'eu' }), '/metrics/job/batch%20job/instance/host%3A1/region/eu');
  });

  it('sends a value with a slash, or an empty one, base64url-encoded with padding', () => {
    assert.equal(gatewayPath('a/b'), '/metrics/job@base64/YS9i');
    assert.equal(gatewayPath('j', { run: '2026/12/03' }), '/metrics/job/j/run@base64/MjAyNi8xMi8wMw==');
    assert.equal(gatewayPath('j', { dir: '/var/tmp' }), '/metrics/job/j/dir@base64/L3Zhci90bXA=', "the Pushgateway README's own example");
    assert.equal(gatewayPath('j', { odd: 'a/~~' }), '/metrics/job/j/odd@base64/YS9-fg==', 'the URL-safe alphabet: - for +');
    assert.equal(gatewayPath('j', { empty: '' }), '/metrics/job/j/empty@base64/=');
  });

  it('sends . and .. base64url-encoded, so that URL resolution cannot remove them and address another group', () => {
    // Regression: `instance/..` resolved to the job's own group, and a DELETE removed that group instead.
    assert.equal(gatewayPath('nightly', { instance: '..' }), '/metrics/job/nightly/instance@base64/Li4=');
    assert.equal(gatewayPath('nightly', { run: '.' }), '/metrics/job/nightly/run@base64/Lg==');
    assert.equal(gatewayPath('.'), '/metrics/job@base64/Lg==');
    assert.equal(gatewayPath('..', { instance: 'a' }), '/metrics/job@base64/Li4=/instance/a');
    // Only the exact dot segments: other dots and an encoded dot stay plain path text.
    assert.equal(gatewayPath('v1.2', { instance: '...', host: '%2e%2e' }), '/metrics/job/v1.2/instance/.../host/%252e%252e');
    for (const value of ['.', '..', '...', '%2e', '.%2E']) {
      const url = gatewayUrl('http://pg:9091', 'nightly', { instance: value });
      assert.ok(url.startsWith('http://pg:9091/metrics/job/nightly/instance'), `${value} -> ${url}`);
    }
  });

  it("keeps the base URL's path (a reverse proxy, --web.route-prefix) and query", () => {
    assert.equal(gatewayUrl('http://pg:9091', 'j'), 'http://pg:9091/metrics/job/j');
    assert.equal(gatewayUrl('http://pg:9091/', 'j'), 'http://pg:9091/metrics/job/j');
    assert.equal(gatewayUrl('http://proxy/pushgateway', 'j'), 'http://proxy/pushgateway/metrics/job/j');
    assert.equal(gatewayUrl('http://proxy/pushgateway/', 'j', { instance: 'a' }), 'http://proxy/pushgateway/metrics/job/j/instance/a');
    assert.equal(gatewayUrl('https://proxy/a/b/?token=x#frag', 'j'), 'https://proxy/a/b/metrics/job/j?token=x');
    assert.equal(gatewayUrl('http://proxy/pg', '..', { run: '.' }), 'http://proxy/pg/metrics/job@base64/Li4=/run@base64/Lg==');
  });

  it('refuses an empty job and label names Prometheus would not take', () => {
    assert.throws(() => gatewayPath(''), /job must be a non-empty string/);
    assert.throws(() => gatewayPath('j', { 'a-b': 'x' }), /must be a Prometheus label name/);
    assert.throws(() => gatewayPath('j', { __name__: 'x' }), /must be a Prometheus label name/);
    assert.throws(() => gatewayPath('j', { job: 'x' }), /other than job/);
  });
});

describe('why an export failed', () => {
  const withCode = (code: unknown, message = 'failed') => Object.assign(new Error(message), { code });

  it('sorts HTTP statuses from the OTLP exporters (code) and got (response.statusCode)', () => {
    assert.equal(exportFailureReason(withCode(400, 'Bad Request')), 'http_4xx');
    assert.equal(exportFailureReason(withCode(413)), 'http_4xx');
    assert.equal(exportFailureReason(withCode(500)), 'http_5xx');
    assert.equal(exportFailureReason(withCode(501)), 'http_5xx');
  });

  it('sorts the statuses that ask to be tried later (429, 502, 503, 504) apart, whichever exporter got them', () => {
    for (const status of [429, 502, 503, 504]) {
      assert.equal(exportFailureReason(withCode(status)), 'http_retryable', `OTLP ${status}`);
      assert.equal(
        exportFailureReason(Object.assign(new Error('x'), { code: 'ERR_NON_2XX_3XX_RESPONSE', response: { statusCode: status } })),
        'http_retryable',
        `got ${status}`,
      );
    }
  });

  it('recognises the OTLP exporter giving up on a retryable status, which it reports without the status', () => {
    // otlp-exporter-base's OTLPExporterError when every attempt got 429/502/503/504: no code, only this message.
    const exhausted = Object.assign(new Error('Export failed with retryable status'), { name: 'OTLPExporterError', code: undefined });
    assert.equal(exportFailureReason(exhausted), 'http_retryable');
    assert.match(describeExportError(exhausted), /^the receiver answered 429, 502, 503 or 504 \(overloaded or unavailable\)/);
    // The retryable answers that do carry an error are sorted by it.
    assert.equal(exportFailureReason(new Error('Request timed out')), 'timeout');
    assert.equal(exportFailureReason(withCode('ECONNRESET', 'socket hang up')), 'network');
  });

  it('sorts timeouts and network failures', () => {
    assert.equal(exportFailureReason(new Error('Request timed out')), 'timeout');
    assert.equal(exportFailureReason(Object.assign(new Error('x'), { name: 'TimeoutError' })), 'timeout');
    assert.equal(exportFailureReason(withCode('ETIMEDOUT')), 'timeout');
    assert.equal(exportFailureReason(withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1')), 'network');
    assert.equal(exportFailureReason(withCode('ENOTFOUND')), 'network');
    assert.equal(exportFailureReason(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')])), 'network');
  });

  it('calls anything else other', () => {
    assert.equal(exportFailureReason(new Error('Concurrent export limit reached')), 'other');
    assert.equal(exportFailureReason(withCode(302)), 'other');
    assert.equal(exportFailureReason('a string'), 'other');
    assert.equal(exportFailureReason(null), 'other');
  });

  it('describes an error without secrets from the URL', () => {
    assert.equal(describeExportError(withCode(400, 'Bad Request')), 'HTTP 400: Bad Request');
    assert.equal(describeExportError(withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1')), 'connect ECONNREFUSED 127.0.0.1:1');
    assert.equal(redactUrl('https://user:secret@collector:4318/v1/metrics?token=abc'), 'https://collector:4318/v1/metrics');
  });
});
