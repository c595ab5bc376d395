/**
 * `gameday game-day …`: runs and steers a game day (`gameDayWorkflow`).
 *
 * - `start --plan <name|file> [--id ID] [--no-wait]`: a file is validated locally (exit 2 with
 *   `file:line: field: message`) and sent as YAML; a name is loaded by the worker from its
 *   `runbooks/gamedays/`. Follows the day (scenario, the child's step, what people must answer)
 *   and prints the scorecard; exit 1 when the day fails or its verdict is `fail`.
 * - `checkpoint <id> <name> --by NAME [--no] [--at ISO] [--note TEXT]`: answers a human checkpoint.
 * - `pause | resume | skip | abort-scenario <id> --by NAME [--reason TEXT]`: the day's controls.
 * A control or answer the day refuses (validator) exits 2 with its reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { WorkflowFailedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { Command } from 'commander';
import {
  abortScenarioUpdate,
  answerCheckpointUpdate,
  pauseGameDayUpdate,
  resumeGameDayUpdate,
  skipScenarioUpdate,
  type GameDayInput,
} from '../../contracts/gameday';
import { statusQuery, type RunStatus } from '../../contracts/run';
import { renderScorecardMarkdown } from '../../lib/report/scorecard';
import type { Scorecard } from '../../lib/scorecard';
import { loadGameDayPlanFile, GAMEDAY_SUBDIR } from '../../runbooks/gameday-load';
import { DEFAULT_RUNBOOK_DIR, RunbookValidationError } from '../../runbooks/load';
import type { CliContext } from '../context';
import { reportOfFailure } from '../failure-reason';
import { stepLine } from '../follow-run';
import { CliError, EXIT, UsageError } from '../output';

/** The workflow input for `--plan`: a local file validated and sent as YAML, or a plan name for the worker. */
export function planInput(plan: string): GameDayInput {
  if (!/\.ya?ml$/.test(plan) && !plan.includes('/')) return { plan };
  if (!existsSync(plan)) throw new UsageError(`--plan: file ${plan} not found (or pass a plan name such as payments-q4)`);
  const dir = dirname(plan);
  const runbookDir = basename(dir) === GAMEDAY_SUBDIR ? dirname(dir) : (process.env.GAMEDAY_RUNBOOK_DIR ?? DEFAULT_RUNBOOK_DIR);
  try {
    loadGameDayPlanFile(plan, runbookDir);
  } catch (err) {
    if (err instanceof RunbookValidationError) throw new UsageError(err.message);
    throw err;
  }
  return { plan: basename(plan).replace(/\.ya?ml$/, ''), planYaml: readFileSync(plan, 'utf8') };
}

/** New lines of the day's status for a person: steps, the child's step, what to answer and how. */
function dayLines(s: RunStatus, dayId: string, printed: Set<string>): string[] {
  const out: string[] = [];
  const once = (key: string, line: string): void => {
    if (printed.has(key)) return;
    printed.add(key);
    out.push(line);
  };
  for (const st of s.steps) if (st.state !== 'pending') once(`${st.step}:${st.state}`, stepLine(st));
  const child = (s.data as { child?: { workflowId: string; step?: string } } | undefined)?.child;
  if (child?.step) once(`child:${child.workflowId}:${child.step}`, `       ${child.workflowId}: ${child.step}`);
  if (s.awaiting) {
    const how = s.awaiting.updates.includes(answerCheckpointUpdate.name)
      ? `gameday game-day checkpoint ${dayId} <name> --by NAME [--no]`
      : `gameday approve ${child?.workflowId ?? '<child id>'} --by NAME`;
    once(`awaiting:${s.awaiting.what}`, `       waiting for ${s.awaiting.what}: ${how}`);
  }
  return out;
}

async function follow(ctx: CliContext, cmd: Command, handle: WorkflowHandle): Promise<Scorecard> {
  const out = ctx.output(cmd);
  const result = handle.result() as Promise<Scorecard>;
  let done = false;
  void result.then(
    () => (done = true),
    () => (done = true),
  );
  const printed = new Set<string>();
  while (!done) {
    const s = await handle.query(statusQuery).catch(() => undefined); // not answered yet: ask again
    if (s) for (const line of dayLines(s, handle.workflowId, printed)) out.info(line);
    await Promise.race([result.catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
  }
  return result;
}

function startCommand(parent: Command, ctx: CliContext): void {
  parent
    .command('start')
    .description('start a game day from a plan and follow it to its scorecard')
    .requiredOption('--plan <name|file>', 'plan name (runbooks/gamedays/ of the worker) or a local plan file')
    .option('--id <workflowId>', 'workflow id (default gameday-<plan>-<time>)')
    .option('--no-wait', 'print the workflow id and return')
    .action(async (opts: { plan: string; id?: string; wait: boolean }, cmd: Command) => {
      const input = planInput(opts.plan);
      const out = ctx.output(cmd);
      const workflowId = opts.id ?? `gameday-${input.plan}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      const client = await ctx.client(cmd);
      const handle = await client.workflow.start('gameDayWorkflow', { taskQueue: ctx.options(cmd).taskQueue, workflowId, args: [input] });
      out.info(`started gameDayWorkflow ${workflowId} (plan ${input.plan})`);
      if (!opts.wait) return out.result(workflowId, { workflowId, runId: handle.firstExecutionRunId });
      let sc: Scorecard;
      try {
        sc = await follow(ctx, cmd, handle);
      } catch (err) {
        if (!(err instanceof WorkflowFailedError)) throw err;
        const f = reportOfFailure(err);
        if (!f.report) throw new CliError(`game day ${workflowId} failed: ${f.message}`, EXIT.runFailed);
        sc = f.report as unknown as Scorecard;
        process.exitCode = EXIT.runFailed;
      }
      out.result(renderScorecardMarkdown(sc), sc);
      if (sc.verdict === 'fail') process.exitCode = EXIT.runFailed;
    });
}

async function send<T>(ctx: CliContext, cmd: Command, id: string, what: string, fn: (h: WorkflowHandle) => Promise<T>): Promise<T> {
  const handle = (await ctx.client(cmd)).workflow.getHandle(id);
  try {
    return await fn(handle);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new UsageError(`no running game day with id ${id}`);
    if (err instanceof WorkflowUpdateFailedError) throw new UsageError(`${what} refused by ${id}: ${err.cause?.message ?? err.message}`);
    throw err;
  }
}

function byOf(by: string | undefined): string {
  const who = by ?? process.env.USER;
  if (!who) throw new UsageError('--by: required (no $USER to default to): who answers');
  return who;
}

/** Registers `game-day` and its subcommands. */
export function register(program: Command, ctx: CliContext): void {
  const day = program.command('game-day').description('run a game-day plan (gameDayWorkflow), answer its checkpoints, steer it');
  startCommand(day, ctx);
  day
    .command('checkpoint')
    .description('answer an open human checkpoint of a game day')
    .argument('<workflowId>', 'the game day')
    .argument('<checkpoint>', 'checkpoint name, e.g. alert-paged')
    .option('--by <name>', 'who answers (default $USER)')
    .option('--no', 'it did not work (the alarm did not page, the runbook was not found…)')
    .option('--at <iso>', 'when it happened, e.g. 2026-12-02T10:04:00Z (default: now)')
    .option('--note <text>', 'what happened')
    .action(async (id: string, name: string, opts: { by?: string; no?: boolean; at?: string; note?: string }, cmd: Command) => {
      const answer = {
        checkpoint: name,
        by: byOf(opts.by),
        ok: !opts.no,
        ...(opts.at ? { at: opts.at } : {}),
        ...(opts.note ? { note: opts.note } : {}),
      };
      const r = await send(ctx, cmd, id, 'answer', (h) => h.executeUpdate(answerCheckpointUpdate, { args: [answer] }));
      ctx.output(cmd).result(`${id}: ${r.checkpoint} answered by ${r.by}`, r);
    });
  const controls = [
    ['pause', pauseGameDayUpdate, 'hold the day before its next scenario'],
    ['resume', resumeGameDayUpdate, 'let a paused day go on'],
    ['skip', skipScenarioUpdate, 'skip the current scenario (its child aborts and cleans up), or the next one while paused'],
    ['abort-scenario', abortScenarioUpdate, 'abort the current scenario (its child aborts and cleans up)'],
  ] as const;
  for (const [name, update, what] of controls) {
    day
      .command(name)
      .description(what)
      .argument('<workflowId>', 'the game day')
      .option('--by <name>', 'who asks (default $USER)')
      .option('--reason <text>', 'why')
      .action(async (id: string, opts: { by?: string; reason?: string }, cmd: Command) => {
        const req = { by: byOf(opts.by), ...(opts.reason ? { reason: opts.reason } : {}) };
        const r = await send(ctx, cmd, id, name, (h) => h.executeUpdate(update, { args: [req] }));
        ctx.output(cmd).result(`${id}: ${r.detail}`, r);
      });
  }
}
