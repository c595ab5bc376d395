/**
 * `gameday verify-restore --runbook FILE|NAME [--to TIME | --snapshot ID]`: starts a restore
 * verification, shows its progress live (the run's `statusQuery`, on stderr) and prints the
 * report (`cli/results.ts`: Markdown, or JSON with the global `--json`) on stdout. Exit 1 when the
 * verification or the run fails or a figure misses its target, 2 for bad input. Also exports the
 * start-and-follow helper `backtrack-drill` uses.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import type { RunReport } from '../../lib/measurement-types';
import { followToResult } from '../follow-run';
import type { CliContext } from '../context';
import { parseOptions } from '../options';
import { EXIT, UsageError } from '../output';
import { printRunReport } from '../results';
import { buildInput } from './start';
import { runMetadata } from '../../lib/run-metadata';

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

/** A drill `runDrill` starts: the workflow type, the prefix of its id, the runbook and the input. */
export interface DrillStart {
  readonly workflowType: string;
  readonly idPrefix: string;
  readonly runbook: string;
  readonly input: Record<string, unknown>;
  /** False: print the workflow id and return once started. */
  readonly wait: boolean;
}

/** Starts a drill on the CLI's task queue, follows it live and prints its report; returns the exit code. */
export async function runDrill(ctx: CliContext, cmd: Command, d: DrillStart): Promise<number> {
  const client = await ctx.client(cmd);
  const out = ctx.output(cmd);
  const { taskQueue } = ctx.options(cmd);
  const workflowId = drillWorkflowId(d.idPrefix, d.runbook);
  const handle = await client.workflow.start(d.workflowType, {
    taskQueue,
    workflowId,
    args: [d.input],
    ...runMetadata(d.workflowType, d.input, `gameday ${d.idPrefix}`),
  });
  out.info(`started ${d.workflowType} ${workflowId} on task queue ${taskQueue}`);
  if (!d.wait) {
    out.result(workflowId, { workflowId, runId: handle.firstExecutionRunId, workflow: d.workflowType, taskQueue });
    return EXIT.ok;
  }
  return printRunReport(
    out,
    workflowId,
    followToResult<RunReport>(handle, (line) => out.info(line)),
  );
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
      process.exitCode = await runDrill(ctx, cmd, {
        workflowType: 'restoreVerificationWorkflow',
        idPrefix: 'verify-restore',
        runbook: o.runbook,
        input: args,
        wait: o.wait,
      });
    });
}
