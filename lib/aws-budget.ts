/**
 * The fleet-wide AWS call budget: names and rates of the per-account-and-region task queues, and
 * the envelope a budget-queue activity's result travels in (its AWS call count). Pure and
 * deterministic: workflows import it to route their AWS steps, the worker to poll and rate-limit
 * the queues.
 *
 * Every worker polls `<task queue>-aws-<account>-<region>` for each account and region of its
 * runbooks with Temporal's `maxTaskQueueActivitiesPerSecond`: the server dispatches at most that
 * many activity tasks per second from the queue to the whole fleet, and every task on the queue
 * makes at most one AWS call (`activities/aws/charged-calls.ts`), so the server's limit is the
 * account's call budget whatever the number of workers.
 */

/** Where an AWS call goes: an account (absent = the default credentials' account) and a region. */
export interface BudgetTarget {
  readonly accountId?: string;
  readonly region: string;
}

/** The task queue of the AWS calls of `target`: `<baseQueue>-aws-<account>-<region>`. */
export function awsBudgetQueue(baseQueue: string, target: BudgetTarget): string {
  return `${baseQueue}-aws-${target.accountId ?? 'default'}-${target.region}`;
}

/** Task-queue partitions Temporal spreads a queue over unless its dynamic config says otherwise. */
export const DEFAULT_QUEUE_PARTITIONS = 4;
/** The window (s) over which the budget must hold: AWS meters API rates in token buckets of about this size. */
export const BUDGET_WINDOW_S = 10;
/**
 * Margin kept below the computed rate: a task is dispatched at the limited rate but its call
 * reaches AWS a little later, and a stalled worker can send several at once. Measured with 2
 * worker processes on a loaded 2-core machine at 0.95: up to 15 % over the budget in a 10 s
 * window; 0.85 leaves about 2 calls of a 10 s window at 2 calls/s for that jitter.
 */
export const RATE_SAFETY = 0.85;

/**
 * The `maxTaskQueueActivitiesPerSecond` that keeps calls within `budgetPerSecond` over any
 * `windowS` window. The server splits the rate over the queue's partitions, each with a token
 * bucket that starts full (measured on the dev server: a burst of `partitions × ⌈rate⌉` tasks
 * after an idle spell, then `rate`/s), so a window can see `burst + rate × windowS` calls: the
 * largest rate with `partitions × ⌈rate⌉ + rate × windowS ≤ budget × windowS`, less
 * {@link RATE_SAFETY}. Throws when the budget cannot absorb even the smallest burst.
 */
export function budgetQueueRate(budgetPerSecond: number, partitions = DEFAULT_QUEUE_PARTITIONS, windowS = BUDGET_WINDOW_S): number {
  const allowed = budgetPerSecond * windowS;
  for (let ceil = Math.max(1, Math.ceil(budgetPerSecond)); ceil >= 1; ceil--) {
    const rate = (allowed - partitions * ceil) / windowS;
    if (rate > 0 && Math.ceil(rate) <= ceil) return rate * RATE_SAFETY;
  }
  throw new RangeError(
    `a budget of ${budgetPerSecond} calls/s cannot absorb the burst of ${partitions} queue partitions within ${windowS} s; raise the budget or lower the partitions`,
  );
}

/** Key of the envelope a budget-queue activity returns its result in. */
export const AWS_CALLS_KEY = '__gamedayAwsCalls';

/** A budget-queue activity's result with the AWS calls it made (over all its attempts). */
export interface CountedResult<T> {
  readonly [AWS_CALLS_KEY]: number;
  /** False when an earlier attempt died unsaved: the count is a lower bound (absent: complete). */
  readonly complete?: false;
  readonly value: T;
}

/** True when `r` is a {@link CountedResult} envelope. */
export function isCounted(r: unknown): r is CountedResult<unknown> {
  return typeof r === 'object' && r !== null && typeof (r as Record<string, unknown>)[AWS_CALLS_KEY] === 'number';
}
