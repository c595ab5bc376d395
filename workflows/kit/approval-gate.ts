/**
 * A human gate: a run waits for a person to approve or reject through two Updates, with a
 * validator that refuses (records nothing) when the run is not waiting or the person is not an
 * approver, and a wall-clock timeout (a person's time is never scaled by a simulated clock).
 * While it waits, the run's status says what is awaited, who may answer and how. Deterministic.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { condition, setHandler } from '@temporalio/workflow';
import type { HumanWait } from '../../contracts/run';
import type { Run } from './run';

/** Payload of an approve / reject update. */
export interface DecisionRequest {
  /** Who decides. */
  readonly by: string;
  readonly reason?: string;
}

/** Answer of an approve / reject update. */
export interface DecisionResult {
  readonly decision: 'approved' | 'rejected';
  readonly by: string;
  readonly workflowId: string;
}

/** A decision the gate received. */
export interface Decision {
  readonly decision: 'approved' | 'rejected';
  readonly by: string;
  readonly reason?: string;
}

/** Approval gate of one run (see the module doc). */
export class ApprovalGate {
  private waiting?: HumanWait;
  /** The decision, once one was accepted. */
  decision?: Decision;

  constructor(
    private readonly run: Run,
    approve: UpdateDefinition<DecisionResult, [DecisionRequest]>,
    reject: UpdateDefinition<DecisionResult, [DecisionRequest]>,
  ) {
    const options = (verb: string) => ({
      validator: (req: DecisionRequest) => this.validate(req),
      description: `${verb} the run waiting at its approval gate. Payload: {"by": "<approver>", "reason": "<optional>"}`,
    });
    setHandler(approve, (req) => this.decide('approved', req), options('Approves'));
    setHandler(reject, (req) => this.decide('rejected', req), options('Rejects'));
  }

  /** Waits for a decision for at most `wait.timeoutMs` (wall clock); `undefined` on timeout. */
  async wait(wait: HumanWait): Promise<Decision | undefined> {
    this.waiting = wait;
    this.run.await(wait);
    try {
      const decided = await condition(() => this.decision !== undefined, wait.timeoutMs);
      return decided ? this.decision : undefined;
    } finally {
      this.waiting = undefined;
      this.run.await(undefined);
    }
  }

  private validate(req: DecisionRequest): void {
    const w = this.waiting;
    if (!w || this.decision) {
      throw new Error(
        `${this.run.workflowId} is not waiting for approval (current step: ${this.run.tracker.current}${this.decision ? `, already ${this.decision.decision} by ${this.decision.by}` : ''})`,
      );
    }
    if (!req || typeof req.by !== 'string' || req.by.trim() === '') {
      throw new Error('by: required: who decides, e.g. {"by": "alice"} in the UI, --by alice on the CLI');
    }
    if (w.who.length > 0 && !w.who.includes(req.by)) {
      throw new Error(
        `by: ${req.by} is not an approver of ${this.run.runbook ? `runbook ${this.run.runbook}` : 'this run'}; approvers: ${w.who.join(', ')}`,
      );
    }
  }

  private decide(decision: 'approved' | 'rejected', req: DecisionRequest): DecisionResult {
    this.decision = { decision, by: req.by, ...(typeof req.reason === 'string' && req.reason ? { reason: req.reason.slice(0, 500) } : {}) };
    return { decision, by: req.by, workflowId: this.run.workflowId };
  }
}
