/**
 * The certificates for OTLP over HTTPS: the `otlp.tls` option (PEM text, as
 * Node's own TLS options take it) field by field over the variables the
 * OpenTelemetry exporters define (file paths). Everything is read and checked
 * at start; the exporters would only warn about an unreadable file and connect
 * without it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GenesisConfigError } from '../config/config-error.ts';
import { rejectUnknownKeys } from '../config/parse.ts';
import { readOtlpEnv } from './otlp-env.ts';

/** PEM text (a string or a Buffer); each field wins over its variable. */
export interface OtlpTlsOptions {
  /** The CA(s) to trust. @default the file named by OTEL_EXPORTER_OTLP_[METRICS_]CERTIFICATE, else Node's built-in CAs */
  ca?: string | Buffer;
  /** The client's certificate chain, for mutual TLS (with `key`). @default the file named by OTEL_EXPORTER_OTLP_[METRICS_]CLIENT_CERTIFICATE */
  cert?: string | Buffer;
  /** The client's private key, for mutual TLS (with `cert`). @default the file named by OTEL_EXPORTER_OTLP_[METRICS_]CLIENT_KEY */
  key?: string | Buffer;
}

/** The resolved PEM contents, as https.Agent takes them. */
export interface OtlpTlsPem {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

type Field = keyof OtlpTlsPem;
const FIELDS: readonly Field[] = ['ca', 'cert', 'key'];
const VARIABLES: Readonly<Record<Field, string>> = { ca: 'CERTIFICATE', cert: 'CLIENT_CERTIFICATE', key: 'CLIENT_KEY' };

function fromOption(field: Field, value: unknown): Buffer {
  const option = `otlp.tls.${field}`;
  if (typeof value !== 'string' && !Buffer.isBuffer(value)) {
    throw new GenesisConfigError(option, `${option} must be PEM text, as a string or a Buffer`);
  }
  // A file name here is the likely mistake: the variables take file names, the option takes contents.
  if (!value.toString('utf8').includes('-----BEGIN ')) {
    throw new GenesisConfigError(
      option,
      `${option} must be PEM text ("-----BEGIN ..."), not a file name: pass readFileSync(path), or set OTEL_EXPORTER_OTLP_${VARIABLES[field]} to the path`,
    );
  }
  return Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
}

function fromEnvFile(env: NodeJS.ProcessEnv, field: Field): { pem: Buffer; source: string } | undefined {
  const found = readOtlpEnv(env, VARIABLES[field]);
  if (found === undefined) return undefined;
  try {
    // Relative to the working directory, as the exporters resolve it.
    return { pem: readFileSync(resolve(found.raw)), source: found.source };
  } catch (cause) {
    const why = (cause as { code?: string }).code ?? String(cause);
    throw new GenesisConfigError(found.source, `${found.source}: cannot read the file "${found.raw}" (${why})`, { cause });
  }
}

export function resolveOtlpTls(option: OtlpTlsOptions | undefined, env: NodeJS.ProcessEnv): OtlpTlsPem {
  if (option !== undefined && (typeof option !== 'object' || option === null)) {
    throw new GenesisConfigError('otlp.tls', 'otlp.tls must be an object such as { ca: readFileSync("ca.pem") }');
  }
  if (option !== undefined) rejectUnknownKeys('otlp.tls', option, FIELDS);
  const pem: { -readonly [K in Field]?: Buffer } = {};
  const sources: Partial<Record<Field, string>> = {};
  for (const field of FIELDS) {
    const given = option?.[field];
    if (given !== undefined) {
      pem[field] = fromOption(field, given);
      sources[field] = `otlp.tls.${field}`;
      continue;
    }
    const read = fromEnvFile(env, field);
    if (read === undefined) continue;
    pem[field] = read.pem;
    sources[field] = read.source;
  }
  // A client certificate without its key (or the reverse) cannot authenticate the client: say so now, not at a handshake.
  const lone =
    sources.cert !== undefined && sources.key === undefined
      ? 'cert'
      : sources.key !== undefined && sources.cert === undefined
        ? 'key'
        : undefined;
  if (lone !== undefined) {
    const missing = lone === 'cert' ? 'key' : 'cert';
    throw new GenesisConfigError(
      sources[lone] as string,
      `${sources[lone]} is given without a client ${missing}: mutual TLS needs both; set otlp.tls.${missing} or OTEL_EXPORTER_OTLP_${VARIABLES[missing]}`,
    );
  }
  return Object.freeze(pem);
}
