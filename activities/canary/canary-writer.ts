/**
 * The canary writer loop (domain.md §3): writes (runId, seq, at) at a fixed rate to the writer
 * endpoint, records every ack and every failed attempt, rides out the writer going away
 * (reconnects with a backoff bounded by 4 write intervals) and stops when its signal aborts or
 * `maxDurationMs` passes, returning a compact `CanaryWriterResult`.
 *
 * Free of Temporal so the benchmark drives it directly; the activity (`runCanaryWriter` in
 * `activities/measurement/`) binds the signal and the heartbeat.
 *
 * Compactness: acks inside the last `ringSize` writes and around every outage (the `ringSize`
 * writes before it, `pinAfter` after it) keep their exact times; older acks are folded into
 * `ackSpans` (interior times interpolated by the timeline math). The result stays < 100 KB.
 */
import type { Clock } from '../../lib/clock';
import type { CanaryAck, CanaryAckSpan, CanaryWriterResult } from '../../lib/measurement-types';
import type { CanaryConnector, CanaryStore, CanaryTarget } from './canary-store';

/** How long a write in flight when the writer is stopped may take to report its commit (wall ms). */
const LATE_ACK_WAIT_MS = 2000;

/** The value of `p` if it resolves within `ms` wall ms, else `undefined` (never rejects). */
async function settleWithin<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([p.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Where a writer stopped: its result plus the next seq, so a retried attempt resumes. */
export interface CanaryWriterCheckpoint {
  readonly result: CanaryWriterResult;
  readonly nextSeq: number;
}

/** Options of `runCanaryWriterLoop`. */
export interface CanaryWriterLoopOptions {
  readonly connector: CanaryConnector;
  readonly target: CanaryTarget;
  readonly runId: string;
  /** @default 10 */
  readonly ratePerSecond?: number;
  readonly clock: Clock;
  /** Stop after this many clock ms even if never aborted. */
  readonly maxDurationMs: number;
  /** Aborting stops the loop; the result is then returned normally. */
  readonly signal?: AbortSignal;
  /** Receives the checkpoint about once per wall second (and at start). */
  readonly heartbeat?: (checkpoint: CanaryWriterCheckpoint) => void;
  /** Checkpoint of a previous attempt to continue from. */
  readonly resume?: CanaryWriterCheckpoint;
  /** Receives connection errors (never credentials). */
  readonly onError?: (err: unknown, seq: number) => void;
  /** Exact acks kept at the end and before each outage. @default 300 */
  readonly ringSize?: number;
  /** Exact acks kept after each outage. @default 100 */
  readonly pinAfter?: number;
  /** Upper bound of exact acks kept around outages. @default 1500 */
  readonly maxExact?: number;
}

/** Thrown by `raceAbort` when the signal aborts first. */
class StopRequested extends Error {
  override readonly name = 'StopRequested';
}

function raceAbort<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new StopRequested());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new StopRequested());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** Keeps acks compact: exact around outages and at the end, spans elsewhere. */
class AckLog {
  private readonly exact: CanaryAck[] = [];
  private readonly ring: CanaryAck[] = [];
  private readonly spans: CanaryAckSpan[] = [];
  private pinRemaining = 0;

  constructor(
    private readonly ringSize: number,
    private readonly pinAfter: number,
    private readonly maxExact: number,
    resume?: CanaryWriterResult,
  ) {
    if (resume) {
      this.spans.push(...(resume.ackSpans ?? []));
      this.exact.push(...resume.acked);
    }
  }

  add(ack: CanaryAck): void {
    if (this.pinRemaining > 0 && this.exact.length < this.maxExact) {
      this.exact.push(ack);
      this.pinRemaining -= 1;
      return;
    }
    this.ring.push(ack);
    if (this.ring.length > this.ringSize) this.fold(this.ring.shift()!);
  }

  /** An outage starts: keep the acks before it exact, and the next `pinAfter` ones. */
  outageStarted(): void {
    while (this.ring.length > 0) {
      const a = this.ring.shift()!;
      if (this.exact.length < this.maxExact) this.exact.push(a);
      else this.fold(a);
    }
    this.pinRemaining = this.pinAfter;
  }

  private fold(a: CanaryAck): void {
    const last = this.spans[this.spans.length - 1];
    if (last && a.seq === last.toSeq + 1) this.spans[this.spans.length - 1] = { ...last, toSeq: a.seq, toAt: a.at };
    else this.spans.push({ fromSeq: a.seq, toSeq: a.seq, fromAt: a.at, toAt: a.at });
  }

  acked(): CanaryAck[] {
    return [...this.exact, ...this.ring].sort((x, y) => x.seq - y.seq);
  }

  ackSpans(): CanaryAckSpan[] {
    return [...this.spans];
  }

  count(): number {
    return this.exact.length + this.ring.length + this.spans.reduce((n, s) => n + s.toSeq - s.fromSeq + 1, 0);
  }
}

/** Runs the canary writer until aborted or `maxDurationMs`; never throws for database errors. */
export async function runCanaryWriterLoop(opts: CanaryWriterLoopOptions): Promise<CanaryWriterResult> {
  const { clock, connector, target, runId, signal } = opts;
  const rate = opts.ratePerSecond ?? 10;
  const intervalMs = 1000 / rate;
  const log = new AckLog(opts.ringSize ?? 300, opts.pinAfter ?? 100, opts.maxExact ?? 1500, opts.resume?.result);
  let failedAttempts = opts.resume?.result.failedAttempts ?? 0;
  let firstFailureAt = opts.resume?.result.firstFailureAt;
  let lastFailureAt = opts.resume?.result.lastFailureAt;
  let firstWriteAfterOutage = opts.resume?.result.firstWriteAfterOutage;
  let seq = opts.resume?.nextSeq ?? 1;
  let lastError: string | undefined;
  let inOutage = false;
  let consecutiveFailures = 0;
  let store: CanaryStore | undefined;
  const startedAt = clock.now();
  const deadline = startedAt + opts.maxDurationMs;
  const heartbeatEveryMs = 1000 * clock.scale;
  let lastHeartbeatAt = -Infinity;

  const result = (): CanaryWriterResult => {
    const acked = log.acked();
    const spans = log.ackSpans();
    return {
      runId,
      ratePerSecond: rate,
      acked,
      failedAttempts,
      ...(firstFailureAt !== undefined ? { firstFailureAt } : {}),
      ...(lastFailureAt !== undefined ? { lastFailureAt } : {}),
      ...(firstWriteAfterOutage ? { firstWriteAfterOutage } : {}),
      ...(spans.length > 0 ? { ackSpans: spans } : {}),
      ...(log.count() === 0
        ? {
            unavailableReason: `no canary write succeeded (${failedAttempts} failed attempts${lastError ? `; last error: ${lastError}` : ''})`,
          }
        : {}),
    };
  };
  const dropStore = (): void => {
    const s = store;
    store = undefined;
    s?.close().catch((err: unknown) => opts.onError?.(err, seq));
  };

  let nextTick = clock.now();
  try {
    while (!signal?.aborted && clock.now() < deadline) {
      const now = clock.now();
      if (now - lastHeartbeatAt >= heartbeatEveryMs) {
        lastHeartbeatAt = now;
        opts.heartbeat?.({ result: result(), nextSeq: seq });
      }
      const attemptSeq = seq++;
      try {
        if (!store) {
          store = await raceAbort(connector.connect(target), signal);
          await raceAbort(store.ensureTable(), signal);
        }
        const at = clock.now();
        const pending = store.write(runId, attemptSeq, at);
        const ack = await raceAbort(pending, signal).catch(async (err: unknown) => {
          // Stopped mid-write: the database may still commit it. Record its ack if it arrives
          // within a moment, so what the writer says it acknowledged matches the table.
          if (err instanceof StopRequested) {
            const late = await settleWithin(pending, LATE_ACK_WAIT_MS);
            if (late) log.add(late);
          }
          throw err;
        });
        log.add(ack);
        if (inOutage) {
          firstWriteAfterOutage ??= ack;
          inOutage = false;
        }
        consecutiveFailures = 0;
        nextTick = Math.max(nextTick + intervalMs, clock.now()); // behind schedule: no burst
      } catch (err) {
        if (err instanceof StopRequested) break;
        const failedAt = clock.now();
        failedAttempts += 1;
        firstFailureAt ??= failedAt;
        lastFailureAt = failedAt;
        lastError = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        opts.onError?.(err, attemptSeq);
        if (!inOutage) log.outageStarted();
        inOutage = true;
        consecutiveFailures += 1;
        dropStore();
        nextTick = failedAt + intervalMs * Math.min(2 ** (consecutiveFailures - 1), 4);
      }
      const wait = Math.min(nextTick, deadline) - clock.now();
      if (wait > 0) await clock.sleep(wait, signal).catch(() => undefined); // abort ends the loop
    }
  } finally {
    dropStore();
  }
  return result();
}
