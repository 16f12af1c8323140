/**
 * A parser of the Prometheus text exposition format (0.0.4), tolerant of the
 * OpenMetrics additions real servers emit (`# UNIT`, `# EOF`, `_created`).
 *
 * Written here because the npm parsers available lose data on real input (one
 * drops the labels, `_sum` and `_count` of a histogram whose `_count` comes
 * before its buckets, which is the order the OpenTelemetry exporter writes).
 */

export type FamilyType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped' | 'gaugehistogram' | 'info' | 'stateset' | 'unknown';

export interface ExpositionSample {
  /** The sample's own name, e.g. `x_bucket` in family `x`. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly timestamp?: number;
  /** Label names the line repeated (only with `duplicateLabels: 'report'`; the first value is kept). */
  readonly duplicateLabelNames?: readonly string[];
}

export interface ParseOptions {
  /**
   * What a label name written twice on one line does: `'throw'` (the default,
   * as Prometheus' own parser) or `'report'`: keep the first value and name
   * the repeated label on the sample, so that an audit can report it.
   */
  readonly duplicateLabels?: 'throw' | 'report';
}

export interface ExpositionFamily {
  readonly name: string;
  type: FamilyType;
  help: string | undefined;
  unit: string | undefined;
  readonly samples: ExpositionSample[];
}

export class ExpositionParseError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'ExpositionParseError';
    this.line = line;
  }
}

/** The sample suffixes that belong to a family of each type. */
const SUFFIXES: Partial<Record<FamilyType, readonly string[]>> = {
  histogram: ['_bucket', '_sum', '_count', '_created'],
  gaugehistogram: ['_bucket', '_gsum', '_gcount'],
  summary: ['_sum', '_count', '_created'],
  counter: ['_total', '_created'],
  info: ['_info'],
};

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

export function parseNumber(text: string): number {
  switch (text) {
    case '+Inf':
    case 'Inf':
    case '+inf':
    case 'inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
    case '-inf':
      return Number.NEGATIVE_INFINITY;
    case 'NaN':
    case 'nan':
      return Number.NaN;
    default: {
      const value = text.trim() === '' ? Number.NaN : Number(text);
      if (Number.isNaN(value)) throw new Error(`"${text}" is not a number`);
      return value;
    }
  }
}

function unescapeLabelValue(raw: string): string {
  return raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** Parses `{a="x",b="y"}` starting at `start` (the `{`); returns the labels and the index after `}`. */
function parseLabels(line: string, start: number, lineNo: number, duplicates: string[] | undefined): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  let i = start + 1;
  for (;;) {
    while (line[i] === ' ' || line[i] === ',') i++;
    if (line[i] === '}') return [labels, i + 1];
    const name = LABEL_NAME.exec(line.slice(i))?.[0];
    if (name === undefined) throw new ExpositionParseError(lineNo, `bad label name at column ${i + 1}`);
    i += name.length;
    while (line[i] === ' ') i++;
    if (line[i] !== '=' || line[i + 1] !== '"') throw new ExpositionParseError(lineNo, `expected ="value" after label ${name}`);
    i += 2;
    let raw = '';
    while (i < line.length && line[i] !== '"') {
      if (line[i] === '\\') raw += line[i++] ?? '';
      raw += line[i++] ?? '';
    }
    if (line[i] !== '"') throw new ExpositionParseError(lineNo, `unterminated value of label ${name}`);
    if (!Object.hasOwn(labels, name)) labels[name] = unescapeLabelValue(raw);
    else if (duplicates !== undefined) duplicates.push(name);
    else throw new ExpositionParseError(lineNo, `label ${name} appears twice`);
    i++;
  }
}

function parseSample(line: string, lineNo: number, options: ParseOptions): ExpositionSample {
  const name = NAME.exec(line)?.[0];
  if (name === undefined) throw new ExpositionParseError(lineNo, 'a sample must start with a metric name');
  let i = name.length;
  let labels: Record<string, string> = {};
  const duplicates: string[] | undefined = options.duplicateLabels === 'report' ? [] : undefined;
  if (line[i] === '{') [labels, i] = parseLabels(line, i, lineNo, duplicates);
  const rest = line.slice(i).trim().split(/\s+/);
  // OpenMetrics exemplars follow " # "; they are not part of the sample.
  const hash = rest.indexOf('#');
  const fields = hash === -1 ? rest : rest.slice(0, hash);
  if (fields.length > 2) throw new ExpositionParseError(lineNo, `sample ${name} has more than a value and a timestamp`);
  const [valueText, timestampText] = fields;
  if (valueText === undefined || valueText === '') throw new ExpositionParseError(lineNo, `sample ${name} has no value`);
  try {
    const value = parseNumber(valueText);
    const sample = timestampText === undefined ? { name, labels, value } : { name, labels, value, timestamp: parseNumber(timestampText) };
    return duplicates !== undefined && duplicates.length > 0 ? { ...sample, duplicateLabelNames: duplicates } : sample;
  } catch (error) {
    throw new ExpositionParseError(lineNo, `sample ${name}: ${(error as Error).message}`);
  }
}

/** Parses a whole exposition into families, in the order they first appear. */
export function parseExposition(text: string, options: ParseOptions = {}): ExpositionFamily[] {
  const families = new Map<string, ExpositionFamily>();
  const familyOf = (name: string): ExpositionFamily => {
    let found = families.get(name);
    if (found === undefined) {
      found = { name, type: 'untyped', help: undefined, unit: undefined, samples: [] };
      families.set(name, found);
    }
    return found;
  };
  let current: ExpositionFamily | undefined;
  const lines = text.split('\n');
  for (const [index, rawLine] of lines.entries()) {
    const line = rawLine.replace(/\r$/, '');
    const lineNo = index + 1;
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const match = /^#\s+(HELP|TYPE|UNIT)\s+(\S+)(?:\s(.*))?$/.exec(line);
      if (match === null) continue; // a plain comment, or `# EOF`
      const [, keyword, name = '', rest = ''] = match;
      current = familyOf(name);
      if (keyword === 'HELP') current.help = rest.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      else if (keyword === 'UNIT') current.unit = rest.trim();
      else current.type = (rest.trim().toLowerCase() || 'untyped') as FamilyType;
      continue;
    }
    const sample = parseSample(line, lineNo, options);
    const owner =
      current !== undefined &&
      (sample.name === current.name || (SUFFIXES[current.type] ?? []).some((s) => sample.name === current?.name + s))
        ? current
        : familyOf(sample.name);
    owner.samples.push(sample);
  }
  return [...families.values()];
}
