/**
 * The recorded workflow histories of test/histories (written by scripts/record-histories.ts,
 * replayed by test/replay.test.ts) and the workflow types they must cover.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import type { History } from '@temporalio/worker';
import * as workflows from '../../workflows';

/** Where the histories live: one `<workflowType>[-variant].json` per recorded execution. */
export const HISTORIES_DIR = resolve(__dirname, '../histories');

/**
 * The workflow types the worker registers: every function exported by workflows/index.ts (the
 * worker registers each one, whatever its name), sorted.
 */
export function exportedWorkflowTypes(): string[] {
  return Object.entries(workflows)
    .filter(([, value]) => typeof value === 'function')
    .map(([name]) => name)
    .sort();
}

/** One recorded history file. */
export interface RecordedHistory {
  /** File name without `.json`, e.g. `regionPromotionWorkflow-rejected`. */
  readonly name: string;
  /** Absolute path of the file. */
  readonly file: string;
  /** The workflow type of the execution (from its WorkflowExecutionStarted event). */
  readonly workflowType: string;
  readonly history: History;
}

/** Reads every `*.json` of {@link HISTORIES_DIR}, sorted by name; a file that is not a history throws naming it. */
export function readRecordedHistories(dir: string = HISTORIES_DIR): RecordedHistory[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      let history: History;
      try {
        history = historyFromJSON(JSON.parse(readFileSync(file, 'utf8')));
      } catch (err) {
        throw new Error(`${f} is not a Temporal history in JSON: ${err instanceof Error ? err.message : String(err)}`);
      }
      const workflowType = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
      if (!workflowType) throw new Error(`${f}: the first event is not WorkflowExecutionStarted with a workflow type`);
      return { name: basename(f, '.json'), file, workflowType, history };
    });
}
