/**
 * `gameday schedule create|list|pause|unpause|delete|trigger`: the Temporal Schedules that run
 * nightly restore verification, Backtrack drills, quarterly game days and the orphan sweeper
 * (definitions in `lib/schedules.ts`; visible on the Temporal UI's Schedules page). The schedule's
 * runs go to the global `--task-queue`.
 */
import type { Command } from 'commander';
import {
  createSchedule,
  deleteSchedule,
  describeSchedule,
  listSchedules,
  pauseSchedule,
  SCHEDULE_KINDS,
  ScheduleRequest,
  triggerSchedule,
  unpauseSchedule,
} from '../../lib/schedules';
import type { CliContext } from '../context';
import { table, UsageError } from '../output';

interface CreateOptions {
  readonly kind: string;
  readonly runbook?: string;
  readonly plan?: string;
  readonly cron?: string;
  readonly id?: string;
  readonly workflow?: string;
  readonly input?: string;
  readonly paused?: boolean;
  readonly note?: string;
}

const FLAG_OF: Record<string, string> = { workflowType: '--workflow', taskQueue: '--task-queue' };

function usage(issues: readonly { path: PropertyKey[]; message: string }[]): UsageError {
  return new UsageError(issues.map((i) => `${FLAG_OF[String(i.path[0])] ?? `--${String(i.path[0] ?? 'kind')}`}: ${i.message}`).join('\n'));
}

function parseJsonObject(text: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--input: not JSON (${(err as Error).message}); e.g. --input '{"runbook":"payments-prod"}'`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UsageError('--input: expected a JSON object');
  return v as Record<string, unknown>;
}

/** The validated `ScheduleRequest` of `schedule create` options. */
export function createRequestOf(o: CreateOptions, taskQueue: string): ScheduleRequest {
  const parsed = ScheduleRequest.safeParse({
    kind: o.kind,
    ...(o.runbook ? { runbook: o.runbook } : {}),
    ...(o.plan ? { plan: o.plan } : {}),
    ...(o.cron ? { cron: o.cron } : {}),
    ...(o.id ? { id: o.id } : {}),
    ...(o.workflow ? { workflowType: o.workflow } : {}),
    ...(o.input !== undefined ? { input: parseJsonObject(o.input) } : {}),
    taskQueue,
    paused: o.paused ?? false,
    ...(o.note ? { note: o.note } : {}),
  });
  if (!parsed.success) throw usage(parsed.error.issues);
  return parsed.data;
}

/** Registers `gameday schedule …`. */
export function register(program: Command, ctx: CliContext): void {
  const schedule = program
    .command('schedule')
    .description('Temporal Schedules for recurring drills (nightly restore verification, game days, orphan sweeper)');

  schedule
    .command('create')
    .description('create a schedule (overlap: skip, catch-up window: 10 minutes)')
    .requiredOption('--kind <kind>', SCHEDULE_KINDS.join(' | '))
    .option('--runbook <name>', 'runbook name (required except for orphan-sweeper and quarterly-gameday)')
    .option('--plan <name>', 'quarterly-gameday: the game-day plan (runbooks/gamedays/<name>.yaml of the worker) gameDayWorkflow runs')
    .option('--cron <expr>', '5-field cron, UTC (default per kind)')
    .option('--id <scheduleId>', 'schedule id (default gameday-<kind>-<plan or runbook>)')
    .option('--workflow <type>', "workflow type other than the kind's (default per kind; quarterly-gameday: gameDayWorkflow)")
    .option('--input <json>', 'workflow input as a JSON object (default {"runbook": NAME})')
    .option('--paused', 'create it paused')
    .option('--note <text>', 'note shown on the Schedules page')
    .action(async (o: CreateOptions, cmd: Command) => {
      const request = createRequestOf(o, ctx.options(cmd).taskQueue);
      const id = await createSchedule(await ctx.client(cmd), request);
      ctx.output(cmd).result(`created schedule ${id}`, { scheduleId: id });
    });

  schedule
    .command('list')
    .description('list gameday schedules')
    .option('--all', 'include schedules not created by gameday')
    .action(async (o: { all?: boolean }, cmd: Command) => {
      const rows = await listSchedules(await ctx.client(cmd), { all: o.all ?? false });
      const out = ctx.output(cmd);
      const text = table(
        ['id', 'workflow', 'cron (UTC)', 'state', 'next run', 'note'],
        rows.map((r) => [r.id, r.workflowType ?? '-', r.cron, r.paused ? 'paused' : 'active', r.nextRun ?? '-', r.note ?? '']),
      );
      out.result(text, rows);
      if (rows.length === 0) out.info('no gameday schedules (visibility may lag a few seconds after a create)');
    });

  const byId = (
    name: string,
    description: string,
    run: (cmd: Command, id: string, o: Record<string, unknown>) => Promise<string>,
    extra?: (c: Command) => Command,
  ): void => {
    let c = schedule.command(name).description(description).argument('<scheduleId>', 'schedule id, as `schedule list` shows');
    if (extra) c = extra(c);
    c.action(async (id: string, o: Record<string, unknown>, cmd: Command) => {
      if (!(await describeSchedule(await ctx.client(cmd), id)))
        throw new UsageError(`<scheduleId>: no schedule with id ${id}; see gameday schedule list`);
      const done = await run(cmd, id, o);
      ctx.output(cmd).result(done, { scheduleId: id, action: name });
    });
  };
  const note = (c: Command): Command => c.option('--note <text>', 'why (shown on the Schedules page)');
  byId(
    'pause',
    'pause a schedule',
    async (cmd, id, o) => (await pauseSchedule(await ctx.client(cmd), id, o.note as string | undefined), `paused ${id}`),
    note,
  );
  byId(
    'unpause',
    'unpause a schedule',
    async (cmd, id, o) => (await unpauseSchedule(await ctx.client(cmd), id, o.note as string | undefined), `unpaused ${id}`),
    note,
  );
  byId(
    'trigger',
    "run the schedule's drill now (skipped if one is still running)",
    async (cmd, id) => (await triggerSchedule(await ctx.client(cmd), id), `triggered ${id}`),
  );
  byId(
    'delete',
    'delete a schedule (runs already started continue)',
    async (cmd, id, o) => {
      if (!o.yes && !process.stdin.isTTY) throw new UsageError(`deleting schedule ${id}: pass --yes to confirm`);
      await deleteSchedule(await ctx.client(cmd), id);
      return `deleted ${id}`;
    },
    (c) => c.option('--yes', 'confirm (required without a TTY)'),
  );
}
