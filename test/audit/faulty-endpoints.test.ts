/**
 * Endpoints that misbehave, on real sockets on 127.0.0.1.
 *
 * Two fail after their headers: one sends part of the body, then stalls; one
 * resets the connection mid-body. The exposition is cut short, so the audit
 * exits 2 (input error) with one line naming the URL, never a stack trace
 * and exit 1 (the findings code) nor a report on half an exposition.
 *
 * One answers 200 with an empty body, or with HELP and TYPE lines only: a
 * complete answer with nothing to audit, which must fail the gate (exit 1,
 * the empty-exposition error), with the catalog and without.
 */
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { AuditInputError, loadExposition } from '../../src/audit/load-input.ts';
import { runCli } from '../support/processes.ts';

const PART = '# HELP app_jobs Jobs waiting.\n# TYPE app_jobs gauge\napp_jobs{queue="a"} 1\n';
/** Headers that promise more body than PART (a Content-Length, so that the cut is visible to the client). */
const HEADERS = `HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: ${PART.length + 4096}\r\n\r\n`;

/** A server that answers every request with HEADERS and PART, then does `then` to the socket. */
async function cutShort(then: (socket: Socket) => void): Promise<{ server: Server; url: string }> {
  const server = createServer((socket) => {
    socket.once('data', () => {
      socket.write(HEADERS + PART, () => then(socket));
    });
    socket.on('error', () => {}); // the client gives up on the stalling one: not this test's concern
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  return { server, url: `http://127.0.0.1:${address.port}/metrics` };
}

describe('an endpoint that fails mid-body', () => {
  let stalling: { server: Server; url: string };
  let resetting: { server: Server; url: string };
  const sockets = new Set<Socket>();

  before(async () => {
    stalling = await cutShort((socket) => sockets.add(socket)); // keeps the socket open, sends nothing more
    resetting = await cutShort((socket) => socket.resetAndDestroy());
  });
  after(() => {
    for (const socket of sockets) socket.destroy();
    stalling.server.close();
    resetting.server.close();
  });

  it('stalling after part of the body: exit 2, one line naming the URL and the timeout', async () => {
    const started = Date.now();
    const run = await runCli(['audit', stalling.url, '--timeout', '0.5', '--bearer-token', 'tok-s3cret']);
    assert.equal(run.code, 2, run.stderr);
    assert.equal(
      run.stderr,
      `genesis-telemetry audit: ${stalling.url} sent its headers but not the whole exposition within 0.5 s: raise --timeout, or check the endpoint\n`,
    );
    assert.equal(run.stdout, '', 'no report on half an exposition');
    assert.doesNotMatch(run.stderr, /tok-s3cret/);
    assert.ok(Date.now() - started < 10_000, 'the timeout bounds the body too');
  });

  it('resetting the connection mid-body: exit 2, one line naming the URL and the cause', async () => {
    const run = await runCli(['audit', resetting.url, '--catalog', 'none']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(
      run.stderr,
      /^genesis-telemetry audit: http:\/\/127\.0\.0\.1:\d+\/metrics closed the connection before the whole exposition arrived \(ECONNRESET\): is the endpoint restarting\?\n$/,
    );
    assert.equal(run.stdout, '');
  });

  it('throws an AuditInputError from loadExposition for both, which the tests share with the command', async () => {
    await assert.rejects(loadExposition(stalling.url, { timeoutMs: 300 }), AuditInputError);
    await assert.rejects(loadExposition(resetting.url, { timeoutMs: 10_000 }), AuditInputError);
  });
});

describe('an endpoint that answers 200 with nothing to audit', () => {
  let server: ReturnType<typeof createHttpServer>;
  let base: string;

  before(async () => {
    server = createHttpServer((request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      response.end(request.url === '/metadata-only' ? '# HELP app_jobs Jobs waiting.\n# TYPE app_jobs gauge\n' : '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    assert.ok(address !== null && typeof address === 'object');
    base = `http://127.0.0.1:${address.port}`;
  });
  after(() => server.close());

  it('fails the gate with empty-exposition, with --catalog none and with the catalog', async () => {
    for (const [path, catalog] of [
      ['/metrics', 'none'],
      ['/metrics', 'genesis'],
      ['/metadata-only', 'none'],
    ] as const) {
      const run = await runCli(['audit', `${base}${path}`, '--catalog', catalog, '--json']);
      assert.equal(run.code, 1, `${path} --catalog ${catalog}: ${run.stderr}`);
      const { findings } = JSON.parse(run.stdout) as { findings: { rule: string; severity: string }[] };
      assert.ok(
        findings.some((f) => f.rule === 'empty-exposition' && f.severity === 'error'),
        `${path} --catalog ${catalog}`,
      );
    }
    const table = await runCli(['audit', `${base}/metrics`, '--catalog', 'none']);
    assert.match(table.stdout, /error +consistency +empty-exposition +\(exposition\) +the exposition is empty: no metric, no sample\n/);
  });
});
