/**
 * Client-side definitions of gameday's Temporal Schedules: nightly restore verification, weekly
 * Backtrack drills, quarterly game days and the hourly orphan sweeper. Each is a Schedule object
 * on the Temporal server (visible on the UI's Schedules page), with overlap SKIP (a drill still
 * running when the next one is due is not doubled) and a short catch-up window (a drill missed
 * during an outage is not replayed hours later at a bad time). Used by `gameday schedule`.
 */
import {
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleOptions,
  type ScheduleSummary,
} from '@temporalio/client';
import { z } from 'zod';
import { runMetadata } from './run-metadata';

/** The kinds of scheduled drills. */
export const SCHEDULE_KINDS = ['nightly-restore-verification', 'backtrack-drill', 'quarterly-gameday', 'orphan-sweeper'] as const;
/** One kind of scheduled drill. */
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

/** Default cron (UTC) and workflow type per kind. */
export const SCHEDULE_DEFAULTS: Readonly<
  Record<ScheduleKind, { readonly cron: string; readonly workflowType?: string; readonly what: string }>
> = {
  'nightly-restore-verification': {
    cron: '0 3 * * *',
    workflowType: 'restoreVerificationWorkflow',
    what: 'nightly point-in-time restore verification',
  },
  'backtrack-drill': { cron: '0 4 * * 1', workflowType: 'backtrackDrillWorkflow', what: 'weekly Backtrack drill' },
  'quarterly-gameday': { cron: '0 10 15 1,4,7,10 *', what: 'quarterly game day (15th of Jan/Apr/Jul/Oct, 10:00 UTC)' },
  'orphan-sweeper': { cron: '17 * * * *', workflowType: 'orphanSweeperWorkflow', what: 'hourly sweep of orphaned restore resources' },
};

/** Catch-up window of every gameday schedule: a missed drill older than this is skipped. */
export const CATCHUP_WINDOW = '10 minutes';

const cronField = /^[\d*,/-]+$/;

/** Request of `gameday schedule create`, validated before any call. */
export const ScheduleRequest = z
  .strictObject({
    kind: z.enum(SCHEDULE_KINDS, { error: `expected one of ${SCHEDULE_KINDS.join(', ')}` }),
    runbook: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a runbook name such as "analytics-prod"')
      .optional(),
    cron: z
      .string()
      .refine(
        (c) =>
          c.trim().split(/\s+/).length === 5 &&
          c
            .trim()
            .split(/\s+/)
            .every((f) => cronField.test(f)),
        'expected a 5-field cron expression (UTC) such as "0 3 * * *"',
      )
      .optional(),
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, 'expected a schedule id of letters, digits, dots, dashes, underscores')
      .optional(),
    workflowType: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9]*Workflow$/, 'expected a workflow type such as regionPromotionWorkflow')
      .optional(),
    /** Workflow input (JSON object); default `{ runbook }`. */
    input: z.record(z.string(), z.unknown()).optional(),
    taskQueue: z.string().min(1).default('gameday'),
    paused: z.boolean().default(false),
    note: z.string().optional(),
  })
  .superRefine((r, ctx) => {
    if (r.kind !== 'orphan-sweeper' && !r.runbook && !r.input)
      ctx.addIssue({ code: 'custom', path: ['runbook'], message: `--runbook is required for ${r.kind}` });
    if (r.kind === 'quarterly-gameday' && !r.workflowType) {
      ctx.addIssue({
        code: 'custom',
        path: ['workflowType'],
        message:
          'a quarterly game day needs --workflow, e.g. regionPromotionWorkflow or azLossGameDayWorkflow, and --input with its JSON input',
      });
    }
  });
/** A schedule request as given (before defaults are applied). */
export type ScheduleRequest = z.input<typeof ScheduleRequest>;

/** The schedule id of a request: `gameday-<kind>[-<runbook>]` unless given. */
export function scheduleIdOf(r: { kind: ScheduleKind; runbook?: string; id?: string }): string {
  return r.id ?? `gameday-${r.kind}${r.runbook ? `-${r.runbook}` : ''}`;
}

/** Builds the `ScheduleOptions` of a request (pure; validated with {@link ScheduleRequest}). */
export function scheduleOptionsOf(request: ScheduleRequest): ScheduleOptions {
  const r = ScheduleRequest.parse(request);
  const defaults = SCHEDULE_DEFAULTS[r.kind];
  const scheduleId = scheduleIdOf(r);
  const args = [r.input ?? (r.kind === 'orphan-sweeper' ? (r.runbook ? { runbooks: [r.runbook] } : {}) : { runbook: r.runbook })];
  const workflowType = r.workflowType ?? defaults.workflowType!;
  return {
    scheduleId,
    spec: { cronExpressions: [r.cron ?? defaults.cron] },
    action: {
      type: 'startWorkflow',
      workflowType,
      args,
      taskQueue: r.taskQueue,
      workflowId: scheduleId,
      ...runMetadata(workflowType, args[0], `schedule ${scheduleId} (${r.cron ?? defaults.cron} UTC)`),
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: CATCHUP_WINDOW, pauseOnFailure: false },
    // The server stores cron as calendar specs; the memo keeps the text for `schedule list`.
    memo: { gamedayKind: r.kind, cron: r.cron ?? defaults.cron, ...(r.runbook ? { runbook: r.runbook } : {}) },
    state: { paused: r.paused, note: r.note ?? `${defaults.what}${r.runbook ? ` of ${r.runbook}` : ''} (gameday)` },
  };
}

/** Creates the schedule; returns its id. Fails with `ScheduleAlreadyRunning` if it exists. */
export async function createSchedule(client: Client, request: ScheduleRequest): Promise<string> {
  const handle = await client.schedule.create(scheduleOptionsOf(request));
  return handle.scheduleId;
}

/** One schedule as `gameday schedule list` shows it. */
export interface ScheduleRow {
  readonly id: string;
  readonly workflowType?: string;
  readonly cron: string;
  readonly paused: boolean;
  readonly note?: string;
  readonly nextRun?: string;
  readonly recentRuns: number;
}

/** Lists gameday schedules (ids starting with `gameday-`, or every schedule with `all`). */
export async function listSchedules(client: Client, opts: { all?: boolean } = {}): Promise<ScheduleRow[]> {
  const rows: ScheduleRow[] = [];
  for await (const s of client.schedule.list() as AsyncIterable<ScheduleSummary>) {
    if (!opts.all && !s.scheduleId.startsWith('gameday-')) continue;
    rows.push({
      id: s.scheduleId,
      ...(s.action?.type === 'startWorkflow' ? { workflowType: s.action.workflowType } : {}),
      cron: typeof s.memo?.cron === 'string' ? s.memo.cron : 'calendar spec',
      paused: s.state.paused,
      ...(s.state.note ? { note: s.state.note } : {}),
      ...(s.info.nextActionTimes[0] ? { nextRun: s.info.nextActionTimes[0].toISOString() } : {}),
      recentRuns: s.info.recentActions.length,
    });
  }
  return rows.sort((a, b) => a.id.localeCompare(b.id));
}

/** Pauses a schedule with a note (why, by whom). */
export async function pauseSchedule(client: Client, id: string, note?: string): Promise<void> {
  await client.schedule.getHandle(id).pause(note ?? 'paused via gameday schedule pause');
}

/** Unpauses a schedule. */
export async function unpauseSchedule(client: Client, id: string, note?: string): Promise<void> {
  await client.schedule.getHandle(id).unpause(note ?? 'unpaused via gameday schedule unpause');
}

/** Deletes a schedule (runs it already started are not affected). */
export async function deleteSchedule(client: Client, id: string): Promise<void> {
  await client.schedule.getHandle(id).delete();
}

/** Takes the schedule's action now, honouring overlap SKIP (a running drill is not doubled). */
export async function triggerSchedule(client: Client, id: string): Promise<void> {
  await client.schedule.getHandle(id).trigger(ScheduleOverlapPolicy.SKIP);
}

/** Describes a schedule; `undefined` when it does not exist. */
export async function describeSchedule(client: Client, id: string): Promise<ScheduleDescription | undefined> {
  try {
    return await client.schedule.getHandle(id).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  }
}
