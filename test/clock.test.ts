/**
 * The sim's clocks: a plain scaled clock multiplies every wall millisecond, a stall of the process
 * included; the stall-tolerant clock counts a stall at 1× beyond its step, so a starved process
 * does not make minutes pass in the simulated world.
 */
import { scaledClock, stallTolerantClock } from '../lib/clock';

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
