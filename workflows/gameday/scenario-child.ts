/**
 * One scenario of a game day as a child workflow: started by workflow type with the plan's input
 * under a deterministic id (derived from the day's id, or the id the playbook requires), awaited,
 * and turned into a `ScenarioRun` with the child's own report, however the child ended. A child is
 * cancelled with the day (it waits for the child's undo to finish) and, should the day itself be
 * terminated, asked to cancel (never terminated mid-effect). Deterministic.
 */
import { ApplicationFailure, ChildWorkflowCancellationType, ParentClosePolicy, isCancellation, startChild } from '@temporalio/workflow';
import type { PlannedScenario } from '../../contracts/gameday';
import type { PreflightReport } from '../../contracts/preflight';
import type { RunReport } from '../../lib/measurement-types';
import type { ScenarioRun } from '../../lib/scorecard';
import { failureMessage, failureType, type Run } from '../kit';
import type { CurrentScenario, GameDay } from './day-state';
import { dayActivities } from './proxies';

/** Thrown inside the scenario's step so the kit marks it failed; carries the scenario's run. */
class ScenarioEnded extends Error {
  constructor(readonly result: ScenarioRun) {
    super(result.reason ?? result.outcome);
  }
}

/** The report a failed child attached to its failure (the kit's `runFailure` details), if any. */
function attachedReport(err: unknown): RunReport | undefined {
  let e = err as { cause?: unknown; details?: unknown } | undefined;
  while (e && typeof e === 'object') {
    if (e instanceof ApplicationFailure && Array.isArray(e.details)) {
      const d = e.details[0] as Partial<RunReport> | undefined;
      if (d && typeof d === 'object' && 'measurement' in d && 'scenario' in d) return d as RunReport;
    }
    e = e.cause as typeof e;
  }
  return undefined;
}

/** How the child's ending reads for the day. */
function outcomeOf(
  c: CurrentScenario,
  result: RunReport | PreflightReport | undefined,
  err: unknown,
): Pick<ScenarioRun, 'outcome' | 'reason' | 'by'> {
  const ctl = c.control;
  const controlled = ctl
    ? {
        outcome: ctl.kind === 'skip' ? ('skipped' as const) : ('aborted' as const),
        reason: `${ctl.kind} by ${ctl.by}: ${ctl.reason}`,
        by: ctl.by,
      }
    : undefined;
  if (err !== undefined) {
    if (controlled && failureType(err) === 'PreflightAborted') return controlled;
    return { outcome: 'failed', reason: failureMessage(err) };
  }
  const report = result && 'measurement' in result ? result : undefined;
  if (report?.outcome === 'aborted')
    return controlled ?? { outcome: 'aborted', reason: report.outcomeReason ?? 'the child run was aborted' };
  if (report?.outcome === 'rejected') return { outcome: 'failed', reason: report.outcomeReason ?? 'rejected' };
  if (ctl)
    return { outcome: 'completed', reason: `${ctl.kind} by ${ctl.by} refused by the run (past its point of no return); it ran to its end` };
  return { outcome: 'completed' };
}

async function childRun(day: GameDay, s: PlannedScenario): Promise<ScenarioRun> {
  const workflowId = day.childId(s);
  const startedAt = await dayActivities.stampGameDayTime();
  const current: CurrentScenario = { scenario: s, workflowId };
  day.current = current;
  day.record({ scenario: s, outcome: 'running', workflowId, startedAt });
  let runId: string | undefined;
  let result: RunReport | PreflightReport | undefined;
  let error: unknown;
  try {
    const handle = await startChild(s.workflowType, {
      workflowId,
      args: [s.input],
      cancellationType: ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED,
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    });
    runId = handle.firstExecutionRunId;
    day.record({ scenario: s, outcome: 'running', workflowId, runId, startedAt });
    result = (await handle.result()) as RunReport | PreflightReport;
  } catch (err) {
    if (isCancellation(err)) {
      day.record({
        scenario: s,
        outcome: 'aborted',
        reason: 'the game day was aborted: the child was cancelled and cleaned up',
        workflowId,
        ...(runId ? { runId } : {}),
        startedAt,
      });
      throw err;
    }
    error = err;
  } finally {
    day.current = undefined;
  }
  const endedAt = await dayActivities.stampGameDayTime();
  const report = result && 'measurement' in result ? result : attachedReport(error);
  const preflight = result && 'ready' in result ? result : undefined;
  return {
    scenario: s,
    ...outcomeOf(current, result, error),
    workflowId,
    ...(runId ? { runId } : {}),
    startedAt,
    endedAt,
    ...(report ? { report } : {}),
    ...(preflight ? { preflight } : {}),
  };
}

/** Runs scenario `s` as the day's step of the same name; returns how it ended (never throws for a failed child). */
export async function runScenario(run: Run, day: GameDay, s: PlannedScenario): Promise<ScenarioRun> {
  let r: ScenarioRun;
  try {
    r = await run.step(
      s.id,
      async () => {
        const ended = await childRun(day, s);
        if (ended.outcome !== 'completed') throw new ScenarioEnded(ended);
        return ended;
      },
      {
        detail: `${s.workflowType} on ${s.runbook}; hypothesis: ${s.hypothesis.text}`,
        summary: (x) => x.report?.measurement.verdict ?? (x.preflight ? (x.preflight.ready ? 'ready' : 'not ready') : undefined),
      },
    );
  } catch (err) {
    if (!(err instanceof ScenarioEnded)) throw err;
    r = err.result;
    if (r.outcome === 'skipped') run.skip(s.id, r.reason ?? 'skipped');
  }
  day.record(r);
  return r;
}
