/**
 * The sim's clocks: a plain scaled clock multiplies every wall millisecond, a stall of the process
 * included; the stall-tolerant clock counts a stall at 1× beyond its step, so a starved process
 * does not make minutes pass in the simulated world; the virtual clock moves only when every
 * caller sleeps on it, so a stall costs no simulated time at all.
 */
import { clockAtWall, realClock, scaledClock, stallTolerantClock, virtualClock } from '../lib/clock';

const SCALE = 60;

/** Blocks the event loop for `ms` wall ms: no timer, no tick runs meanwhile. */
function stall(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    /* busy */
  }
}

describe('stall-tolerant clock', () => {
  test('a 600 ms stall counts as 50 ms at scale plus 550 ms at 1×; a plain scaled clock counts it all at scale', () => {
    const now = Date.now();
    const spec = { simEpochMs: 1_000_000, wallEpochMs: now, scale: SCALE };
    const tolerant = stallTolerantClock(spec, { maxStepMs: 50, tickMs: 0 });
    const plain = scaledClock(spec);
    const t0 = tolerant.now();
    const p0 = plain.now();
    stall(600);
    const tolerantAdvance = tolerant.now() - t0;
    const plainAdvance = plain.now() - p0;
    expect(plainAdvance).toBeGreaterThanOrEqual(600 * SCALE);
    // 50 ms × 60 + the rest at 1×; the busy loop may overrun its 600 ms by a few ms.
    expect(tolerantAdvance).toBeGreaterThanOrEqual(50 * SCALE + 550);
    expect(tolerantAdvance).toBeLessThan(50 * SCALE + 2_000);
    expect(tolerant.stalls().count).toBe(1);
    expect(tolerant.stalls().absorbedWallMs).toBeGreaterThanOrEqual(550);
    tolerant.stop();
  });

  test('time observed often runs at full scale, and sleep waits its simulated duration', async () => {
    const spec = { simEpochMs: 1_000_000, wallEpochMs: Date.now(), scale: SCALE };
    const clock = stallTolerantClock(spec, { tickMs: 5 });
    const t0 = clock.now();
    const w0 = Date.now();
    await clock.sleep(30_000); // 500 wall ms at 60×
    const simElapsed = clock.now() - t0;
    const wallElapsed = Date.now() - w0;
    expect(simElapsed).toBeGreaterThanOrEqual(30_000);
    // Never faster than the scale allows.
    expect(simElapsed).toBeLessThanOrEqual(wallElapsed * SCALE + 1);
    clock.stop();
  });

  test('time never goes backwards', () => {
    const clock = stallTolerantClock({ simEpochMs: 0, wallEpochMs: Date.now(), scale: SCALE }, { tickMs: 0 });
    let last = clock.now();
    for (let i = 0; i < 20; i++) {
      if (i % 5 === 0) stall(80);
      const t = clock.now();
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
    clock.stop();
  });
});

describe('virtual clock', () => {
  test('stands still while code runs, a stall included, and jumps to the earliest wake-up', async () => {
    const clock = virtualClock(1_000_000, SCALE);
    stall(200);
    expect(clock.now()).toBe(1_000_000);
    const woke: [string, number][] = [];
    await Promise.all([
      clock.sleep(5_000).then(() => woke.push(['a', clock.now()])),
      clock.sleep(1_000).then(() => woke.push(['b', clock.now()])),
      clock.sleep(1_000).then(() => woke.push(['c', clock.now()])),
    ]);
    expect(woke).toEqual([
      ['b', 1_001_000],
      ['c', 1_001_000],
      ['a', 1_005_000],
    ]);
    expect(clock.pending()).toBe(0);
  });

  test('a poll every second sees a state that lasts one second, whatever the load', async () => {
    const clock = virtualClock(0, SCALE);
    const state = (t: number): string => (t < 10_000 ? 'a' : t < 11_000 ? 'brief' : 'b');
    const seen = new Set<string>();
    while (clock.now() < 20_000) {
      seen.add(state(clock.now()));
      stall(5); // a busy machine: wall time passes, simulated time does not
      await clock.sleep(1_000);
    }
    expect([...seen]).toEqual(['a', 'brief', 'b']);
  });

  test('an aborted sleep rejects with the reason and never wakes', async () => {
    const clock = virtualClock(0, SCALE);
    const ac = new AbortController();
    const p = clock.sleep(1_000, ac.signal);
    ac.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    expect(clock.pending()).toBe(0);
    expect(clock.now()).toBe(0);
  });
});

describe('clockAtWall: a past wall instant on the activities’ clock', () => {
  test('real clock: the wall instant itself', () => {
    const wall = Date.now() - 5_000;
    expect(Math.abs(clockAtWall(realClock, wall) - wall)).toBeLessThanOrEqual(5);
  });

  test('scaled clock: the spec’s mapping, whatever time has passed since', () => {
    const spec = { simEpochMs: 1_700_000_000_000, wallEpochMs: Date.now() - 10_000, scale: 20 };
    const clock = scaledClock(spec);
    const wall = spec.wallEpochMs + 4_000;
    const expected = spec.simEpochMs + 4_000 * 20;
    expect(Math.abs(clockAtWall(clock, wall) - expected)).toBeLessThanOrEqual(20 * 5);
  });

  test('never later than now (a wall instant in the future is now), and virtual time answers now', () => {
    const clock = scaledClock({ simEpochMs: 0, wallEpochMs: Date.now(), scale: 10 });
    const t = clockAtWall(clock, Date.now() + 60_000);
    expect(t).toBeLessThanOrEqual(clock.now());
    const v = virtualClock(5_000, 60);
    expect(clockAtWall(v, Date.now() - 60_000)).toBe(5_000);
  });
});
