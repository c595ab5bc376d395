/**
 * The controls a person has over a running game day, as Updates with validators (a refused
 * control records nothing): pause / resume the day before its next scenario, skip or abort the
 * current scenario (the child is sent the kit's `abort` signal, so its own undo cleans up; a
 * child past its point of no return refuses and runs to its end, and the scorecard says so); and
 * the children's mirrored status (`childStatus`). Deterministic.
 */
import { getExternalWorkflowHandle, setHandler } from '@temporalio/workflow';
import {
  abortScenarioUpdate,
  pauseGameDayUpdate,
  resumeGameDayUpdate,
  skipScenarioUpdate,
  type ControlAnswer,
  type ControlRequest,
} from '../../contracts/gameday';
import { abortSignal, childStatusSignal } from '../../contracts/run';
import type { GameDay } from './day-state';

function who(req: ControlRequest): { by: string; reason: string } {
  if (!req || typeof req.by !== 'string' || req.by.trim() === '')
    throw new Error('by: required: who asks, e.g. {"by": "alice", "reason": "..."}');
  return {
    by: req.by.slice(0, 100),
    reason: typeof req.reason === 'string' && req.reason.trim() ? req.reason.slice(0, 500) : 'no reason given',
  };
}

/** Registers the day's controls and the child-status mirror on `day`. */
export function registerControls(day: GameDay): void {
  const running = (): void => {
    if (!day.plan || day.run.status().phase !== 'running') throw new Error(`${day.run.workflowId} is not running a game day now`);
  };
  setHandler(childStatusSignal, (s) => day.mirror(s), { description: 'Status of the running scenario, sent by its child run.' });
  setHandler(
    pauseGameDayUpdate,
    (req): ControlAnswer => {
      day.paused = who(req);
      day.show();
      return {
        accepted: true,
        detail: `paused by ${day.paused.by}: the next scenario waits for resumeGameDay${day.current ? ` (${day.current.scenario.id} runs to its end)` : ''}`,
      };
    },
    {
      validator: (req) => {
        running();
        who(req);
        if (day.paused) throw new Error(`already paused by ${day.paused.by}`);
      },
      description: 'Holds the day before its next scenario. Payload: {"by": "alice", "reason": "..."}',
    },
  );
  setHandler(
    resumeGameDayUpdate,
    (req): ControlAnswer => {
      const { by } = who(req);
      day.paused = undefined;
      day.show();
      return { accepted: true, detail: `resumed by ${by}` };
    },
    {
      validator: (req) => {
        who(req);
        if (!day.paused) throw new Error('the day is not paused');
      },
      description: 'Lets a paused day go on. Payload: {"by": "alice"}',
    },
  );
  const stopCurrent = async (kind: 'skip' | 'abort', req: ControlRequest): Promise<ControlAnswer> => {
    const w = who(req);
    const c = day.current;
    if (!c) {
      day.skipNext = w;
      day.show();
      return { accepted: true, detail: `the next scenario will be skipped (${w.by}: ${w.reason})` };
    }
    c.control = { kind, ...w };
    await getExternalWorkflowHandle(c.workflowId).signal(abortSignal, { reason: `game day ${kind}: ${w.reason}`, by: w.by });
    return {
      accepted: true,
      detail: `${c.scenario.id}: abort sent to ${c.workflowId}; its undo cleans up (refused by the run after its point of no return)`,
    };
  };
  const validateStop = (kind: 'skip' | 'abort') => (req: ControlRequest) => {
    running();
    who(req);
    if (day.current?.control)
      throw new Error(`${day.current.scenario.id} is already being stopped (${day.current.control.kind} by ${day.current.control.by})`);
    if (!day.current && (kind === 'abort' || !day.paused))
      throw new Error(`no scenario is running now${kind === 'skip' ? '; pause the day to skip the next one' : ''}`);
  };
  setHandler(skipScenarioUpdate, (req) => stopCurrent('skip', req), {
    validator: validateStop('skip'),
    description:
      'Skips the current scenario (its child aborts and cleans up), or the next one while paused. Payload: {"by": "alice", "reason": "..."}',
  });
  setHandler(abortScenarioUpdate, (req) => stopCurrent('abort', req), {
    validator: validateStop('abort'),
    description: 'Aborts the current scenario (its child aborts and cleans up). Payload: {"by": "alice", "reason": "..."}',
  });
}
