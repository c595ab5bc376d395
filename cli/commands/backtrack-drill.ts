/**
 * `gameday backtrack-drill --runbook FILE|NAME`: runs a Backtrack drill on the runbook's Aurora
 * MySQL cluster with live progress on stderr and the report on stdout. Backtrack rewinds the whole
 * cluster by the drill's few seconds, so it asks for confirmation (or `--yes` without a TTY).
 */
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import type { CliContext } from '../context';
import { UsageError } from '../output';
import { buildInput } from './start';
import { drillWorkflowId, parseOptions, runDrill } from './verify-restore';

/** Options of `gameday backtrack-drill`, validated before any work. */
export const BacktrackDrillOptions = z.strictObject({
  runbook: z.string({ error: 'is required: a runbook name such as analytics-prod or a runbook file' }).min(1),
  wait: z.boolean().default(true),
  yes: z.boolean().default(false),
});
/** Validated options of `gameday backtrack-drill`. */
export type BacktrackDrillOptions = z.infer<typeof BacktrackDrillOptions>;

/** Asks a yes/no question on the TTY. */
async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** Registers `gameday backtrack-drill`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('backtrack-drill')
    .description('write a marker and a "corruption" sentinel, Backtrack the Aurora MySQL cluster, verify, measure the time to recover')
    .requiredOption('--runbook <fileOrName>', 'runbook name (e.g. analytics-prod) or YAML file')
    .option('--no-wait', 'print the workflow id and return')
    .option('--yes', 'confirm the rewind of the cluster (required without a TTY)')
    .action(async (raw: Record<string, unknown>, cmd: Command) => {
      const o = parseOptions(BacktrackDrillOptions, raw);
      const { input } = buildInput({ runbook: o.runbook });
      if (!o.yes) {
        const warning = 'backtrack-drill rewinds the whole cluster by a few seconds (every write after the marker is undone)';
        if (!process.stdin.isTTY) throw new UsageError(`${warning}: pass --yes to confirm`);
        if (!(await confirm(`${warning}. Continue? [y/N] `))) throw new UsageError('not confirmed; nothing was done');
      }
      const g = ctx.options(cmd);
      process.exitCode = await runDrill(
        await ctx.client(cmd),
        ctx.output(cmd),
        'backtrackDrillWorkflow',
        drillWorkflowId('backtrack-drill', o.runbook),
        input,
        { taskQueue: g.taskQueue, wait: o.wait },
      );
    });
}
