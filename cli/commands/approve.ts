/**
 * `gameday approve <workflowId> [--by NAME] [--reason TEXT]` and `gameday reject …`: decide the
 * approval gate of a region promotion through `approvePromotionUpdate` / `rejectPromotionUpdate`.
 * The workflow's validator answers synchronously: a run that is not waiting for approval, or a
 * name that is not among the runbook's approvers, is refused with its message (exit 2).
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Command } from 'commander';
import { approvePromotionUpdate, rejectPromotionUpdate } from '../../contracts/promotion';
import type { CliContext } from '../context';
import { UsageError } from '../output';

interface DecisionOptions {
  readonly by?: string;
  readonly reason?: string;
}

function registerDecision(program: Command, ctx: CliContext, kind: 'approve' | 'reject'): void {
  program
    .command(kind)
    .description(
      kind === 'approve'
        ? 'approve a region promotion waiting at its approval gate'
        : 'reject a region promotion waiting at its approval gate (it stops cleanly)',
    )
    .argument('<workflowId>', 'workflow id, e.g. promote-payments-global')
    .option('--by <name>', 'who decides (default: $USER); must be a runbook approver when the runbook lists them')
    .option('--reason <text>', 'why (recorded in the report)')
    .action(async (workflowId: string, opts: DecisionOptions, cmd: Command) => {
      const out = ctx.output(cmd);
      const by = opts.by ?? process.env.USER;
      if (!by) throw new UsageError('--by: required (no $USER to default to): who decides');
      const client = await ctx.client(cmd);
      const handle = client.workflow.getHandle(workflowId);
      const update = kind === 'approve' ? approvePromotionUpdate : rejectPromotionUpdate;
      try {
        const r = await handle.executeUpdate(update, { args: [{ by, ...(opts.reason !== undefined ? { reason: opts.reason } : {}) }] });
        out.result(`${workflowId}: ${r.decision} by ${r.by}`, r);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new UsageError(`no running workflow with id ${workflowId}`);
        if (err instanceof WorkflowUpdateFailedError)
          throw new UsageError(`${kind} refused by ${workflowId}: ${err.cause?.message ?? err.message}`);
        throw err;
      }
    });
}

/** Registers `approve` and `reject`. */
export function register(program: Command, ctx: CliContext): void {
  registerDecision(program, ctx, 'approve');
  registerDecision(program, ctx, 'reject');
}
