/**
 * A run started as a child workflow (a game day's scenario) mirrors its status to its parent:
 * each time its step, phase, detail or awaited person changes, it signals the parent
 * (`childStatusSignal`). A run without a parent sends nothing, so its commands are unchanged.
 * The signal is fire-and-forget and non-cancellable; a parent that is gone is logged, never fatal.
 * Deterministic.
 */
import { CancellationScope, getExternalWorkflowHandle, log, workflowInfo } from '@temporalio/workflow';
import { childStatusSignal, type ChildRunStatus, type RunStatus } from '../../contracts/run';

/** Sends a run's status changes to its parent workflow, if it has one (see the module doc). */
export class ParentMirror {
  private last?: string;
  private seq = 0;

  /** Mirrors `s` to the parent when it changed in a way a person sees. */
  send(s: RunStatus): void {
    const info = workflowInfo();
    const parent = info.parent;
    if (!parent) return;
    const left = (s.data as { rtoBudgetLeftMs?: unknown } | undefined)?.rtoBudgetLeftMs;
    const key = JSON.stringify([s.phase, s.step, s.detail, s.awaiting?.what]);
    if (key === this.last) return;
    this.last = key;
    const status: ChildRunStatus = {
      seq: ++this.seq,
      workflowId: info.workflowId,
      runId: info.runId,
      workflow: s.workflow,
      phase: s.phase,
      step: s.step,
      ...(s.detail !== undefined ? { detail: s.detail } : {}),
      ...(s.awaiting ? { awaiting: s.awaiting } : {}),
      ...(typeof left === 'number' ? { rtoBudgetLeftMs: left } : {}),
      ...(s.asOf !== undefined ? { asOf: s.asOf } : {}),
    };
    const handle = getExternalWorkflowHandle(parent.workflowId, parent.runId);
    CancellationScope.nonCancellable(() => handle.signal(childStatusSignal, status)).catch((err: unknown) =>
      log.warn('status not mirrored to the parent workflow', { parent: parent.workflowId, error: String(err) }),
    );
  }
}
