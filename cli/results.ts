/**
 * How the CLI shows a workflow's result, in one place: a `RunReport` as its Markdown report (the
 * same text `gameday report --format md` prints), a preflight report as its table, anything else as
 * JSON; which results mean the run failed (exit 1); and how a waited-for run's report or failure
 * is printed (the failure chain is read by `cli/failure-reason.ts`). The report renderer and the
 * Temporal client are required when first used, so a refused command line loads neither
 * (`cli/command-table.ts`).
 */
import type { PreflightReport } from '../contracts/preflight';
import type { RunReport } from '../lib/measurement-types';
import type { renderReport as RenderReport } from '../lib/report';
import { formatDuration } from '../lib/report/format';
import { reportOfFailure } from './failure-reason';
import { CliError, EXIT, table, type Output } from './output';

/** True for a value shaped like a `RunReport` (what every playbook returns). */
export function isRunReport(v: unknown): v is RunReport {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<RunReport>;
  return r.schemaVersion === 1 && typeof r.measurement === 'object' && r.measurement !== null && Array.isArray(r.timeline);
}

/** True for a value shaped like a `PreflightReport`. */
export function isPreflightReport(v: unknown): v is PreflightReport {
  return (
    typeof v === 'object' && v !== null && Array.isArray((v as PreflightReport).checks) && typeof (v as PreflightReport).ready === 'boolean'
  );
}

/** Human rendering of a preflight report: header, one row per check, verdict line. */
export function formatPreflightReport(r: PreflightReport): string {
  const head = `Preflight ${r.runbook} (${r.service}/${r.environment}, ${r.tier}: RPO ${formatDuration(r.targets.rpoMs)}, RTO ${formatDuration(r.targets.rtoMs)})`;
  const rows = r.checks.map((c) => [c.ok ? 'ok' : 'FAIL', c.name, c.expected, c.found]);
  const failed = r.checks.filter((c) => !c.ok).length;
  const verdict = r.ready ? `READY: all ${r.checks.length} checks passed` : `NOT READY: ${failed} of ${r.checks.length} checks failed`;
  return `${head}\n${table(['', 'check', 'expected', 'found'], rows)}\n${verdict}\n`;
}

/** Human rendering of a run report: its Markdown report, after an optional heading line (e.g. that it is a prediction). */
export function formatRunReport(r: RunReport, heading?: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { renderReport } = require('../lib/report') as { renderReport: typeof RenderReport };
  const md = renderReport(r, 'md');
  return heading ? `${heading}\n\n${md}` : md;
}

/** Human rendering of any workflow result: run reports and preflight reports get their own text, the rest is JSON. */
export function formatResult(v: unknown): string {
  if (isRunReport(v)) return formatRunReport(v);
  if (isPreflightReport(v)) return formatPreflightReport(v);
  return typeof v === 'string' ? v : JSON.stringify(v, null, 2);
}

/** True when a workflow result says the run failed (exit 1): not ready, not completed, or a fail verdict. */
export function resultFailed(v: unknown): boolean {
  if (isRunReport(v)) return v.outcome !== 'completed' || v.measurement.verdict === 'fail';
  if (typeof v !== 'object' || v === null) return false;
  const o = v as { ready?: unknown; verdict?: unknown };
  return o.ready === false || o.verdict === 'fail';
}

/** How `printRunReport` shows the report. */
export interface PrintRunReportOptions {
  /** A line above the report, e.g. that the run was a dry run. */
  readonly heading?: string;
  /** The `--json` value of a report. @default the report itself */
  readonly json?: (report: RunReport) => unknown;
}

/**
 * Waits for a playbook's report and prints it; returns the exit code (1 when the run did not complete
 * or a figure failed). A failed run's attached report is printed too, then the run's failure is
 * thrown as a `CliError` (exit 1) naming the workflow and the innermost cause.
 */
export async function printRunReport(
  out: Output,
  workflowId: string,
  result: Promise<RunReport>,
  opts: PrintRunReportOptions = {},
): Promise<number> {
  const show = (r: RunReport): void => out.result(formatRunReport(r, opts.heading), opts.json ? opts.json(r) : r);
  let report: RunReport;
  try {
    report = await result;
  } catch (err) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { WorkflowFailedError } = require('@temporalio/client') as typeof import('@temporalio/client');
    if (!(err instanceof WorkflowFailedError)) throw err;
    const failure = reportOfFailure(err);
    if (failure.report) show(failure.report);
    throw new CliError(`${workflowId} failed: ${failure.message}`, EXIT.runFailed);
  }
  show(report);
  return resultFailed(report) ? EXIT.runFailed : EXIT.ok;
}
