/**
 * One abort and cancellation policy for every playbook, around the point of no return:
 * - before it, an abort (signal or update) or a workflow cancellation interrupts the current step
 *   (its scope is cancelled) and the run unwinds to its undo steps;
 * - after it, an abort is refused with the reason (recorded in the status, answered by the update)
 *   and a workflow cancellation is recorded and ignored: every later step runs non-cancellable,
 *   so nothing after the point of no return is ever interrupted.
 * Deterministic.
 */
import { CancellationScope, setHandler } from '@temporalio/workflow';
import {
  abortSignal,
  requestAbortUpdate,
  type AbortAnswer,
  type AbortRecord,
  type AbortRequest,
  type PointOfNoReturn,
} from '../../contracts/run';

/** Thrown by `AbortPolicy.check` when an accepted abort must unwind the run. */
export class RunAborted extends Error {
  constructor(readonly request: AbortRequest) {
    super(`aborted${request.by ? ` by ${request.by}` : ''}: ${request.reason}`);
    this.name = 'RunAborted';
  }
}

/** Abort, cancellation and point-of-no-return state of one run (see the module doc). */
export class AbortPolicy {
  /** The accepted abort, if any. */
  accepted?: AbortRequest;
  /** True once the workflow was cancelled (whether or not the cancellation was honoured). */
  cancelled = false;
  readonly records: AbortRecord[] = [];
  ponr?: PointOfNoReturn;
  /** Scope of the steps before the point of no return; an accepted abort cancels it. */
  private readonly abortable = new CancellationScope();

  constructor(private readonly currentStep: () => string) {
    setHandler(abortSignal, (req) => void this.request(req, 'signal'), {
      description:
        'Stops the run and cleans up (fire-and-forget); refused after the point of no return. Payload: {"reason": "...", "by": "name"}',
    });
    setHandler(requestAbortUpdate, (req) => this.request(req, 'update'), {
      description: 'Asks the run to stop and clean up; refused after the point of no return. Payload: {"reason": "...", "by": "name"}',
    });
    CancellationScope.current().cancelRequested.catch(() => {
      this.cancelled = true;
      const refusal = this.refusal();
      this.records.push({
        reason: 'workflow cancelled',
        via: 'cancellation',
        accepted: refusal === undefined,
        ...(refusal !== undefined ? { refusal } : {}),
        duringStep: this.currentStep(),
      });
    });
  }

  /** Declares what passes the point of no return (shown in the status before it is passed). */
  declare(what: string): void {
    this.ponr = { what, passed: false };
  }

  /** Marks the point of no return passed: from now on aborts are refused and steps run non-cancellable. */
  pass(at?: number): void {
    this.ponr = { what: this.ponr?.what ?? 'the first irreversible step', passed: true, ...(at !== undefined ? { at } : {}) };
  }

  /** Stamps the time the point of no return was passed, once known. */
  stamp(at: number): void {
    if (this.ponr?.passed && this.ponr.at === undefined) this.ponr = { ...this.ponr, at };
  }

  /** True once the point of no return was passed. */
  get passed(): boolean {
    return this.ponr?.passed === true;
  }

  /** True when the run must unwind: an accepted abort, or a cancellation before the point of no return. */
  get stopping(): boolean {
    return !this.passed && (this.accepted !== undefined || this.cancelled);
  }

  /** Throws `RunAborted` when an abort was accepted (call between steps). */
  check(): void {
    if (this.accepted && !this.passed) throw new RunAborted(this.accepted);
  }

  /** Runs `fn` in the scope the policy allows now: abortable before the point of no return, non-cancellable after. */
  guard<T>(fn: () => Promise<T>): Promise<T> {
    if (this.passed) return CancellationScope.nonCancellable(fn);
    this.check();
    return this.abortable.run(fn);
  }

  private refusal(): string | undefined {
    return this.passed ? `refused: past the point of no return (${this.ponr!.what} was sent); the run continues to completion` : undefined;
  }

  private request(req: AbortRequest, via: 'signal' | 'update'): AbortAnswer {
    const reason = typeof req?.reason === 'string' && req.reason.trim() !== '' ? req.reason.slice(0, 500) : 'no reason given';
    const by = typeof req?.by === 'string' && req.by.trim() !== '' ? req.by.slice(0, 100) : undefined;
    const refusal = this.refusal();
    this.records.push({
      ...(by ? { by } : {}),
      reason,
      via,
      accepted: refusal === undefined,
      ...(refusal ? { refusal } : {}),
      duringStep: this.currentStep(),
    });
    if (refusal) return { accepted: false, reason: refusal };
    if (!this.accepted) {
      this.accepted = { reason, ...(by ? { by } : {}) };
      this.abortable.cancel();
    }
    return { accepted: true };
  }
}
