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

/**
 * Seqs per writer epoch: epoch e writes seqs `(e − 1) × CANARY_EPOCH_STRIDE + 1, + 2, …`. A
 * restarted writer takes a new epoch, so it never reuses a seq an earlier attempt may have acked
 * after its last checkpoint (a reused seq would make a truly lost write look present).
 */
export const CANARY_EPOCH_STRIDE = 1_000_000_000;

/** In-doubt seqs kept in the result (the newest). */
const IN_DOUBT_KEPT = 100;

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
  /** Checkpoint of a previous attempt to continue from (its acks are kept, its seqs never reused). */
  readonly resume?: CanaryWriterCheckpoint;
  /**
   * This writer's epoch, durable across restarts (e.g. the activity's attempt number). The writer
   * uses the larger of it and the resumed epoch + 1, and moves past any epoch whose rows it finds
   * on the database for `runId`. @default 1, or the resumed epoch + 1
   */
  readonly epoch?: number;
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

/**
 * Exact ack times kept inside spans (as deltas, ~4 bytes each): ~33 min at 10/s. Older spans lose
 * theirs and are interpolated (noted in the report).
 */
const SPAN_DELTAS_KEPT = 20_000;

/** Keeps acks compact: exact around outages and at the end, spans (with exact time deltas while they fit) elsewhere. */
class AckLog {
  private readonly exact: CanaryAck[] = [];
  private readonly ring: CanaryAck[] = [];
  private readonly spans: CanaryAckSpan[] = [];
  private pinRemaining = 0;
  private deltasKept = 0;

  constructor(
    private readonly ringSize: number,
    private readonly pinAfter: number,
    private readonly maxExact: number,
    resume?: CanaryWriterResult,
  ) {
    if (resume) {
      this.spans.push(...(resume.ackSpans ?? []).map((s) => ({ ...s, ...(s.atDeltas ? { atDeltas: [...s.atDeltas] } : {}) })));
      this.deltasKept = this.spans.reduce((n, s) => n + (s.atDeltas?.length ?? 0), 0);
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
    if (!last || a.seq !== last.toSeq + 1) {
      this.spans.push({ fromSeq: a.seq, toSeq: a.seq, fromAt: a.at, toAt: a.at, atDeltas: [] });
      return;
    }
    const deltas = last.atDeltas ? [...last.atDeltas, a.at - last.toAt] : undefined;
    this.spans[this.spans.length - 1] = { ...last, toSeq: a.seq, toAt: a.at, ...(deltas ? { atDeltas: deltas } : {}) };
    if (deltas) this.deltasKept += 1;
    for (let i = 0; this.deltasKept > SPAN_DELTAS_KEPT && i < this.spans.length; i++) {
      const { atDeltas, ...rest } = this.spans[i]!;
      if (!atDeltas) continue;
      this.deltasKept -= atDeltas.length;
      this.spans[i] = rest;
    }
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

/** The epoch a seq belongs to (see {@link CANARY_EPOCH_STRIDE}). */
export function epochOf(seq: number): number {
  return Math.floor((seq - 1) / CANARY_EPOCH_STRIDE) + 1;
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
  const resumedEpoch = opts.resume ? (opts.resume.result.epoch ?? epochOf(opts.resume.nextSeq - 1)) : 0;
  let epoch = Math.max(opts.epoch ?? 1, resumedEpoch + 1);
  let seq = (epoch - 1) * CANARY_EPOCH_STRIDE + 1;
  let checkedDatabaseEpoch = false;
  const inDoubt: number[] = [...(opts.resume?.result.inDoubtSeqs ?? [])];
  const priorWritingMs = opts.resume?.result.writingMs ?? 0;
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
    const writingMs = priorWritingMs + Math.max(0, clock.now() - startedAt);
    return {
      runId,
      ratePerSecond: rate,
      acked,
      failedAttempts,
      epoch,
      writingMs,
      ...(writingMs > 0 ? { achievedRatePerSecond: Math.round((log.count() * 100_000) / writingMs) / 100 } : {}),
      ...(inDoubt.length > 0 ? { inDoubtSeqs: inDoubt.slice(-IN_DOUBT_KEPT) } : {}),
      ...(firstFailureAt !== undefined ? { firstFailureAt } : {}),
      ...(lastFailureAt !== undefined ? { lastFailureAt } : {}),
      ...(firstWriteAfterOutage ? { firstWriteAfterOutage } : {}),
      ...(spans.length > 0 ? { ackSpans: spans } : {}),
      ...(opts.resume?.result.recoveredAcks ? { recoveredAcks: opts.resume.result.recoveredAcks } : {}),
      ...(opts.resume?.result.ackGap !== undefined ? { ackGap: opts.resume.result.ackGap } : {}),
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
      let attemptSeq = seq++;
      let sent = false;
      try {
        if (!store) {
          store = await raceAbort(connector.connect(target), signal);
          await raceAbort(store.ensureTable(), signal);
          if (!checkedDatabaseEpoch) {
            // Belt and braces: a writer whose epoch was not durable finds its rows on the database.
            const newest = await raceAbort(store.newest(runId), signal);
            checkedDatabaseEpoch = true;
            if (newest && newest.seq >= attemptSeq) {
              epoch = epochOf(newest.seq) + 1;
              attemptSeq = (epoch - 1) * CANARY_EPOCH_STRIDE + 1;
              seq = attemptSeq + 1;
            }
          }
        }
        const at = clock.now();
        sent = true;
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
        if (sent) inDoubt.push(attemptSeq);
        if (inDoubt.length > IN_DOUBT_KEPT) inDoubt.shift();
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
