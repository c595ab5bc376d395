/**
 * The AZ-loss recovery watch's window when reads are slow: a read answers with the state at some
 * instant between its issue and its return, so every window the watch states must open at an
 * issue time. On a busy machine at a high sim scale one read can span many simulated seconds; a
 * window that opened at the return of the read that saw the impairment once excluded the truth.
 */
import { runWatch, type WatchCheckpoint } from '../activities/az-loss/watch-loop';
import type { ActivityDeps } from '../activities/deps';
import type { WatchRead } from '../activities/az-loss/reads';
import type { Clock } from '../lib/clock';

/** A clock that moves only when someone sleeps on it or a read takes time (`advance`). */
function manualClock(start: number): Clock & { advance: (ms: number) => void } {
  let t = start;
  return { scale: 1, now: () => t, sleep: async (ms) => void (t += ms), advance: (ms) => void (t += ms) };
}

/**
 * A world that recovers at `recoversAt`; every read answers with the state at `answerDelayMs`
 * after its issue and returns `readMs` after its issue.
 */
function slowWorld(clock: ReturnType<typeof manualClock>, recoversAt: number, answerDelayMs: number, readMs: number) {
  const reads: { issuedAt: number; answeredFor: number; ok: boolean }[] = [];
  const read = async (): Promise<WatchRead> => {
    const issuedAt = clock.now();
    const answeredFor = issuedAt + answerDelayMs;
    const ok = answeredFor >= recoversAt;
    clock.advance(readMs);
    reads.push({ issuedAt, answeredFor, ok });
    return { ok, impaired: !ok, what: ok ? 'serving' : 'impaired' };
  };
  return { read, reads };
}

const logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

function loop(clock: Clock, read: () => Promise<WatchRead>, baselineAt: number, resumed?: WatchCheckpoint) {
  const deps = { clock, logger } as unknown as ActivityDeps;
  return runWatch(deps, {
    watch: 'service',
    what: 'the service',
    input: { timeoutMs: 600_000, pollIntervalMs: 5_000, baseline: { watch: 'service', at: baselineAt, seen: 'serving', ok: false } },
    hooks: { heartbeat: () => undefined },
    resumed,
    read,
    checkpointExtra: () => ({}),
  });
}

describe('recovery watch window with slow reads', () => {
  test.each([
    // [recovers at (ms after start), answer delay, read duration]
    [1_000, 500, 20_000], // recovery during the slow read that saw the impairment (the loaded-run case)
    [19_000, 500, 20_000], // recovery just before that read returned
    [30_000, 1_000, 20_000], // recovery between reads
    [3_000, 100, 200], // fast reads
  ])('recovery at %i ms (answer after %i ms, reads take %i ms) lies in the stated window', async (recoversAt, answerDelay, readMs) => {
    const start = 1_000_000;
    const clock = manualClock(start);
    const world = slowWorld(clock, start + recoversAt, answerDelay, readMs);
    const res = await loop(clock, world.read, start - 10_000);
    const w = res.recoveredWindow!;
    expect(w).toBeDefined();
    expect(world.reads.length).toBeGreaterThanOrEqual(2); // it saw the impairment first
    expect({ truth: start + recoversAt, inside: start + recoversAt > w.previousReadAt! && start + recoversAt <= w.observedAt }).toEqual({
      truth: start + recoversAt,
      inside: true,
    });
    // The window opens at the issue of the last read that said "impaired".
    const lastImpaired = [...world.reads].reverse().find((r) => !r.ok)!;
    expect(w.previousReadAt).toBe(lastImpaired.issuedAt);
  });

  test('a resumed attempt opens its window at the issue of the checkpoint’s last read', async () => {
    const start = 2_000_000;
    const clock = manualClock(start);
    const world = slowWorld(clock, start + 1_000, 500, 20_000);
    const checkpoints: WatchCheckpoint[] = [];
    // Attempt 1: sees the impairment in a slow read, heartbeats, then "dies" (we stop after one heartbeat).
    const deps = { clock, logger } as unknown as ActivityDeps;
    const dying = runWatch(deps, {
      watch: 'service',
      what: 'the service',
      input: { timeoutMs: 600_000, pollIntervalMs: 5_000, baseline: { watch: 'service', at: start - 10_000, seen: 'x', ok: false } },
      hooks: {
        heartbeat: (d) => {
          checkpoints.push(d as WatchCheckpoint);
          if (checkpoints.length === 1) throw new Error('worker died');
        },
      },
      resumed: undefined,
      read: world.read,
      checkpointExtra: () => ({}),
    });
    await expect(dying).rejects.toThrow('worker died');
    const cp = checkpoints[0]!;
    expect(cp.lastReadAt).toBe(world.reads[0]!.issuedAt); // the issue time, not the return time
    const res = await loop(clock, world.read, start - 10_000, cp);
    expect(res.recoveredWindow!.previousReadAt).toBeLessThan(start + 1_000);
    expect(res.recoveredWindow!.observedAt).toBeGreaterThanOrEqual(start + 1_000);
  });
});
