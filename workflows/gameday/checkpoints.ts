/**
 * Human checkpoints of a game day: after a scenario, its checkpoints open together and wait (wall
 * clock, never scaled) for `answerCheckpoint` from someone allowed to answer. Each is stamped on
 * the wall clock when it opens and when it is answered (activities), so the scorecard has who
 * answered, when, and the time to alert / acknowledge / act. A timed-out checkpoint is a finding;
 * the day goes on. Deterministic.
 */
import { condition, setHandler } from '@temporalio/workflow';
import { answerCheckpointUpdate, type CheckpointAnswer, type PlannedCheckpoint, type Stamp } from '../../contracts/gameday';
import type { CheckpointRun } from '../../lib/scorecard';
import type { Run } from '../kit';
import type { GameDay } from './day-state';
import { dayActivities } from './proxies';

function validate(day: GameDay, a: CheckpointAnswer): number | undefined {
  const name = typeof a?.checkpoint === 'string' ? a.checkpoint : '';
  const open = day.checkpoints.get(name);
  if (!open || open.state !== 'open') {
    const now = [...day.checkpoints.values()].filter((c) => c.state === 'open').map((c) => c.checkpoint.name);
    throw new Error(`checkpoint: ${name || '(missing)'} is not open${now.length ? `; open now: ${now.join(', ')}` : '; none is open now'}`);
  }
  if (day.answers.has(name)) throw new Error(`checkpoint ${name} was already answered`);
  if (typeof a.by !== 'string' || a.by.trim() === '')
    throw new Error('by: required: who answers, e.g. {"checkpoint": "alert-paged", "by": "bob", "ok": true}');
  const who = open.checkpoint.who;
  if (who.length > 0 && !who.includes(a.by)) throw new Error(`by: ${a.by} may not answer ${name}; allowed: ${who.join(', ')}`);
  if (typeof a.ok !== 'boolean') throw new Error('ok: required: true when it worked, false when it did not');
  if (a.at === undefined) return undefined;
  const at = typeof a.at === 'string' ? Date.parse(a.at) : NaN;
  const opened = open.openedAt?.wallAt ?? 0;
  const start = day.runs.get(open.checkpoint.after)?.startedAt?.wallAt ?? opened;
  if (!Number.isFinite(at)) throw new Error(`at: expected an ISO 8601 time such as 2026-12-02T10:04:00Z, got ${String(a.at)}`);
  if (at < start) throw new Error(`at: ${a.at} is before ${open.checkpoint.after} started (${new Date(start).toISOString()})`);
  return at;
}

/** Registers `answerCheckpoint` on the day. */
export function registerCheckpoints(day: GameDay): void {
  setHandler(
    answerCheckpointUpdate,
    (a) => {
      const at = validate(day, a);
      day.answers.set(a.checkpoint, { ...a, ...(at !== undefined ? { happenedAtWall: at } : {}) });
      return { checkpoint: a.checkpoint, by: a.by };
    },
    {
      validator: (a) => void validate(day, a),
      description:
        'Answers an open human checkpoint. Payload: {"checkpoint": "alert-paged", "by": "bob", "ok": true, "at": "<optional ISO time it happened>", "note": "..."}',
    },
  );
}

async function one(day: GameDay, cp: PlannedCheckpoint, openedAt: Stamp): Promise<void> {
  const answered = await condition(() => day.answers.has(cp.name), cp.timeoutMs);
  const a = day.answers.get(cp.name);
  if (!answered || !a) return day.recordCheckpoint({ checkpoint: cp, state: 'timed-out', openedAt });
  const answeredAt = await dayActivities.stampGameDayTime();
  const r: CheckpointRun = {
    checkpoint: cp,
    state: 'answered',
    openedAt,
    answeredAt,
    by: a.by,
    ok: a.ok,
    ...(typeof a.note === 'string' && a.note ? { note: a.note.slice(0, 500) } : {}),
    ...(a.happenedAtWall !== undefined ? { happenedAtWall: Math.min(a.happenedAtWall, answeredAt.wallAt) } : {}),
  };
  day.recordCheckpoint(r);
}

/** Opens the checkpoints after scenario `after` together and waits for each (answer or timeout). */
export async function runCheckpoints(run: Run, day: GameDay, after: string): Promise<void> {
  const cps = day.plan!.checkpoints.filter((c) => c.after === after);
  if (cps.length === 0) return;
  const who = [...new Set(cps.flatMap((c) => c.who))];
  const max = Math.max(...cps.map((c) => c.timeoutMs));
  await run.step(
    `checkpoints after ${after}`,
    async () => {
      const openedAt = await dayActivities.stampGameDayTime();
      for (const c of cps) day.recordCheckpoint({ checkpoint: c, state: 'open', openedAt });
      run.await({
        what: `answers to ${cps.map((c) => `${c.name} ("${c.prompt}")`).join('; ')}`,
        who,
        updates: [answerCheckpointUpdate.name],
        example: { checkpoint: cps[0]!.name, by: cps[0]!.who[0] ?? 'alice', ok: true },
        timeoutMs: max,
        cli: `gameday game-day checkpoint ${run.workflowId} ${cps.length === 1 ? cps[0]!.name : `<${cps.map((c) => c.name).join(' | ')}>`} --by NAME [--no]`,
      });
      try {
        await Promise.all(cps.map((c) => one(day, c, openedAt)));
      } finally {
        run.await(undefined);
      }
    },
    {
      detail: `waiting for ${cps.map((c) => c.name).join(', ')}`,
      summary: () => cps.map((c) => `${c.name}: ${day.checkpoints.get(c.name)?.state}`).join(', '),
    },
  );
}
