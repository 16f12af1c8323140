/**
 * OTLP over HTTPS with the `otlp.tls` option, against a real HTTPS server
 * that requires a client certificate (mutual TLS): the option's CA, client
 * certificate and key reach the exporter and win over the variables; a CA
 * that did not sign the server's certificate fails the export, counted.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { startTelemetry } from '../../src/sdk.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { scrape, value } from '../support/exposition.ts';
import { decodeOtlpJson, metricsByName } from '../support/otlp-json.ts';
import { makeTestCertificates, opensslUnavailable, type TestCertificates } from '../support/test-certificates.ts';

const missing = await opensslUnavailable();

describe('OTLP push over mutual TLS with the otlp.tls option', { skip: missing }, () => {
  let certificates: TestCertificates;
  let server: Server;
  let url: string;
  /** The common name of the client certificate of every export received. */
  const received: { client: string; names: string[] }[] = [];

  before(async () => {
    certificates = await makeTestCertificates();
    server = createServer(
      { cert: certificates.serverCert, key: certificates.serverKey, ca: certificates.ca, requestCert: true, rejectUnauthorized: true },
      (request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          const client = String((request.socket as TLSSocket).getPeerCertificate().subject?.CN);
          const names = [...metricsByName(decodeOtlpJson(JSON.parse(Buffer.concat(chunks).toString('utf8')))).keys()];
          received.push({ client, names });
          response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        });
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1/metrics`;
  });

  after(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await certificates?.remove();
  });

  it('sends with the CA, client certificate and key given as PEM text, winning over the variables', async () => {
    const telemetry = await startTelemetry({
      port: 0,
      logger: captureLogger(),
      // Variables that would fail the handshake if they won: a CA that signed nothing here, and no client key pair.
      env: { OTEL_EXPORTER_OTLP_CERTIFICATE: `${certificates.dir}/other-ca.pem` },
      otlp: {
        endpoint: url,
        protocol: 'http/json',
        exportIntervalMillis: 60_000,
        tls: { ca: certificates.ca.toString('utf8'), cert: certificates.clientCert, key: certificates.clientKey },
      },
    });
    telemetry.metrics.safetyViolation();
    await telemetry.shutdown();
    assert.equal(received.length, 1, 'one export arrived');
    assert.equal(received[0]?.client, 'genesis-client', 'the server saw the client certificate');
    assert.ok(received[0]?.names.includes('genesis_meta_agent_safety_violations'), received[0]?.names.join(', '));
  });

  it('fails, counted, when the server certificate is not signed by the CA given', async () => {
    const logger = captureLogger();
    const before = received.length;
    const telemetry = await startTelemetry({
      port: 0,
      logger,
      env: {},
      otlp: {
        endpoint: url,
        protocol: 'http/json',
        exportIntervalMillis: 60_000,
        timeoutMillis: 2000,
        tls: { ca: certificates.otherCa, cert: certificates.clientCert, key: certificates.clientKey },
      },
    });
    telemetry.metrics.safetyViolation();
    await telemetry.forceFlush();
    const { families } = await scrape(telemetry.url as string);
    assert.equal(value(families, 'genesis_telemetry_export_failures_total', { exporter: 'otlp_http_json', reason: 'other' }), 1);
    assert.match(
      logger.lines.join('\n'),
      /otlp_http_json to https:\/\/127\.0\.0\.1:\d+\/v1\/metrics: export failed \(other: .*certificate/i,
    );
    await telemetry.shutdown();
    assert.equal(received.length, before, 'nothing arrived');
  });
});
