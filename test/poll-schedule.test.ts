/**
 * The adaptive poll schedule (lib/poll-schedule.ts) and the budget queue rate (lib/aws-budget.ts):
 * pure functions, checked on their numbers and on a simulated wait.
 */
import { awsBudgetQueue, budgetQueueRate, isCounted, AWS_CALLS_KEY } from '../lib/aws-budget';
import { adaptiveSchedule, APPROACH, nextPollDelay, OPERATION_DURATIONS, scheduleProblem, type PollSchedule } from '../lib/poll-schedule';

const S: PollSchedule = { fastMs: 1000, slowMs: 60_000, expected: { minMs: 300_000, maxMs: 900_000 } };

/** Read times of a wait on `schedule` for an operation that completes at `doneAt` (clock ms from its start). */
function simulate(schedule: PollSchedule, doneAt: number): { reads: number; latency: number } {
  let t = 0;
  let reads = 0;
  for (;;) {
    reads += 1;
    if (t >= doneAt) return { reads, latency: t - doneAt };
    t += nextPollDelay(schedule, t);
  }
}

describe('nextPollDelay', () => {
  test('before the usual minimum: a fraction of the time left, never below the due interval nor above the slow one', () => {
    expect(nextPollDelay(S, 0)).toBe(60_000); // (300 s − 0) × 2/3 = 200 s, capped at 60 s
    expect(nextPollDelay(S, 240_000)).toBe(60_000 * APPROACH);
    expect(nextPollDelay(S, 299_500)).toBe(1000); // floor: the due interval
  });

  test('inside the usual window: the due interval', () => {
    expect(nextPollDelay(S, 300_000)).toBe(1000);
    expect(nextPollDelay(S, 600_000)).toBe(1000);
    expect(nextPollDelay(S, 900_000)).toBe(1000);
  });

  test('overdue: grows with the overdue time, capped at the slow interval', () => {
    expect(nextPollDelay(S, 910_000)).toBe(1000 + 10_000 * 0.1);
    expect(nextPollDelay(S, 900_000 + 3_600_000)).toBe(60_000);
  });

  test('without a known duration: the two-speed rule', () => {
    const two: PollSchedule = { fastMs: 250, slowMs: 1000 };
    expect(nextPollDelay(two, 12_345, true)).toBe(250);
    expect(nextPollDelay(two, 12_345, false)).toBe(1000);
  });

  test('a restore of 5–15 min: about a dozen reads before the window, then one per second; latency ≤ the due interval', () => {
    for (const doneAt of [300_000, 450_000, 899_000]) {
      const r = simulate(S, doneAt);
      expect(r.latency).toBeLessThan(1000);
      expect(r.reads).toBeLessThan(15 + (doneAt - 300_000) / 1000);
      expect(r.reads).toBeGreaterThan((doneAt - 300_000) / 1000); // it does read every second in the window
    }
    // The same restore at a fixed 250 ms (the old default while due) takes 4 reads per second throughout.
    const old = simulate({ fastMs: 250, slowMs: 1000 }, 450_000);
    expect(old.reads / simulate(S, 450_000).reads).toBeGreaterThan(4);
  });

  test('an operation faster than usual is still seen, within the approach step', () => {
    const r = simulate(S, 100_000);
    expect(r.latency).toBeLessThanOrEqual(60_000);
    expect(r.reads).toBeLessThan(5);
  });

  test('an operation slower than usual is seen with a bounded, growing latency', () => {
    const r = simulate(S, 1_500_000);
    expect(r.latency).toBeLessThanOrEqual(60_000);
    expect(r.reads).toBeLessThan(15 + 600 + 60);
  });

  test('scheduleProblem names a bad schedule', () => {
    expect(scheduleProblem(S)).toBeUndefined();
    expect(scheduleProblem({ fastMs: 0, slowMs: 1 })).toMatch(/fastMs must be > 0/);
    expect(scheduleProblem({ fastMs: 10, slowMs: 5 })).toMatch(/slowMs \(5\) must be ≥ fastMs/);
    expect(scheduleProblem({ fastMs: 10, slowMs: 50, expected: { minMs: 9, maxMs: 3 } })).toMatch(/0 ≤ minMs ≤ maxMs/);
    for (const d of Object.values(OPERATION_DURATIONS)) expect(scheduleProblem(adaptiveSchedule(d))).toBeUndefined();
  });
});

describe('budget queues', () => {
  test('one queue per account and region under the worker task queue', () => {
    expect(awsBudgetQueue('gameday', { accountId: '111122223333', region: 'us-east-1' })).toBe('gameday-aws-111122223333-us-east-1');
    expect(awsBudgetQueue('q', { region: 'eu-west-1' })).toBe('q-aws-default-eu-west-1');
  });

  test('the queue rate leaves room for the partitions’ burst inside the 10 s window', () => {
    for (const [budget, partitions] of [
      [2, 4],
      [2, 1],
      [1, 4],
      [10, 4],
      [0.5, 1],
    ] as const) {
      const rate = budgetQueueRate(budget, partitions);
      expect(rate).toBeGreaterThan(0);
      expect(partitions * Math.max(1, Math.ceil(rate)) + rate * 10).toBeLessThanOrEqual(budget * 10);
    }
    expect(budgetQueueRate(2, 4)).toBeCloseTo(1.2 * 0.85);
    expect(() => budgetQueueRate(0.2, 4)).toThrow(/cannot absorb the burst of 4 queue partitions/);
  });

  test('counted results are recognised by their envelope only', () => {
    expect(isCounted({ [AWS_CALLS_KEY]: 3, value: 1 })).toBe(true);
    expect(isCounted({ value: 1 })).toBe(false);
    expect(isCounted(undefined)).toBe(false);
  });
});
