/**
 * `gameday backtrack-drill --runbook FILE|NAME`: runs a Backtrack drill on the runbook's Aurora
 * MySQL cluster with live progress on stderr and the report on stdout. Backtrack rewinds the whole
 * cluster by the drill's few seconds, so it asks for confirmation (or `--yes` without a TTY).
 */
import type { Command } from 'commander';
import { z } from 'zod';
import type { CliContext } from '../context';
import { ask } from '../confirm';
import { parseOptions } from '../options';
import { UsageError } from '../output';
import { buildInput } from './start';
import { runDrill } from './verify-restore';

/** Options of `gameday backtrack-drill`, validated before any work. */
export const BacktrackDrillOptions = z.strictObject({
  runbook: z.string({ error: 'is required: a runbook name such as analytics-prod or a runbook file' }).min(1),
  wait: z.boolean().default(true),
  yes: z.boolean().default(false),
});
/** Validated options of `gameday backtrack-drill`. */
export type BacktrackDrillOptions = z.infer<typeof BacktrackDrillOptions>;

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
        if (!/^y(es)?$/i.test(await ask(`${warning}. Continue? [y/N] `))) throw new UsageError('not confirmed; nothing was done');
      }
      process.exitCode = await runDrill(ctx, cmd, {
        workflowType: 'backtrackDrillWorkflow',
        idPrefix: 'backtrack-drill',
        runbook: o.runbook,
        input,
        wait: o.wait,
      });
    });
}
