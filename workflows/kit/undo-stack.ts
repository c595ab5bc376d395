/**
 * Undo steps of a run: each registered right after the step whose effect it reverses, run in
 * reverse order in a non-cancellable scope, every one attempted even when an earlier one failed.
 * A failed undo is never swallowed: the run fails loudly naming it. Deterministic.
 */
import { CancellationScope } from '@temporalio/workflow';
import type { StepRecord } from '../../contracts/run';
import { failureMessage } from './failure';

/** One registered undo. */
interface Undo {
  readonly name: string;
  readonly fn: () => Promise<unknown>;
  record: { -readonly [K in keyof StepRecord]: StepRecord[K] };
}

/** What running the undo stack did. */
export interface UndoResult {
  /** Names of the undos that succeeded, in the order they ran. */
  readonly done: readonly string[];
  /** One line per failed undo: its name and the failure. */
  readonly failures: readonly string[];
}

/** LIFO stack of undo steps (see the module doc). */
export class UndoStack {
  private readonly undos: Undo[] = [];

  /** Registers `fn` as the undo named `name`; `fn` must be safe to run twice (read before write). */
  push(name: string, fn: () => Promise<unknown>): void {
    this.undos.push({ name, fn, record: { step: name, state: 'pending' } });
  }

  /** Drops the undo named `name` (its effect was reversed by the playbook itself). */
  drop(name: string): void {
    const i = this.undos.findIndex((u) => u.name === name);
    if (i >= 0) this.undos.splice(i, 1);
  }

  /** The undos registered so far with their state, for the status. */
  snapshot(): StepRecord[] {
    return this.undos.map((u) => ({ ...u.record }));
  }

  /** Runs every undo not yet run, most recent first, non-cancellable. */
  async runAll(onUndo?: (name: string) => void): Promise<UndoResult> {
    return CancellationScope.nonCancellable(async () => {
      const done: string[] = [];
      const failures: string[] = [];
      for (const u of [...this.undos].reverse().filter((x) => x.record.state === 'pending')) {
        onUndo?.(u.name);
        u.record.state = 'running';
        try {
          await u.fn();
          u.record.state = 'done';
          done.push(u.name);
        } catch (err) {
          u.record.state = 'failed';
          u.record.detail = failureMessage(err);
          failures.push(`${u.name}: ${failureMessage(err)}`);
        }
      }
      return { done, failures };
    });
  }
}
