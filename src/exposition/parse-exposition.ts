/**
 * A parser of the Prometheus text exposition format (0.0.4), tolerant of the
 * OpenMetrics additions real servers emit (`# UNIT`, `# EOF`, `_created`, and
 * in an exposition that ends in `# EOF`, exemplars, float timestamps and the
 * OpenMetrics types).
 *
 * Written here because the npm parsers available lose data on real input (one
 * drops the labels, `_sum` and `_count` of a histogram whose `_count` comes
 * before its buckets, which is the order the OpenTelemetry exporter writes).
 *
 * Strict where Prometheus' own parser (expfmt, which `promtool check metrics`
 * runs) is, so that an exposition the audit passes is one a scrape accepts:
 * unknown types, numbers Go does not read, non-integer timestamps, invalid
 * escapes, a second HELP or TYPE line, a TYPE after the family's samples and
 * stray commas between labels are errors; blanks before a line or between a
 * name and its `{` are not. Deliberately more lenient than promtool: CRLF
 * line ends and blanks after a sample (a file saved on Windows is still an
 * exposition). test/audit/promtool-parse-agreement.test.ts holds promtool to
 * each of these.
 */
import { unescapeText } from './exposition-values.ts';
import { checkBoundLabel, ExpositionParseError, NAME, parseSample } from './parse-sample.ts';

export { parseNumber } from './exposition-values.ts';
export { ExpositionParseError } from './parse-sample.ts';

export type FamilyType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped' | 'gaugehistogram' | 'info' | 'stateset' | 'unknown';

/** The classic Prometheus text format (0.0.4), or OpenMetrics (an exposition that ends in `# EOF`). */
export type ExpositionFormat = 'classic' | 'openmetrics';

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
  /** @default formatOf(text) */
  readonly format?: ExpositionFormat;
}

export interface ExpositionFamily {
  readonly name: string;
  type: FamilyType;
  help: string | undefined;
  unit: string | undefined;
  readonly samples: ExpositionSample[];
}

/** OpenMetrics ends every exposition with `# EOF`; the classic format has no such line. */
export function formatOf(text: string): ExpositionFormat {
  return /(^|\n)# EOF\s*$/.test(text) ? 'openmetrics' : 'classic';
}

/** The types each format's TYPE line may name (the classic ones in any case, as expfmt reads them). */
const CLASSIC_TYPES: Readonly<Record<string, FamilyType>> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  summary: 'summary',
  untyped: 'untyped',
  gauge_histogram: 'gaugehistogram',
};
const OPENMETRICS_TYPES: Readonly<Record<string, FamilyType>> = {
  ...CLASSIC_TYPES,
  gaugehistogram: 'gaugehistogram',
  info: 'info',
  stateset: 'stateset',
  unknown: 'unknown',
};

/** The sample suffixes that belong to a family of each type. */
const SUFFIXES: Partial<Record<FamilyType, readonly string[]>> = {
  histogram: ['_bucket', '_sum', '_count', '_created'],
  gaugehistogram: ['_bucket', '_gsum', '_gcount'],
  summary: ['_sum', '_count', '_created'],
  counter: ['_total', '_created'],
  info: ['_info'],
};

const METADATA = /^#[ \t]*(HELP|TYPE|UNIT)[ \t]+(\S+)[ \t]*(.*)$/;

/** What the metadata lines said so far: a second HELP or TYPE of one family is an error (expfmt); an empty one says nothing. */
interface Metadata {
  readonly types: Readonly<Record<string, FamilyType>>;
  readonly helped: Set<string>;
  readonly typed: Set<string>;
}

/** Applies one HELP, TYPE or UNIT line (`rest` is what follows the name) to its family. */
function applyMetadata(family: ExpositionFamily, keyword: string, rest: string, seen: Metadata, lineNo: number): void {
  const { name } = family;
  if (keyword === 'UNIT') {
    family.unit = rest.trim();
  } else if (keyword === 'HELP') {
    if (rest === '') {
      family.help ??= '';
      return;
    }
    if (seen.helped.has(name)) throw new ExpositionParseError(lineNo, `second HELP line for metric ${name}`);
    seen.helped.add(name);
    try {
      family.help = unescapeText(rest, 'HELP text');
    } catch (error) {
      throw new ExpositionParseError(lineNo, (error as Error).message);
    }
  } else if (rest.trim() !== '') {
    if (seen.typed.has(name)) throw new ExpositionParseError(lineNo, `second TYPE line for metric ${name}`);
    if (family.samples.length > 0) throw new ExpositionParseError(lineNo, `TYPE line for metric ${name} after its samples`);
    const type = seen.types[rest.trim().toLowerCase()];
    if (type === undefined) throw new ExpositionParseError(lineNo, `unknown metric type "${rest.trim()}" for ${name}`);
    seen.typed.add(name);
    family.type = type;
  }
}

/** Parses a whole exposition into families, in the order they first appear. */
export function parseExposition(text: string, options: ParseOptions = {}): ExpositionFamily[] {
  const format = options.format ?? formatOf(text);
  const seen: Metadata = { types: format === 'openmetrics' ? OPENMETRICS_TYPES : CLASSIC_TYPES, helped: new Set(), typed: new Set() };
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
    // Blanks before a line are allowed, in front of a sample as of a comment.
    const line = rawLine.replace(/\r$/, '').replace(/^[ \t]+/, '');
    const lineNo = index + 1;
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const match = METADATA.exec(line);
      if (match === null) continue; // a plain comment, or `# EOF`
      const [, keyword = '', name = '', rest = ''] = match;
      if (NAME.exec(name)?.[0] !== name) throw new ExpositionParseError(lineNo, `invalid metric name "${name}" in a ${keyword} line`);
      current = familyOf(name);
      applyMetadata(current, keyword, rest, seen, lineNo);
      continue;
    }
    const sample = parseSample(line, lineNo, options.duplicateLabels, format);
    const owner =
      current !== undefined &&
      (sample.name === current.name || (SUFFIXES[current.type] ?? []).some((s) => sample.name === current?.name + s))
        ? current
        : familyOf(sample.name);
    checkBoundLabel(owner, sample, lineNo);
    owner.samples.push(sample);
  }
  return [...families.values()];
}
