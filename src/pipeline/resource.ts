/**
 * The resource every metric is reported with. Precedence, highest first: the
 * dedicated options (serviceName, serviceInstanceId), then the
 * resourceAttributes option, then OTEL_SERVICE_NAME and
 * OTEL_RESOURCE_ATTRIBUTES (OTEL_SERVICE_NAME winning for service.name, as
 * the specification says), then the defaults. `service.instance.id` is always
 * set (generated when not given) so that replicas can be told apart.
 */
import { randomUUID } from 'node:crypto';
import { defaultResource, type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import { GenesisConfigError } from '../config/config-error.ts';
import { readEnv } from '../config/parse.ts';

export const DEFAULT_SERVICE_NAME = 'genesis-meta-agent';

export interface ResourceOptions {
  serviceName?: string | undefined;
  serviceInstanceId?: string | undefined;
  attributes?: Readonly<Record<string, string>> | undefined;
}

/**
 * Parses OTEL_RESOURCE_ATTRIBUTES: `key=value` pairs separated by commas,
 * values percent-encoded, as the OpenTelemetry specification defines it. Read
 * here rather than through the SDK's env detector so that the environment can
 * be passed in (tests, embedding) and a malformed value fails at start.
 */
export function parseResourceAttributes(raw: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const pair of raw.split(',')) {
    if (pair.trim() === '') continue;
    const equals = pair.indexOf('=');
    const key = equals > 0 ? pair.slice(0, equals).trim() : '';
    if (key === '') {
      throw new GenesisConfigError(
        'OTEL_RESOURCE_ATTRIBUTES',
        `OTEL_RESOURCE_ATTRIBUTES must be key=value pairs separated by commas (bad entry "${pair}")`,
      );
    }
    try {
      attributes[key] = decodeURIComponent(pair.slice(equals + 1).trim());
    } catch (cause) {
      throw new GenesisConfigError(
        'OTEL_RESOURCE_ATTRIBUTES',
        `OTEL_RESOURCE_ATTRIBUTES: the value of "${key}" is not valid percent-encoding`,
        { cause },
      );
    }
  }
  return attributes;
}

export function buildResource(options: ResourceOptions, env: NodeJS.ProcessEnv): Resource {
  const rawAttributes = readEnv(env, 'OTEL_RESOURCE_ATTRIBUTES');
  const fromEnv = rawAttributes === undefined ? {} : parseResourceAttributes(rawAttributes);
  const serviceNameFromEnv = readEnv(env, 'OTEL_SERVICE_NAME');
  if (serviceNameFromEnv !== undefined) fromEnv['service.name'] = serviceNameFromEnv;
  // Lowest first: every layer overrides the one before it, key by key.
  const merged: Record<string, string> = {
    'service.name': DEFAULT_SERVICE_NAME,
    ...fromEnv,
    ...options.attributes,
    ...(options.serviceName === undefined ? {} : { 'service.name': options.serviceName }),
    ...(options.serviceInstanceId === undefined ? {} : { 'service.instance.id': options.serviceInstanceId }),
  };
  // Generated last, so that a given id, from any layer, is never replaced.
  merged['service.instance.id'] ??= randomUUID();
  return defaultResource().merge(resourceFromAttributes(merged));
}
