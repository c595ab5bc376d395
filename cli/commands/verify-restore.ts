/**
 * `gameday verify-restore --runbook FILE|NAME [--to TIME | --snapshot ID]`: starts a restore
 * verification, shows its progress live (the run's `statusQuery`, on stderr) and prints the
 * report (markdown, or JSON with the global `--json`) on stdout. Exit 1 when the verification or
 * the run fails, 2 for bad input. Also exports the start-and-follow helper `backtrack-drill` uses.
 */
import { WorkflowFailedError, type Client } from '@temporalio/client';
import type { Command } from 'commander';
import { z } from 'zod';
import { renderReport } from '../../lib/report';
import type { RunReport } from '../../lib/measurement-types';
import { followRun } from '../follow-run';
import type { CliContext } from '../context';
import { EXIT, UsageError, type Output } from '../output';
import { buildInput } from './start';

/** Options of `gameday verify-restore`, validated before any work. */
export const VerifyRestoreOptions = z.strictObject({
  runbook: z.string({ error: 'is required: a runbook name such as analytics-prod or a runbook file' }).min(1),
  to: z
    .string()
    .refine(
      (t) => /^\d+$/.test(t) || (/^\d{4}-\d{2}-\d{2}T/.test(t) && Number.isFinite(Date.parse(t))),
      'expected an ISO 8601 time such as 2026-01-31T02:00:00Z or epoch ms',
    )
    .optional(),
  snapshot: z.string().min(1).optional(),
  wait: z.boolean().default(true),
});
/** Validated options of `gameday verify-restore`. */
export type VerifyRestoreOptions = z.infer<typeof VerifyRestoreOptions>;

/** Parses commander options with `schema`; a problem is a `UsageError` naming the flag. */
export function parseOptions<T>(schema: z.ZodType<T>, raw: Record<string, unknown>): T {
  const r = schema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
  if (r.success) return r.data;
  const flag = (p: PropertyKey[]): string => `--${String(p[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  throw new UsageError(
    r.error.issues
      .map((i) => (i.code === 'unrecognized_keys' ? `unknown option(s) ${i.keys.join(', ')}` : `${flag(i.path)}: ${i.message}`))
      .join('\n'),
  );
}

/** The report carried in a failed run's failure details, if any, and the innermost message. */
export function reportOfFailure(err: WorkflowFailedError): { report?: RunReport; message: string } {
  let cause: unknown = err.cause;
  let report: RunReport | undefined;
  let message = err.message;
  while (cause) {
    const c = cause as { message?: string; details?: unknown[]; cause?: unknown };
    if (c.message) message = c.message;
    const d = Array.isArray(c.details) ? c.details[0] : undefined;
    if (!report && d && typeof d === 'object' && 'schemaVersion' in d) report = d as RunReport;
    cause = c.cause;
  }
  return { ...(report ? { report } : {}), message };
}

/** Starts `workflowType` with `input`, follows it live and prints its report; returns the exit code. */
export async function runDrill(
  client: Client,
  out: Output,
  workflowType: string,
  workflowId: string,
  input: Record<string, unknown>,
  opts: { taskQueue: string; wait: boolean },
): Promise<number> {
  const handle = await client.workflow.start(workflowType, { taskQueue: opts.taskQueue, workflowId, args: [input] });
  out.info(`started ${workflowType} ${workflowId} on task queue ${opts.taskQueue}`);
  if (!opts.wait) {
    out.result(workflowId, { workflowId, runId: handle.firstExecutionRunId, workflow: workflowType, taskQueue: opts.taskQueue });
    return EXIT.ok;
  }
  const result = handle.result() as Promise<RunReport>;
  await followRun(handle, result, (l) => out.info(l));
  try {
    const report = await result;
    out.result(renderReport(report, 'md'), report);
    return EXIT.ok;
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const { report, message } = reportOfFailure(err);
    out.info(`FAILED: ${message}`);
    if (report) out.result(renderReport(report, 'md'), report);
    return EXIT.runFailed;
  }
}

/** `<prefix>-<runbook stem>-<UTC timestamp>`: readable and unique per start. */
export function drillWorkflowId(prefix: string, runbook: string): string {
  const stem = runbook.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
  return `${prefix}-${stem}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
}

/** Registers `gameday verify-restore`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('verify-restore')
    .description("restore the runbook's Aurora cluster into a temporary cluster, verify the data, measure against the tier RTO, delete it")
    .requiredOption('--runbook <fileOrName>', 'runbook name (e.g. analytics-prod) or YAML file')
    .option('--to <time>', 'restore point (ISO 8601 or epoch ms); default: the latest restorable time')
    .option('--snapshot <id>', 'restore this cluster snapshot instead of a point in time')
    .option('--no-wait', 'print the workflow id and return')
    .action(async (raw: Record<string, unknown>, cmd: Command) => {
      const o = parseOptions(VerifyRestoreOptions, raw);
      if (o.to && o.snapshot) throw new UsageError('--to and --snapshot exclude each other: give one');
      const { input } = buildInput({ runbook: o.runbook });
      const args = {
        ...input,
        ...(o.to ? { to: /^\d+$/.test(o.to) ? Number(o.to) : o.to } : {}),
        ...(o.snapshot ? { snapshotId: o.snapshot } : {}),
      };
      const g = ctx.options(cmd);
      process.exitCode = await runDrill(
        await ctx.client(cmd),
        ctx.output(cmd),
        'restoreVerificationWorkflow',
        drillWorkflowId('verify-restore', o.runbook),
        args,
        { taskQueue: g.taskQueue, wait: o.wait },
      );
    });
}
