/**
 * `gameday status <workflowId> [--run-id ID]`: what a run is doing. Describes the execution
 * (type, status, times in UTC and local time, gameday search attributes); for a running workflow
 * asks `statusQuery` and prints its steps; for a completed one prints its result; for a failed one
 * the reason. Exit 1 when the run failed, was terminated, cancelled or timed out.
 */
import type { Command } from 'commander';
import { SEARCH_ATTRIBUTES } from '../../lib/search-attributes';
import type { RunStatus } from '../../contracts/run';
import { failureReason } from '../failure-reason';
import type { CliContext } from '../context';
import { EXIT, UsageError } from '../output';

/** What the action needs beyond its options, loaded when it runs (a refused command line never loads them). */
function actionModules() {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    ...(require('@temporalio/client') as typeof import('@temporalio/client')),
    ...(require('../../contracts/run') as typeof import('../../contracts/run')),
    ...(require('../follow-run') as typeof import('../follow-run')),
    ...(require('../results') as typeof import('../results')),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** How long to wait for a worker to answer the status query. */
const QUERY_DEADLINE_MS = 5000;

/** Registers `status`. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('describe a run: status, search attributes, live status query or result')
    .argument('<workflowId>', 'workflow id')
    .option('--run-id <runId>', 'a given run of that workflow id (default: the latest)')
    .action(async (workflowId: string, opts: { runId?: string }, cmd: Command) => {
      const out = ctx.output(cmd);
      const client = await ctx.client(cmd);
      const { WorkflowFailedError, WorkflowNotFoundError, statusQuery, statusLines, formatResult } = actionModules();
      const handle = client.workflow.getHandle(workflowId, opts.runId);
      let desc;
      try {
        desc = await handle.describe();
      } catch (err) {
        if (err instanceof WorkflowNotFoundError)
          throw new UsageError(`no workflow with id ${workflowId}${opts.runId ? ` and run id ${opts.runId}` : ''}`);
        throw err;
      }
      const attrs: Record<string, unknown> = {};
      for (const a of Object.values(SEARCH_ATTRIBUTES)) {
        const v = desc.searchAttributes[a.name];
        if (Array.isArray(v) && v.length > 0) attrs[a.name] = v[0];
      }
      const status = desc.status.name;
      let live: RunStatus | undefined;
      let liveError: string | undefined;
      let result: unknown;
      let reason: string | undefined;
      if (status === 'RUNNING') {
        try {
          live = await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => handle.query(statusQuery));
        } catch (err) {
          liveError = `status query not answered: ${err instanceof Error ? err.message : String(err)}`;
        }
      } else if (status === 'COMPLETED') {
        result = await handle.result();
      } else if (status === 'FAILED') {
        reason = await handle.result().then(
          () => undefined,
          (err: unknown) => (err instanceof WorkflowFailedError ? failureReason(err) : String(err)),
        );
      }
      const when = (d: Date): string => `${d.toISOString()} (local ${d.toLocaleString()})`;
      const lines = [
        `${desc.workflowId}  ${desc.type}  ${status}`,
        `run id:      ${desc.runId}`,
        `task queue:  ${desc.taskQueue}`,
        `started:     ${when(desc.startTime)}`,
        ...(desc.closeTime ? [`closed:      ${when(desc.closeTime)}`] : []),
        ...(reason ? [`reason:      ${reason}`] : []),
        ...Object.entries(attrs).map(([k, v]) => `${`${k}:`.padEnd(12)} ${String(v)}`),
        ...(live
          ? [
              `step:        ${live.step ?? live.phase}${live.detail ? ` (${live.detail})` : ''}`,
              ...statusLines(live, workflowId, new Set()),
            ]
          : []),
        ...(liveError ? [`phase:       (${liveError})`] : []),
        ...(result !== undefined ? ['', formatResult(result)] : []),
      ];
      out.result(lines.join('\n'), {
        workflowId: desc.workflowId,
        runId: desc.runId,
        type: desc.type,
        status,
        taskQueue: desc.taskQueue,
        startTime: desc.startTime.toISOString(),
        closeTime: desc.closeTime?.toISOString(),
        searchAttributes: attrs,
        ...(live ? { live } : {}),
        ...(liveError ? { liveError } : {}),
        ...(reason ? { reason } : {}),
        ...(result !== undefined ? { result } : {}),
      });
      if (['FAILED', 'TERMINATED', 'CANCELLED', 'TIMED_OUT'].includes(status)) process.exitCode = EXIT.runFailed;
    });
}
