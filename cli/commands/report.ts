/**
 * `gameday report <workflowId> [--format json|md|html] [--out FILE]`: the run's report from the
 * workflow result (or from `reportQuery` while it is running), rendered as JSON, Markdown or a
 * self-contained HTML page. Talks to Temporal only.
 */
import { writeFileSync } from 'node:fs';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import type { Command } from 'commander';
import { z } from 'zod';
import type { RunReport } from '../../lib/measurement-types';
import { renderReport, validateReport } from '../../lib/report';
import { reportQuery } from '../../contracts/run';
import { connectClient as connectTemporal } from '../client';
import type { CliContext } from '../context';
import { parseOptions } from '../options';
import { CliError, EXIT, UsageError } from '../output';
import { reportOfFailure } from '../failure-reason';

/** Options of `gameday report`, validated before any work. */
export const ReportOptions = z.strictObject({
  format: z.enum(['json', 'md', 'html'], { error: 'expected --format json, md or html' }).default('md'),
  out: z.string().min(1).optional(),
});
/** Validated options of `gameday report`. */
export type ReportOptions = z.infer<typeof ReportOptions>;

/** Thrown when a run has no report to show; the message says why and what to do. */
export class NoReportError extends Error {
  override readonly name = 'NoReportError';
}

/**
 * Connects a Temporal client from the profile and the TEMPORAL_* variables (kept for commands that
 * import it from here; new commands use `ctx.client(cmd)` from `cli/context.ts`).
 */
export async function connectClient(): Promise<{ client: Client; close: () => Promise<void> }> {
  const { client, close } = await connectTemporal({});
  return { client, close };
}

/**
 * The report of `workflowId` (its latest run, or `runId`): the result when completed, the report
 * a failed run carries in its failure, the `reportQuery` answer while running.
 */
export async function fetchReport(client: Client, workflowId: string, runId?: string): Promise<RunReport> {
  const handle = client.workflow.getHandle(workflowId, runId);
  const desc = await handle.describe();
  if (desc.status.name === 'RUNNING') {
    const live = await handle.query(reportQuery);
    if (!live) throw new NoReportError(`run ${workflowId} is running and has no report yet; try again after its first phase`);
    if (!('scenario' in live))
      throw new NoReportError(
        `run ${workflowId} (${desc.type}) measures no RTO/RPO; its report so far: ${JSON.stringify(live)}; follow it with \`gameday status ${workflowId}\``,
      );
    return validateReport(live);
  }
  try {
    return validateReport(await handle.result());
  } catch (err) {
    if (err instanceof WorkflowFailedError) {
      const failure = reportOfFailure(err);
      if (failure.report) return validateReport(failure.report);
      throw new NoReportError(`run ${workflowId} ended ${desc.status.name} without a report: ${failure.message}`);
    }
    throw err;
  }
}

/** Registers `report` on the program. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('report')
    .description('show the measured RTO/RPO report of a run (json, md or self-contained html)')
    .argument('<workflowId>', 'the run, as printed when it started')
    .option('--format <format>', 'json | md | html (default md; json with the global --json)')
    .option('--out <file>', 'write to FILE instead of stdout')
    .option('--run-id <runId>', 'a given run of that workflow id (default: the latest), e.g. the promotion before a retry')
    .action(async (workflowId: string, raw: { format?: string; out?: string; runId?: string }, cmd: Command) => {
      const global = ctx.options(cmd);
      const opts = parseOptions(ReportOptions, { format: raw.format ?? (global.json ? 'json' : 'md'), out: raw.out });
      const client = await ctx.client(cmd);
      let report: RunReport;
      try {
        report = await fetchReport(client, workflowId, raw.runId);
      } catch (err) {
        if (err instanceof NoReportError) throw new CliError(err.message, EXIT.runFailed);
        if (err instanceof Error && err.name === 'WorkflowNotFoundError')
          throw new UsageError(`no run with workflow id "${workflowId}"; list runs with \`gameday runs\``);
        throw err;
      }
      const text = renderReport(report, opts.format);
      if (opts.out) {
        writeFileSync(opts.out, text);
        process.stderr.write(`report written to ${opts.out}\n`);
      } else process.stdout.write(text);
      if (report.measurement.verdict === 'fail') process.exitCode = EXIT.runFailed;
    });
}
