/**
 * Follows any running playbook from its `status` query until it ends, printing what a person
 * needs as it changes: each step's transition with its elapsed time, what the run waits for and
 * how to answer, abort requests and what became of them, undo progress, the RTO budget left.
 * One loop for every playbook (promotion, drills, AZ loss, traffic shift).
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { RunStatus, StepRecord } from '../contracts/run';
import { formatDuration } from '../lib/report/format';

const MARKS: Record<StepRecord['state'], string> = {
  done: 'ok  ',
  failed: 'FAIL',
  skipped: 'skip',
  running: '... ',
  pending: '    ',
  cancelled: 'stop',
};

/** One line per step transition (done / failed / skipped / running / cancelled). */
export function stepLine(s: StepRecord): string {
  const took = s.elapsedMs !== undefined && s.state !== 'skipped' ? formatDuration(s.elapsedMs) : '';
  return `${MARKS[s.state]} ${s.step.padEnd(15)} ${took.padStart(12)}  ${s.detail ?? ''}`.trimEnd();
}

/** The new lines a status adds to what was printed (`printed` is updated). */
export function statusLines(s: RunStatus, workflowId: string, printed: Set<string>): string[] {
  const lines: string[] = [];
  const once = (key: string, line: string): void => {
    if (printed.has(key)) return;
    printed.add(key);
    lines.push(line);
  };
  for (const step of [...(s.steps ?? []), ...(s.undo ?? []).map((u) => ({ ...u, step: `undo: ${u.step}` }))]) {
    if (step.state !== 'pending') once(`${step.step}:${step.state}`, stepLine(step));
  }
  if (!s.steps) once(`phase:${s.phase}:${s.detail ?? ''}`, `${s.phase}${s.detail ? `: ${s.detail}` : ''}`);
  if (s.awaiting) {
    const who = s.awaiting.who.length > 0 ? s.awaiting.who.join(' or ') : 'anyone';
    once(
      `awaiting:${s.awaiting.what}`,
      `     waiting for ${s.awaiting.what} by ${who}: gameday approve ${workflowId} --by NAME (or gameday reject ${workflowId}); in the UI: More Actions → Send an Update → ${s.awaiting.updates.join(' / ')} with ${JSON.stringify(s.awaiting.example)}`,
    );
  }
  for (const a of s.aborts ?? []) {
    once(
      `abort:${a.via}:${a.by ?? ''}:${a.reason}:${a.accepted}`,
      `     ${a.via === 'cancellation' ? 'cancellation' : `abort by ${a.by ?? '?'} (${a.reason})`}: ${a.accepted ? 'accepted' : a.refusal}`,
    );
  }
  const left = (s.data as { rtoBudgetLeftMs?: number } | undefined)?.rtoBudgetLeftMs;
  if (left !== undefined && s.phase === 'running')
    once(`budget:${Math.floor(left / 60_000)}`, `     RTO budget left: ${formatDuration(left)}`);
  return lines;
}

/** Prints the run's progress with `write` until `done` settles (status polled every `pollMs`). */
export async function followRun(
  handle: WorkflowHandle,
  done: Promise<unknown>,
  write: (line: string) => void,
  pollMs = 1000,
): Promise<void> {
  let settled = false;
  done.then(
    () => (settled = true),
    () => (settled = true),
  );
  const printed = new Set<string>();
  const tick = async (): Promise<void> => {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { statusQuery } = require('../contracts/run') as typeof import('../contracts/run');
      for (const line of statusLines(await handle.query(statusQuery), handle.workflowId, printed)) write(line);
    } catch {
      // No worker answered yet, or the run just closed: ask again at the next tick.
    }
  };
  while (!settled) {
    await tick();
    await Promise.race([done.catch(() => undefined), new Promise((r) => setTimeout(r, pollMs))]);
  }
  await tick();
}

/** Follows a run with `followRun` until it ends and returns its result (rejects as the run failed). */
export async function followToResult<T>(handle: WorkflowHandle, write: (line: string) => void, pollMs = 1000): Promise<T> {
  const result = handle.result() as Promise<T>;
  await followRun(handle, result, write, pollMs);
  return result;
}
