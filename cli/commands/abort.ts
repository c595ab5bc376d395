/**
 * `gameday abort <workflowId>`: asks a running playbook to stop. By default sends `abortSignal`
 * (the workflow stops injecting and runs every undo step); `--cancel` requests Temporal
 * cancellation instead (for workflows without an abort handler).
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Command } from 'commander';
import { abortSignal } from '../../contracts/run';
import type { CliContext } from '../context';
import { UsageError } from '../output';

interface AbortOptions {
  readonly reason: string;
  readonly cancel: boolean;
}

/** Registers `abort`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('abort')
    .description('abort a running playbook (abortSignal; --cancel to cancel the workflow instead)')
    .argument('<workflowId>', 'workflow id')
    .option('--reason <text>', 'why (recorded in the run history)', 'aborted from the gameday CLI')
    .option('--cancel', 'request workflow cancellation instead of sending abortSignal', false)
    .action(async (workflowId: string, opts: AbortOptions, cmd: Command) => {
      const out = ctx.output(cmd);
      const client = await ctx.client(cmd);
      const handle = client.workflow.getHandle(workflowId);
      let status: string;
      try {
        status = (await handle.describe()).status.name;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new UsageError(`no workflow with id ${workflowId}`);
        throw err;
      }
      if (status !== 'RUNNING') throw new UsageError(`${workflowId} is ${status}, not running: nothing to abort`);
      if (opts.cancel) {
        await handle.cancel();
        out.result(`cancellation requested for ${workflowId}`, { workflowId, action: 'cancel' });
      } else {
        await handle.signal(abortSignal, { reason: opts.reason, by: process.env.USER });
        out.result(`abort signal sent to ${workflowId} (reason: ${opts.reason})`, {
          workflowId,
          action: 'abort-signal',
          reason: opts.reason,
        });
      }
    });
}
