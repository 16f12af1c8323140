/**
 * Decodes an OTLP/HTTP JSON export body by the OTLP JSON mapping (lowerCamelCase
 * fields, AnyValue wrappers, 64-bit integers as strings or numbers) into plain
 * points the tests can compare. Throws on a body that does not follow it.
 */
export interface DecodedPoint {
  readonly attributes: Record<string, string>;
  /** Sums and gauges: the value; histograms: count and sum and bucket counts. */
  readonly value?: number;
  readonly count?: number;
  readonly sum?: number;
  readonly bucketCounts?: number[];
  readonly explicitBounds?: number[];
}

export interface DecodedMetric {
  readonly name: string;
  readonly unit: string;
  readonly type: 'sum' | 'gauge' | 'histogram';
  readonly temporality?: number;
  readonly monotonic?: boolean;
  readonly points: DecodedPoint[];
}

export interface DecodedExport {
  readonly resource: Record<string, string>;
  readonly scopes: { name: string; version: string; metrics: DecodedMetric[] }[];
}

type Json = Record<string, unknown>;

function anyValue(value: Json): string {
  for (const key of ['stringValue', 'intValue', 'doubleValue', 'boolValue']) if (key in value) return String(value[key]);
  throw new Error(`unexpected AnyValue ${JSON.stringify(value)}`);
}

function keyValues(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of (list ?? []) as Json[]) out[String(entry.key)] = anyValue(entry.value as Json);
  return out;
}

/** int64/uint64 may arrive as a decimal string (the mapping) or a number. */
function num(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : (value as number);
  if (typeof n !== 'number' || Number.isNaN(n)) throw new Error(`not a number: ${JSON.stringify(value)}`);
  return n;
}

function point(raw: Json, type: DecodedMetric['type']): DecodedPoint {
  const attributes = keyValues(raw.attributes);
  if (type === 'histogram') {
    return {
      attributes,
      count: num(raw.count),
      sum: num(raw.sum),
      bucketCounts: (raw.bucketCounts as unknown[]).map(num),
      explicitBounds: (raw.explicitBounds as unknown[]).map(num),
    };
  }
  return { attributes, value: num(raw.asDouble ?? raw.asInt) };
}

function metric(raw: Json): DecodedMetric {
  const type = (['sum', 'gauge', 'histogram'] as const).find((t) => t in raw);
  if (type === undefined) throw new Error(`metric ${String(raw.name)} has no sum, gauge or histogram`);
  const data = raw[type] as Json;
  return {
    name: String(raw.name),
    unit: String(raw.unit ?? ''),
    type,
    ...(data.aggregationTemporality === undefined ? {} : { temporality: num(data.aggregationTemporality) }),
    ...(data.isMonotonic === undefined ? {} : { monotonic: data.isMonotonic === true }),
    points: ((data.dataPoints ?? []) as Json[]).map((p) => point(p, type)),
  };
}

export function decodeOtlpJson(body: unknown): DecodedExport[] {
  return ((body as Json).resourceMetrics as Json[]).map((rm) => ({
    resource: keyValues((rm.resource as Json).attributes),
    scopes: (rm.scopeMetrics as Json[]).map((sm) => ({
      name: String((sm.scope as Json).name),
      version: String((sm.scope as Json).version ?? ''),
      metrics: ((sm.metrics ?? []) as Json[]).map(metric),
    })),
  }));
}

/** Every metric of an export by name (all scopes). */
export function metricsByName(decoded: DecodedExport[]): Map<string, DecodedMetric> {
  return new Map(decoded.flatMap((rm) => rm.scopes.flatMap((scope) => scope.metrics.map((m) => [m.name, m] as const))));
}
