/**
 * One sample line of a text exposition: the name, the labels, the value, the
 * timestamp (and in OpenMetrics an exemplar, skipped), read as strictly as
 * Prometheus' expfmt reads them (see parse-exposition.ts for what is refused).
 */
import { parseIntegerTimestamp, parseNumber, unescapeText } from './exposition-values.ts';
import type { ExpositionFamily, ExpositionFormat, ExpositionSample } from './parse-exposition.ts';

export class ExpositionParseError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'ExpositionParseError';
    this.line = line;
  }
}

export const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
/** The separators of the format: blanks and tabs, nothing else. */
const BLANK = /[ \t]+/;

function skipBlanks(line: string, i: number): number {
  let j = i;
  while (line[j] === ' ' || line[j] === '\t') j++;
  return j;
}

/** Reads a quoted label value from `i` (after the `"`); returns the raw text and the index of the closing `"`. */
function readQuoted(line: string, i: number, lineNo: number, name: string): [string, number] {
  let j = i;
  while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
  if (j >= line.length) throw new ExpositionParseError(lineNo, `unterminated value of label ${name}`);
  return [line.slice(i, j), j];
}

/**
 * Parses `{a="x",b="y"}` starting at `start` (the `{`); returns the labels and
 * the index after `}`. Blanks may surround names, `=`, values and commas; one
 * comma separates labels and one may trail, as in expfmt.
 */
function parseLabels(line: string, start: number, lineNo: number, duplicates: string[] | undefined): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  let i = skipBlanks(line, start + 1);
  for (;;) {
    if (line[i] === '}') return [labels, i + 1];
    const name = LABEL_NAME.exec(line.slice(i))?.[0];
    if (name === undefined) throw new ExpositionParseError(lineNo, `bad label name at column ${i + 1}`);
    i = skipBlanks(line, i + name.length);
    if (line[i] !== '=') throw new ExpositionParseError(lineNo, `expected ="value" after label ${name}`);
    i = skipBlanks(line, i + 1);
    if (line[i] !== '"') throw new ExpositionParseError(lineNo, `expected ="value" after label ${name}`);
    const [raw, end] = readQuoted(line, i + 1, lineNo, name);
    let value: string;
    try {
      value = unescapeText(raw, `the value of label ${name}`);
    } catch (error) {
      throw new ExpositionParseError(lineNo, (error as Error).message);
    }
    if (!Object.hasOwn(labels, name)) labels[name] = value;
    else if (duplicates !== undefined) duplicates.push(name);
    else throw new ExpositionParseError(lineNo, `label ${name} appears twice`);
    i = skipBlanks(line, end + 1);
    if (line[i] === ',') i = skipBlanks(line, i + 1);
    else if (line[i] !== '}') throw new ExpositionParseError(lineNo, `expected , or } after the value of label ${name}`);
  }
}

export function parseSample(
  line: string,
  lineNo: number,
  duplicateLabels: 'throw' | 'report' | undefined,
  format: ExpositionFormat,
): ExpositionSample {
  const name = NAME.exec(line)?.[0];
  if (name === undefined) throw new ExpositionParseError(lineNo, 'a sample must start with a metric name');
  // expfmt allows blanks between the name and its labels (`x {a="1"} 1`).
  let i = skipBlanks(line, name.length);
  let labels: Record<string, string> = {};
  const duplicates: string[] | undefined = duplicateLabels === 'report' ? [] : undefined;
  if (line[i] === '{') [labels, i] = parseLabels(line, i, lineNo, duplicates);
  const rest = line.slice(i).trim().split(BLANK);
  // OpenMetrics exemplars follow " # "; they are not part of the sample. The classic format has none.
  const hash = format === 'openmetrics' ? rest.indexOf('#') : -1;
  const fields = hash === -1 ? rest : rest.slice(0, hash);
  if (fields.length > 2) {
    const why = format === 'classic' && rest.includes('#') ? ': exemplars (after #) are OpenMetrics, whose expositions end in # EOF' : '';
    throw new ExpositionParseError(lineNo, `sample ${name} has more than a value and a timestamp${why}`);
  }
  const [valueText, timestampText] = fields;
  if (valueText === undefined || valueText === '') throw new ExpositionParseError(lineNo, `sample ${name} has no value`);
  try {
    const value = parseNumber(valueText);
    // OpenMetrics timestamps are seconds with a fraction; the classic format's are whole milliseconds.
    const readTimestamp = format === 'openmetrics' ? parseNumber : parseIntegerTimestamp;
    const sample = timestampText === undefined ? { name, labels, value } : { name, labels, value, timestamp: readTimestamp(timestampText) };
    return duplicates !== undefined && duplicates.length > 0 ? { ...sample, duplicateLabelNames: duplicates } : sample;
  } catch (error) {
    throw new ExpositionParseError(lineNo, `sample ${name}: ${(error as Error).message}`);
  }
}

/** A histogram's `le` and a summary's `quantile` are numbers: expfmt refuses the scrape otherwise. */
export function checkBoundLabel(family: ExpositionFamily, sample: ExpositionSample, lineNo: number): void {
  const label = family.type === 'histogram' || family.type === 'gaugehistogram' ? 'le' : family.type === 'summary' ? 'quantile' : undefined;
  const bound = label === undefined ? undefined : sample.labels[label];
  if (bound === undefined) return;
  try {
    parseNumber(bound);
  } catch {
    throw new ExpositionParseError(lineNo, `sample ${sample.name}: label ${label} is "${bound}", not a number`);
  }
}
