/** `genesis-telemetry audit <url|file|->`: the metrics review, automated; exits 1 on findings at or above --fail-on. */
import { parseArgs } from 'node:util';
import { resolveAuditSettings } from '../audit/audit-options.ts';
import { atOrAbove } from '../audit/finding.ts';
import { AuditInputError, loadExposition } from '../audit/load-input.ts';
import { renderJson } from '../audit/render-json.ts';
import { renderMarkdown } from '../audit/render-markdown.ts';
import { renderTable } from '../audit/render-table.ts';
import { auditExposition } from '../audit/run-audit.ts';
import { ExpositionParseError } from '../exposition/parse-exposition.ts';
import type { Command } from './command.ts';

const RENDERERS = { table: renderTable, json: renderJson, markdown: renderMarkdown } as const;

export const auditCommand: Command = {
  help: `audit a Prometheus exposition (URL, file, or - for stdin): inventory, naming, cardinality, consistency
  --catalog <c>          genesis (default: check against the catalog) or none (any exposition)
  --json | --markdown    machine or review output (default: a table)
  --fail-on <severity>   exit 1 on a finding at or above error (default), warning, info; never
  --budget <n>           series per metric (default 1000; catalog metrics: their own bound)
  --budget <metric>=<n>  one metric's series budget (repeat for more)
  --bearer-token <t>     for a protected URL (GENESIS_AUDIT_BEARER_TOKEN)
  --basic-auth <u:p>     for a protected URL (GENESIS_AUDIT_BASIC_AUTH)
  --timeout <s>          give up on a URL after s seconds (default 10)`,

  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        catalog: { type: 'string' },
        json: { type: 'boolean' },
        markdown: { type: 'boolean' },
        'fail-on': { type: 'string' },
        budget: { type: 'string', multiple: true },
        'bearer-token': { type: 'string' },
        'basic-auth': { type: 'string' },
        timeout: { type: 'string' },
      },
    });
    const settings = resolveAuditSettings(positionals, values, process.env);
    let report: ReturnType<typeof auditExposition>;
    try {
      const text = await loadExposition(settings.source, { timeoutMs: settings.timeoutMs, auth: settings.auth });
      report = auditExposition(settings.source, text, settings.context);
    } catch (error) {
      // loadExposition turns the failures of a URL (a cut body too) or a file into AuditInputError: anything else is a bug, shown with its stack.
      if (!(error instanceof AuditInputError || error instanceof ExpositionParseError)) throw error;
      // The input, not the metrics, is at fault: a usage error, like a bad flag.
      const where = error instanceof ExpositionParseError ? `${settings.source}: ` : '';
      console.error(`genesis-telemetry audit: ${where}${error.message}`);
      return 2;
    }
    process.stdout.write(RENDERERS[settings.format](report));
    const { failOn } = settings;
    return failOn !== 'never' && report.findings.some((f) => atOrAbove(f.severity, failOn)) ? 1 : 0;
  },
};
