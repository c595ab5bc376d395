/**
 * `pollUntil` on a fake clock (time moves only when the poller sleeps) and on a fast scaled clock:
 * done, failed, timeout at the deadline, abort, adaptive interval, heartbeats.
 */
import { PollFailedError, PollTimeoutError, pollUntil } from '../activities/aws/poll';
import { scaledClock, type Clock } from '../lib/clock';

/** A clock whose time advances only by the sleeps asked of it; records every sleep. */
function fakeClock(start = 1_000_000): Clock & { sleeps: number[] } {
  let t = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    scale: 1,
    now: () => t,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      t += ms;
    },
  };
}

/** A reader returning `states` in order (the last one repeats). */
function sequence<T>(states: T[]): { read: () => Promise<T>; reads: () => number } {
  let i = 0;
  return {
    read: async () => states[Math.min(i++, states.length - 1)]!,
    reads: () => i,
  };
}

describe('pollUntil', () => {
  test('returns the first done state with observedAt and previousReadAt bracketing the transition', async () => {
    const clock = fakeClock();
    const seq = sequence(['modifying', 'modifying', 'available']);
    const r = await pollUntil({
      read: seq.read,
      done: (s) => s === 'available',
      clock,
      intervalMs: 1000,
      fastIntervalMs: 1000,
      timeoutMs: 60_000,
      what: 'cluster available',
    });
    expect(r.state).toBe('available');
    expect(r.polls).toBe(3);
    expect(r.observedAt).toBe(1_002_000);
    expect(r.previousReadAt).toBe(1_001_000);
  });

  test('done on the first read has no previousReadAt and never sleeps', async () => {
    const clock = fakeClock();
    const r = await pollUntil({ read: async () => 'ok', done: () => true, clock, timeoutMs: 1000, what: 'x' });
    expect(r).toEqual({ state: 'ok', observedAt: 1_000_000, observedIssuedAt: 1_000_000, previousReadAt: undefined, polls: 1 });
    expect(clock.sleeps).toEqual([]);
  });

  test('a terminal state throws PollFailedError naming what was awaited', async () => {
    const clock = fakeClock();
    const seq = sequence(['running', 'failed']);
    const p = pollUntil({
      read: seq.read,
      done: (s) => s === 'completed',
      failed: (s) => (s === 'failed' ? 'experiment failed: no targets' : undefined),
      clock,
      timeoutMs: 60_000,
      what: 'FIS experiment EXP1',
    });
    await expect(p).rejects.toThrow(PollFailedError);
    await expect(p).rejects.toThrow('FIS experiment EXP1: experiment failed: no targets');
    expect(seq.reads()).toBe(2);
  });

  test('times out with one last read exactly at the deadline', async () => {
    const clock = fakeClock();
    const readTimes: number[] = [];
    const p = pollUntil({
      read: async () => {
        readTimes.push(clock.now());
        return 'pending';
      },
      done: () => false,
      clock,
      intervalMs: 4000,
      fastIntervalMs: 4000,
      timeoutMs: 10_000,
      what: 'change INSYNC',
    });
    await expect(p).rejects.toThrow(PollTimeoutError);
    await expect(p).rejects.toThrow(/change INSYNC: not reached within 10 s/);
    expect(readTimes.map((t) => t - 1_000_000)).toEqual([0, 4000, 8000, 10_000]);
    expect(clock.sleeps).toEqual([4000, 4000, 2000]);
  });

  test('adaptive interval: fast while isDue, slow otherwise', async () => {
    const clock = fakeClock();
    const seq = sequence(['available', 'available', 'failing-over', 'failing-over', 'done']);
    await pollUntil({
      read: seq.read,
      done: (s) => s === 'done',
      isDue: (s) => s === 'failing-over',
      clock,
      intervalMs: 5000,
      fastIntervalMs: 500,
      timeoutMs: 600_000,
      what: 'writer moved',
    });
    expect(clock.sleeps).toEqual([5000, 5000, 500, 500]);
  });

  test('heartbeats after every read with the poll count and read time', async () => {
    const clock = fakeClock();
    const beats: unknown[] = [];
    await pollUntil({
      read: sequence([1, 2, 3]).read,
      done: (n) => n === 3,
      clock,
      intervalMs: 100,
      fastIntervalMs: 100,
      timeoutMs: 10_000,
      heartbeat: (d) => beats.push(d),
      what: 'count',
    });
    expect(beats).toEqual([
      { what: 'count', polls: 1, at: 1_000_000, issuedAt: 1_000_000 },
      { what: 'count', polls: 2, at: 1_000_100, issuedAt: 1_000_100 },
      { what: 'count', polls: 3, at: 1_000_200, issuedAt: 1_000_200 },
    ]);
  });

  test('an already aborted signal rejects before any read', async () => {
    const ac = new AbortController();
    ac.abort(new Error('cancelled by workflow'));
    const seq = sequence(['x']);
    await expect(
      pollUntil({ read: seq.read, done: () => false, clock: fakeClock(), timeoutMs: 1000, signal: ac.signal, what: 'x' }),
    ).rejects.toThrow('cancelled by workflow');
    expect(seq.reads()).toBe(0);
  });

  test('abort during a sleep on a real (scaled) clock rejects with the reason and stops reading', async () => {
    const clock = scaledClock({ simEpochMs: 0, wallEpochMs: Date.now(), scale: 1 });
    const ac = new AbortController();
    let reads = 0;
    const p = pollUntil({
      read: async () => {
        reads += 1;
        if (reads === 2) setImmediate(() => ac.abort(new Error('activity cancelled')));
        return 'pending';
      },
      done: () => false,
      clock,
      intervalMs: 60_000,
      fastIntervalMs: 5,
      isDue: () => reads < 2,
      timeoutMs: 3_600_000,
      signal: ac.signal,
      what: 'slow thing',
    });
    await expect(p).rejects.toThrow('activity cancelled');
    expect(reads).toBe(2);
  });
});
