/**
 * Renders the catalog series the adapter keeps itself as Prometheus text,
 * exactly as the OpenTelemetry Prometheus exporter would (names, `_total` on
 * counters, HELP/UNIT/TYPE lines, label order, escaping, `_count`/`_sum`/
 * `_bucket` with `le`), but from the cells directly: no collection, no
 * data points or attributes copied, nothing escaped that needs no escaping.
 * Yields the text in chunks, so the endpoint can give the event loop back
 * between them.
 */
import type { CellFamily, CellRegistry } from '../instruments/cell-registry.ts';
import type { HistogramCell, SeriesCell, ValueCell } from '../instruments/series-cells.ts';

export interface RenderOptions {
  /** The otel_scope_name/otel_scope_version labels to add to every series, as the exporter does unless told not to. */
  readonly scope: { readonly name: string; readonly version: string } | undefined;
  /** Series per chunk. @default 2000 */
  readonly chunkSeries?: number;
}

const escapeHelp = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeValue = (text: string) => escapeHelp(text).replace(/"/g, '\\"');
const NEEDS_ESCAPE = /[\\\n"]/;

/** A label value escaped as the exporter escapes it (backslash, newline, double quote). */
export function escapeLabelValue(value: string): string {
  return NEEDS_ESCAPE.test(value) ? escapeValue(value) : value;
}

/** The Prometheus family name the exporter gives an instrument. */
export function familyName(family: CellFamily): string {
  const { name, kind } = family.spec;
  return kind === 'counter' && !name.endsWith('_total') ? `${name}_total` : name;
}

/** The HELP, UNIT (when there is one) and TYPE lines of a family, as the exporter writes them. */
export function familyHeader(name: string, description: string, unit: string, type: 'counter' | 'gauge' | 'histogram'): string {
  return `# HELP ${name} ${escapeHelp(description || 'description missing')}\n${unit ? `# UNIT ${name} ${escapeHelp(unit)}\n` : ''}# TYPE ${name} ${type}\n`;
}

function header(family: CellFamily, name: string): string {
  const { description, unit, kind } = family.spec;
  return familyHeader(name, description, unit, kind);
}

export class CellRenderer {
  /** The otel_scope_* labels, rendered, or ''. */
  readonly scopeLabels: string;
  readonly #chunkSeries: number;

  constructor(options: RenderOptions) {
    this.scopeLabels =
      options.scope === undefined
        ? ''
        : `otel_scope_name="${escapeValue(options.scope.name)}",otel_scope_version="${escapeValue(options.scope.version)}"`;
    this.#chunkSeries = options.chunkSeries ?? 2000;
  }

  /**
   * The series' labels, escaped, without braces. Rendered on every scrape, not
   * cached: a cached text per series would double the adapter's memory per
   * series, and rendering is already well within prom-client's time.
   */
  #labelsOf(cell: SeriesCell): string {
    let labels = '';
    const attributes = cell.attributes;
    for (const key in attributes) {
      const value = attributes[key] as string;
      labels += `${labels === '' ? '' : ','}${key}="${escapeLabelValue(value)}"`;
    }
    if (this.scopeLabels !== '') labels += labels === '' ? this.scopeLabels : `,${this.scopeLabels}`;
    return labels;
  }

  #histogram(name: string, boundaries: readonly number[], cell: HistogramCell): string {
    const labels = this.#labelsOf(cell);
    const block = labels === '' ? '' : `{${labels}}`;
    const prefix = labels === '' ? '' : `${labels},`;
    let text = `${name}_count${block} ${cell.count}\n${name}_sum${block} ${cell.sum}\n`;
    let cumulative = 0;
    for (let i = 0; i < cell.counts.length; i++) {
      cumulative += cell.counts[i] as number;
      const le = i < boundaries.length ? String(boundaries[i]) : '+Inf';
      text += `${name}_bucket{${prefix}le="${le}"} ${cumulative}\n`;
    }
    return text;
  }

  /** The text of every family with at least one series, in chunks of about `chunkSeries` series. */
  *render(registry: CellRegistry): Generator<string> {
    let chunk = '';
    let inChunk = 0;
    for (const family of registry.families()) {
      const name = familyName(family);
      let wroteHeader = false;
      for (const cell of family.series.values()) {
        let line: string;
        if (family.spec.kind === 'histogram') {
          if ((cell as HistogramCell).count === 0) continue;
          line = this.#histogram(name, family.boundaries, cell as HistogramCell);
        } else {
          const labels = this.#labelsOf(cell);
          line = `${name}${labels === '' ? '' : `{${labels}}`} ${(cell as ValueCell).value}\n`;
        }
        if (!wroteHeader) {
          chunk += header(family, name);
          wroteHeader = true;
        }
        chunk += line;
        if (++inChunk >= this.#chunkSeries) {
          yield chunk;
          chunk = '';
          inChunk = 0;
        }
      }
    }
    if (chunk !== '') yield chunk;
  }
}
