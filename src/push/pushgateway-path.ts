/**
 * The Pushgateway's grouping key as a URL path, a pure function:
 * `/metrics/job/<job>{/<label>/<value>}`. A value that is empty or holds a
 * `/` cannot be a path segment, so it is sent base64url-encoded under
 * `<label>@base64`, as the Pushgateway defines it.
 */
import { GenesisConfigError } from '../config/config-error.ts';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function segment(label: string, value: string): string {
  if (value === '' || value.includes('/')) {
    // Pushgateway accepts "=" for the empty value; base64url otherwise.
    const encoded = value === '' ? '=' : Buffer.from(value, 'utf8').toString('base64url');
    return `${label}@base64/${encoded}`;
  }
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
