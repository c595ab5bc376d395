/**
 * What a game day has seen so far: the plan, each scenario's run (child ids, outcome, report),
 * each checkpoint, the mirrored status of the running child, and the views of it: the day's part
 * of the kit's status and the scorecard for any ending. Deterministic.
 */
import { setHandler, workflowInfo } from '@temporalio/workflow';
import type { CheckpointAnswer, GameDayPlan, PlannedScenario, Stamp } from '../../contracts/gameday';
import { scorecardQuery } from '../../contracts/gameday';
import type { ChildRunStatus } from '../../contracts/run';
import { buildScorecard, type CheckpointRun, type Scorecard, type ScenarioRun, type ScorecardInput } from '../../lib/scorecard';
import type { Run } from '../kit';

/** The scenario running now and what its child last said about itself. */
export interface CurrentScenario {
  readonly scenario: PlannedScenario;
  readonly workflowId: string;
  status?: ChildRunStatus;
  /** A skip or abort a person asked for while it ran. */
  control?: { readonly kind: 'skip' | 'abort'; readonly by: string; readonly reason: string };
}

/** State of one game day (see the module doc). */
export class GameDay {
  plan?: GameDayPlan;
  startedAt?: Stamp;
  readonly runs = new Map<string, ScenarioRun>();
  readonly checkpoints = new Map<string, CheckpointRun>();
  current?: CurrentScenario;
  paused?: { readonly by: string; readonly reason: string };
  /** Set when a person skipped the next scenario while the day was paused. */
  skipNext?: { readonly by: string; readonly reason: string };
  final?: Scorecard;
  /** Accepted checkpoint answers by name (the answer's `at` parsed to wall ms). */
  readonly answers = new Map<string, CheckpointAnswer & { happenedAtWall?: number }>();

  constructor(readonly run: Run) {
    // The kit's one `report` query answers the scorecard of a game day.
    setHandler(scorecardQuery, () => this.final ?? (this.plan ? this.scorecard({ outcome: 'running' }) : undefined), {
      description: 'The game day scorecard so far (the final one once the day ended).',
    });
  }

  /** The day's child workflow id of a scenario: the playbook's required id, else derived from the day's id. */
  childId(s: PlannedScenario): string {
    return s.requiredWorkflowId ?? `${this.run.workflowId}-${s.id}`;
  }

  /** Records (or replaces) what the day knows of a scenario's run. */
  record(r: ScenarioRun): void {
    this.runs.set(r.scenario.id, r);
    this.show();
  }

  /** Records a checkpoint's state. */
  recordCheckpoint(c: CheckpointRun): void {
    this.checkpoints.set(c.checkpoint.name, c);
    this.show();
  }

  /** Takes a child's mirrored status when it is the running scenario's. */
  mirror(s: ChildRunStatus): void {
    if (!this.current || s.workflowId !== this.current.workflowId) return;
    if (this.current.status && this.current.status.seq >= s.seq) return; // an older status that arrived late
    this.current.status = s;
    this.run.tracker.detail = `${s.workflow} \`${s.workflowId}\`: ${s.phase === 'running' ? `step ${s.step}` : s.phase}${s.detail ? ` — ${s.detail}` : ''}`;
    this.run.await(s.awaiting ? { ...s.awaiting, what: `${s.awaiting.what} (send it to child run ${s.workflowId})` } : undefined);
    this.show();
  }

  /** Refreshes the day's part of the status (the kit renders it in the UI's Current Details). */
  show(): void {
    const c = this.current;
    this.run.show({
      plan: this.plan?.name,
      scenario: c?.scenario.id,
      child: c
        ? { workflowId: c.workflowId, workflow: c.scenario.workflowType, step: c.status?.step, phase: c.status?.phase ?? 'starting' }
        : undefined,
      rtoBudgetLeftMs: c?.status?.rtoBudgetLeftMs,
      hypothesis: c?.scenario.hypothesis.text,
      paused: this.paused,
      scenarios: this.plan?.scenarios.map((s) => ({ id: s.id, outcome: this.runs.get(s.id)?.outcome ?? 'pending' })),
      checkpoints: [...this.checkpoints.values()].map((x) => ({ name: x.checkpoint.name, state: x.state, by: x.by, ok: x.ok })),
    });
  }

  /** The scorecard of the day as it stands, for `outcome`; scenarios not reached are `not-run`. */
  scorecard(end: { outcome: ScorecardInput['outcome']; reason?: string; endedAt?: Stamp }): Scorecard {
    const plan = this.plan!;
    const info = workflowInfo();
    const runs: ScenarioRun[] = plan.scenarios.map((s) => this.runs.get(s.id) ?? { scenario: s, outcome: 'not-run' });
    const cps: CheckpointRun[] = plan.checkpoints.map((c) => this.checkpoints.get(c.name) ?? { checkpoint: c, state: 'not-reached' });
    return buildScorecard({
      plan,
      workflowId: info.workflowId,
      runId: info.runId,
      outcome: end.outcome,
      ...(end.reason ? { reason: end.reason } : {}),
      ...(this.startedAt ? { startedAt: this.startedAt } : {}),
      ...(end.endedAt ? { endedAt: end.endedAt } : {}),
      scenarios: runs.map((r) => (r.outcome === 'running' && end.outcome !== 'running' ? { ...r, outcome: 'aborted' } : r)),
      checkpoints: cps,
    });
  }
}
