/**
 * The run kit every playbook is written on: typed steps feeding the one status query, an undo
 * stack, the abort/cancellation policy around the point of no return, and `execute`, which turns
 * however the steps ended into undo, a result and the run's own success or failure, the same way
 * for every playbook. A playbook reads as its list of `run.step(...)` calls. Deterministic.
 */
import { CancellationScope, CancelledFailure, isCancellation, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import { reportQuery, statusQuery, type HumanWait, type PlaybookReport, type RunPhase, type RunStatus } from '../../contracts/run';
import type { RunReport } from '../../lib/measurement-types';
import { AbortPolicy, RunAborted } from './abort-policy';
import { detailsMarkdown } from './current-details';
import { failureMessage, failureType, runFailure } from './failure';
import { StepTracker } from './step-tracker';
import { UndoStack, type UndoResult } from './undo-stack';

/** True when `r` is a measured `RunReport` (a drill's), not another playbook's result. */
function isRunReport(r: PlaybookReport | undefined): r is RunReport {
  return r !== undefined && 'scenario' in r && 'measurement' in r;
}

/** Options of one step. */
export interface StepOptions<T> {
  /** One line shown while the step runs. */
  readonly detail?: string;
  /** Clock ms the step ended, from its result (else the latest reading). */
  readonly at?: (result: T) => number | undefined;
  /** One line about the result, shown after the step. */
  readonly summary?: (result: T) => string | undefined;
  /**
   * The undo of this step's effect, registered as the step begins: an effect the step may have
   * half made before it was interrupted (an abort or a cancellation while its activity ran, a
   * failed retry after the AWS call went through) is undone too. `fn` must be idempotent.
   */
  readonly undo?: { readonly name: string; readonly fn: () => Promise<unknown> };
}

/** How a run's steps ended, handed to the playbook's `finish`. */
export type RunEnd<T> =
  | { readonly kind: 'completed'; readonly value: T }
  | { readonly kind: 'aborted'; readonly reason: string; readonly by?: string }
  | { readonly kind: 'cancelled'; readonly reason: string; readonly error: unknown }
  | { readonly kind: 'failed'; readonly reason: string; readonly type?: string; readonly error: unknown };

/** What `execute` runs. */
export interface Playbook<T, R> {
  /** The steps, in order; returns what `finish` needs of a completed run. */
  readonly steps: () => Promise<T>;
  /** Builds the result (report) for any ending, after every undo ran; non-cancellable. */
  readonly finish: (end: RunEnd<T>, undo: UndoResult) => Promise<R>;
  /** Failure type of a failed run when the failure carries none. @default 'RunFailed' */
  readonly failureType?: string;
}

/** One run of a playbook (see the module doc). */
export class Run {
  readonly tracker: StepTracker;
  readonly undos = new UndoStack();
  readonly abort: AbortPolicy;
  private phase: RunPhase = 'running';
  private data: Record<string, unknown> = {};
  private live?: () => PlaybookReport | undefined;
  private final?: PlaybookReport;
  private awaiting?: HumanWait;

  constructor(
    readonly workflow: string,
    steps: readonly string[],
    /** Runbook name, once known (shown in the status). */
    public runbook?: string,
  ) {
    this.tracker = new StepTracker(steps);
    this.abort = new AbortPolicy(() => this.tracker.current);
    setHandler(statusQuery, () => this.status(), {
      description: 'Live status: current step, every step with its times, what the run waits for, abort and undo records. No arguments.',
    });
    setHandler(reportQuery, () => this.final ?? this.live?.(), {
      description: 'The run\'s report so far, outcome "running" (the final one once the run ended). No arguments.',
    });
  }

  /** The workflow id of this run. */
  get workflowId(): string {
    return workflowInfo().workflowId;
  }

  /** Merges playbook-specific progress into the status's `data`. */
  show(data: Record<string, unknown>): void {
    this.data = { ...this.data, ...data };
    this.publish();
  }

  /** Shows (or clears) what person the run waits for. */
  await(wait: HumanWait | undefined): void {
    this.awaiting = wait;
    this.publish();
  }

  /**
   * Sets what the `report` query answers while the run is going: the playbook's report so far,
   * with `outcome: 'running'` (`undefined` before it has one). Every playbook calls it.
   */
  reportWhileRunning(build: () => PlaybookReport | undefined): void {
    this.live = build;
  }

  /** Notes a clock reading from an activity result. */
  observe(at: number | undefined): void {
    this.tracker.observe(at);
  }

  /**
   * Runs one step: marks it running, runs `fn` in the scope the abort policy allows (abortable
   * before the point of no return, non-cancellable after), marks it done or failed.
   */
  async step<T>(name: string, fn: () => Promise<T>, opts: StepOptions<T> = {}): Promise<T> {
    this.stopIfAsked();
    this.tracker.begin(name, opts.detail);
    if (opts.undo) this.undo(opts.undo.name, opts.undo.fn);
    this.publish();
    try {
      const result = await this.abort.guard(fn);
      this.tracker.end(name, 'done', opts.at?.(result), opts.summary?.(result));
      return result;
    } catch (err) {
      const stopped = isCancellation(err) || err instanceof RunAborted;
      this.tracker.end(name, stopped ? 'cancelled' : 'failed', undefined, failureMessage(err));
      throw err;
    } finally {
      this.publish();
    }
  }

  /** Marks a step skipped with the reason. */
  skip(name: string, reason: string): void {
    this.tracker.skip(name, reason);
  }

  /** Registers the undo of the step that just ran (see `UndoStack.push`). */
  undo(name: string, fn: () => Promise<unknown>): void {
    this.undos.push(name, fn);
  }

  /** Declares, then later passes, the point of no return (see `AbortPolicy`). */
  pointOfNoReturn(what: string): void {
    this.abort.declare(what);
  }

  /**
   * Passes the point of no return unless the run must stop first: an accepted abort or a
   * cancellation that arrived as the previous step ended is honoured here (throws), never
   * silently dropped by passing the point.
   */
  passPointOfNoReturn(at?: number): void {
    this.stopIfAsked();
    this.abort.pass(at);
  }

  /**
   * Throws when the run must stop before going on: an accepted abort (`RunAborted`) or a
   * cancellation before the point of no return (`CancelledFailure`). A request that arrived while
   * a step's activity was finishing is honoured here, never dropped because the step succeeded.
   */
  private stopIfAsked(): void {
    this.abort.check();
    if (this.abort.cancelled && !this.abort.passed) throw new CancelledFailure('workflow cancelled');
  }

  /** Refreshes the run's Current Details in the Temporal UI (call from workflow code, never a query). */
  publish(): void {
    setCurrentDetails(detailsMarkdown(this.status(), isRunReport(this.final) ? this.final : undefined));
  }

  /** The one `RunStatus` of this run. */
  status(): RunStatus {
    return {
      workflow: this.workflow,
      ...(this.runbook !== undefined ? { runbook: this.runbook } : {}),
      phase: this.phase,
      step: this.tracker.current,
      ...(this.tracker.detail !== undefined ? { detail: this.tracker.detail } : {}),
      steps: this.tracker.snapshot(),
      ...(this.tracker.asOf !== undefined ? { asOf: this.tracker.asOf } : {}),
      ...(this.abort.ponr ? { pointOfNoReturn: { ...this.abort.ponr } } : {}),
      ...(this.awaiting ? { awaiting: this.awaiting } : {}),
      aborts: [...this.abort.records],
      undo: this.undos.snapshot(),
      data: { ...this.data },
    };
  }

  /**
   * Runs the playbook: its steps; then, however they ended, every undo (non-cancellable) and
   * `finish`; then returns the result (completed or aborted), or fails the run non-retryably with
   * the result attached (a failed step or a failed undo), or re-throws a cancellation.
   */
  async execute<T, R>(playbook: Playbook<T, R>): Promise<R> {
    let end: RunEnd<T>;
    try {
      const value = await playbook.steps();
      this.stopIfAsked(); // an abort accepted (or a cancellation) during the last step still ends the run so
      end = { kind: 'completed', value };
    } catch (err) {
      end = this.classify(err);
    }
    this.phase = 'undoing';
    const undo = await this.undos.runAll((name) => {
      this.tracker.detail = `undo: ${name}`;
    });
    const result = await CancellationScope.nonCancellable(() => playbook.finish(end, undo));
    this.live = undefined; // from now on the query answers the final result only (or nothing)
    if (result && typeof result === 'object') this.final = result as unknown as PlaybookReport;
    this.phase = end.kind === 'completed' && undo.failures.length > 0 ? 'failed' : end.kind;
    this.tracker.detail = end.kind === 'completed' ? this.tracker.detail : end.reason;
    this.publish();
    if (undo.failures.length > 0) {
      throw runFailure(new Error(`undo failed, resources may remain: ${undo.failures.join('; ')}`), 'UndoFailed', result);
    }
    if (end.kind === 'failed') throw runFailure(end.error, end.type ?? playbook.failureType ?? 'RunFailed', result);
    if (end.kind === 'cancelled') throw end.error;
    return result;
  }

  private classify<T>(err: unknown): RunEnd<T> {
    const accepted = this.abort.accepted;
    if (err instanceof RunAborted || (accepted && isCancellation(err))) {
      const a = accepted ?? (err as RunAborted).request;
      const where = this.abort.ponr ? ' before the point of no return' : '';
      return { kind: 'aborted', reason: `aborted${a.by ? ` by ${a.by}` : ''}${where}: ${a.reason}`, ...(a.by ? { by: a.by } : {}) };
    }
    if (isCancellation(err)) return { kind: 'cancelled', reason: 'workflow cancelled', error: err };
    const type = failureType(err);
    return { kind: 'failed', reason: failureMessage(err), ...(type ? { type } : {}), error: err };
  }
}
