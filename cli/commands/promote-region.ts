/**
 * `gameday promote-region --runbook FILE|NAME --to REGION --mode switchover|failover|detach
 * [--incident ID] [--yes]`: the on-call command of a region loss. Validates the input locally
 * (same schema as the workflow's first activity), asks for confirmation on a TTY (refuses without
 * one unless `--yes`), starts `regionPromotionWorkflow` as `promote-<globalClusterId>` (a second
 * concurrent promotion is refused, naming the running one), then prints each step as it
 * progresses (polling `statusQuery`) until the end, and the run's report (`cli/results.ts`).
 * Exit 0 completed, 1 failed / aborted / fail verdict, 2 bad input.
 */
import type { Command } from 'commander';
import type { RegionPromotionInput } from '../../contracts/promotion';
import { promotionWorkflowId, RegionPromotionInputSchema } from '../../activities/promotion/prepare-promotion';
import type { RunReport } from '../../lib/measurement-types';
import {
  DEFAULT_RUNBOOK_DIR,
  formatIssue,
  loadRunbookByName,
  parseRunbook,
  readRunbookText,
  runbookName,
  RunbookValidationError,
} from '../../runbooks/load';
import { sha256Hex } from '../../runbooks/runbook-digest';
import type { Runbook } from '../../runbooks/schema';
import type { followToResult as FollowToResult } from '../follow-run';
import { ask } from '../confirm';
import type { CliContext } from '../context';
import { CliError, EXIT, UsageError } from '../output';
import { printRunReport } from '../results';
import { runMetadata } from '../../lib/run-metadata';

/** Options of `promote-region` (commander names). */
export interface PromoteRegionOptions {
  readonly runbook: string;
  readonly to: string;
  readonly mode: string;
  readonly incident?: string;
  readonly yes: boolean;
  readonly failback: boolean;
  readonly approvalTimeout?: string;
  readonly wait: boolean;
}

/**
 * Loads the runbook named or given as a file, with the CLI's error contract (exit 2). For a file,
 * `sha256` is its content's digest: the worker runs its runbook of that name only if it is the same.
 */
export function resolveRunbook(
  ref: string,
  dir = process.env.GAMEDAY_RUNBOOK_DIR || DEFAULT_RUNBOOK_DIR,
): { name: string; runbook: Runbook; sha256?: string } {
  const isFile = /\.ya?ml$/.test(ref) || ref.includes('/');
  try {
    if (!isFile) return { name: ref, runbook: loadRunbookByName(ref, dir) };
    const text = readRunbookText(ref);
    return { name: runbookName(ref), runbook: parseRunbook(text, ref), sha256: sha256Hex(text) };
  } catch (err) {
    if (err instanceof RunbookValidationError)
      throw new UsageError(`--runbook: invalid runbook:\n${err.issues.map(formatIssue).join('\n')}`);
    throw err;
  }
}

/** Builds and validates the workflow input; errors name the option. */
export function buildPromotionInput(opts: PromoteRegionOptions, name: string, runbook: Runbook, sha256?: string): RegionPromotionInput {
  const candidate = {
    runbook: name,
    ...(sha256 !== undefined ? { runbookSha256: sha256 } : {}),
    targetRegion: opts.to,
    mode: opts.mode,
    ...(opts.incident !== undefined ? { incidentId: opts.incident } : {}),
    ...(process.env.USER ? { requestedBy: process.env.USER } : {}),
    ...(opts.approvalTimeout !== undefined ? { approvalTimeout: opts.approvalTimeout } : {}),
    ...(opts.failback ? { failback: true } : {}),
  };
  const r = RegionPromotionInputSchema.safeParse(candidate);
  if (!r.success) {
    const flag: Record<string, string> = {
      targetRegion: '--to',
      mode: '--mode',
      incidentId: '--incident',
      approvalTimeout: '--approval-timeout',
    };
    throw new UsageError(r.error.issues.map((i) => `${flag[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`).join('\n'));
  }
  const aurora = runbook.aurora;
  if (!aurora?.globalClusterId)
    throw new UsageError(`--runbook: ${name} has no Aurora global database (aurora.globalClusterId); nothing to promote`);
  if (!aurora.members.some((m) => m.region === opts.to)) {
    throw new UsageError(
      `--to: ${opts.to} is not a member region of ${aurora.globalClusterId}; expected one of ${aurora.members.map((m) => m.region).join(', ')}`,
    );
  }
  return r.data;
}

/** Registers `promote-region`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('promote-region')
    .description(
      'promote the secondary region of an Aurora Global Database (switchover | failover | detach), shift traffic, verify, measure',
    )
    .requiredOption('--runbook <file|name>', 'runbook file or name')
    .requiredOption('--to <region>', 'region to promote')
    .requiredOption('--mode <mode>', 'switchover (planned, RPO 0) | failover (AllowDataLoss) | detach (break glass)')
    .option('--incident <id>', 'incident id (recorded; marks the start of the outage)')
    .option('--yes', 'do not ask for confirmation (required without a TTY)', false)
    .option('--failback', 'game day: switch back once verified and measure time to re-protected', false)
    .option('--approval-timeout <duration>', 'override the runbook approval timeout, e.g. 30m')
    .option('--no-wait', 'return once started, printing the workflow id')
    .action(async (opts: PromoteRegionOptions, cmd: Command) => {
      const out = ctx.output(cmd);
      const { taskQueue } = ctx.options(cmd);
      const { name, runbook, sha256 } = resolveRunbook(opts.runbook);
      const input = buildPromotionInput(opts, name, runbook, sha256);
      const gc = runbook.aurora!.globalClusterId!;
      const workflowId = promotionWorkflowId(gc);
      const summary = `${input.mode} of ${gc} (${runbook.service}/${runbook.environment}, ${runbook.tier}) to ${input.targetRegion}${input.incidentId ? ` for incident ${input.incidentId}` : ''}`;
      if (!opts.yes) {
        if (!process.stdin.isTTY)
          throw new UsageError(`refusing to start a ${summary} without a terminal to confirm on; pass --yes to confirm non-interactively`);
        const ok = (await ask(`About to start a ${summary}.\nType the global cluster id (${gc}) to confirm: `)) === gc;
        if (!ok) throw new UsageError('not confirmed: nothing was started');
      }
      const client = await ctx.client(cmd);
      try {
        // One promotion per global cluster at a time: FAIL on a running one; a finished one may be
        // followed by a new promotion (e.g. the switch back).
        await client.workflow.start('regionPromotionWorkflow', {
          taskQueue,
          workflowId,
          args: [input],
          ...runMetadata('regionPromotionWorkflow', input, `gameday promote-region${input.requestedBy ? ` (${input.requestedBy})` : ''}`),
          workflowIdConflictPolicy: 'FAIL',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        });
      } catch (err) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { WorkflowExecutionAlreadyStartedError } = require('@temporalio/client') as typeof import('@temporalio/client');
        if (err instanceof WorkflowExecutionAlreadyStartedError) {
          const running = await client.workflow
            .getHandle(workflowId)
            .describe()
            .catch(() => undefined);
          throw new CliError(
            `a promotion of ${gc} is already running: workflow ${workflowId}${running ? ` (run ${running.runId}, started ${running.startTime.toISOString()})` : ''}; follow it with \`gameday status ${workflowId}\` or abort it with \`gameday abort ${workflowId}\``,
            EXIT.runFailed,
          );
        }
        throw err;
      }
      out.info(`started ${workflowId}: ${summary}`);
      if (!opts.wait) {
        out.result(workflowId, { workflowId, started: true });
        return;
      }
      const handle = client.workflow.getHandle(workflowId);
      process.exitCode = await printRunReport(
        out,
        workflowId,
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require('../follow-run') as { followToResult: typeof FollowToResult }).followToResult<RunReport>(handle, (line) => out.info(line)),
      );
    });
}
