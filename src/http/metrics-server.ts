/**
 * The pull endpoint: our own HTTP server, so that the library owns the routes
 * (`/metrics`, `/healthz`), the auth and the error messages. What `/metrics`
 * writes is given as `serveMetrics` (the pipeline's responder: the exporter's
 * serialiser for what the SDK collects, the adapter's renderer for its cells).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GenesisConfigError } from '../config/config-error.ts';
import type { EndpointAuth } from '../pipeline/telemetry-options.ts';
import { authChallenge, authorizationChecker } from './endpoint-auth.ts';

export const METRICS_PATH = '/metrics';
export const HEALTH_PATH = '/healthz';

export interface MetricsServerOptions {
  host: string;
  port: number;
  auth: EndpointAuth | undefined;
  /** Writes the exposition (see pipeline/metrics-response.ts). */
  serveMetrics: (request: IncomingMessage, response: ServerResponse) => void;
}

export interface MetricsServer {
  readonly host: string;
  readonly port: number;
  /** The full URL of `/metrics`. */
  readonly url: string;
  close(): Promise<void>;
}

function reply(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  response.end(body);
}

function requestHandler(options: MetricsServerOptions) {
  const authorized = options.auth === undefined ? () => true : authorizationChecker(options.auth);
  const challenge = options.auth === undefined ? '' : authChallenge(options.auth);
  return (request: IncomingMessage, response: ServerResponse): void => {
    const path = (request.url ?? '/').split('?', 1)[0];
    if (path !== METRICS_PATH && path !== HEALTH_PATH && path !== '/') {
      reply(response, 404, `not found; metrics are at ${METRICS_PATH}\n`);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      reply(response, 405, 'method not allowed\n', { allow: 'GET, HEAD' });
      return;
    }
    if (path === HEALTH_PATH) {
      reply(response, 200, 'ok\n');
      return;
    }
    if (path === '/') {
      reply(response, 200, `genesis-telemetry\n\n${METRICS_PATH}  Prometheus metrics\n${HEALTH_PATH}  liveness\n`);
      return;
    }
    if (!authorized(request.headers.authorization)) {
      reply(response, 401, 'unauthorized\n', { 'www-authenticate': challenge });
      return;
    }
    options.serveMetrics(request, response);
  };
}

/** Maps a listen failure to an error that names the setting and the fix. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host}:${port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return new GenesisConfigError(
        'port',
        `port ${port} is already in use on ${host}: stop the process that holds it, or choose another port with the "port" option (--port on the command line) or OTEL_EXPORTER_PROMETHEUS_PORT (0 picks a free port)`,
        { cause: error },
      );
    case 'EACCES':
      return new GenesisConfigError(
        'port',
        `not allowed to listen on ${where}: choose a port above 1023 ("port" option, --port, or OTEL_EXPORTER_PROMETHEUS_PORT)`,
        { cause: error },
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new GenesisConfigError(
        'host',
        `cannot listen on ${where}: "${host}" is not an address of this machine; set the "host" option or OTEL_EXPORTER_PROMETHEUS_HOST (e.g. 127.0.0.1 or 0.0.0.0)`,
        { cause: error },
      );
    default:
      return new GenesisConfigError('port', `cannot listen on ${where}: ${error.message}`, { cause: error });
  }
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server: Server = createServer(requestHandler(options));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(listenError(error, options.host, options.port)));
    server.listen({ host: options.host, port: options.port }, resolve);
  });
  // The server never keeps the process alive by itself: the application decides when to exit.
  server.unref();
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    host: address.address,
    port: address.port,
    url: `http://${urlHost}:${address.port}${METRICS_PATH}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive connections (Prometheus keeps one) would hold close() open.
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      });
      return closing;
    },
  };
}
