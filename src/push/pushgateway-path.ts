/**
 * The Pushgateway's grouping key as a URL, pure functions:
 * `<base path>/metrics/job/<job>{/<label>/<value>}`. A value that cannot be a
 * plain path segment is sent base64url-encoded under `<label>@base64`, as the
 * Pushgateway defines it: an empty value, one holding a `/`, and `.` or `..`,
 * which URL resolution (WHATWG and most proxies) would otherwise remove as
 * dot segments, addressing another group (`instance/..` is the job's group).
 */
import { GenesisConfigError } from '../config/config-error.ts';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** RFC 4648 base64url with its padding, the form of the Pushgateway's own examples. */
function base64url(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64').replaceAll('+', '-').replaceAll('/', '_');
}

function segment(label: string, value: string): string {
  // The Pushgateway reads "=" as the empty value.
  if (value === '') return `${label}@base64/=`;
  if (value.includes('/') || value === '.' || value === '..') return `${label}@base64/${base64url(value)}`;
  return `${label}/${encodeURIComponent(value)}`;
}

export function gatewayPath(job: string, grouping: Readonly<Record<string, string>> = {}): string {
  if (typeof job !== 'string' || job === '')
    throw new GenesisConfigError('job', 'job must be a non-empty string: it names the group in the Pushgateway');
  const parts = [segment('job', job)];
  for (const [label, value] of Object.entries(grouping)) {
    if (!LABEL_NAME.test(label) || label.startsWith('__') || label === 'job') {
      throw new GenesisConfigError(
        `grouping.${label}`,
        `grouping label "${label}" must be a Prometheus label name other than job (letters, digits, _)`,
      );
    }
    if (typeof value !== 'string') throw new GenesisConfigError(`grouping.${label}`, `grouping.${label} must be a string`);
    parts.push(segment(label, value));
  }
  return `/metrics/${parts.join('/')}`;
}

/**
 * The group's URL under the gateway's base URL, keeping the base's path: a
 * Pushgateway behind a reverse proxy or run with `--web.route-prefix=/pg`
 * answers under `/pg/metrics/...`, which `new URL('/metrics/...', base)` would
 * drop. The base's query (a proxy's token, say) is kept too.
 */
export function gatewayUrl(base: string, job: string, grouping: Readonly<Record<string, string>> = {}): string {
  const url = new URL(base);
  const prefix = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  url.pathname = `${prefix}${gatewayPath(job, grouping).slice(1)}`;
  url.hash = '';
  return url.href;
}
