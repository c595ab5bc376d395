/**
 * Kernel of the simulated AWS: a scaled clock, a scheduler of state transitions, a ground-truth
 * event log, fault injection and a seeded RNG. Service simulators (`sim/rds.ts`, …) keep their
 * state here and schedule transitions at simulated times; `advance()` applies every due
 * transition in time order before each API call (and on a background tick), and the ground-truth
 * log records the *scheduled* time of each change, i.e. when it really happened in the sim world.
 */
import { scaledClock, stallTolerantClock, virtualClock, type Clock, type ScaledClockSpec } from '../lib/clock';

/** An error answered by the simulated AWS, named exactly as the SDK names it (`err.name`). */
export class SimAwsError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly httpStatus = 400,
    readonly retryable = false,
  ) {
    super(message);
  }
  /** Shape the SDK gives service exceptions, so the error mapper treats both alike. */
  get $metadata(): { httpStatusCode: number } {
    return { httpStatusCode: this.httpStatus };
  }
  get $retryable(): { throttling: boolean } | undefined {
    return this.retryable ? { throttling: this.name.toLowerCase().includes('throttl') } : undefined;
  }
}

/** One real state change in the simulated world. */
export interface GroundTruthEvent {
  /** Simulated epoch ms at which the change happened. */
  readonly at: number;
  readonly service: string;
  /** Resource identifier (cluster id, record name, experiment id, …). */
  readonly resource: string;
  /** What happened, e.g. `global-switchover-requested`, `cluster-writer-changed`. */
  readonly event: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** Append-only log of everything that really happened, for checking measurements. */
export class GroundTruthLog {
  private readonly events: GroundTruthEvent[] = [];
  private readonly listeners = new Set<(e: GroundTruthEvent) => void>();
  record(e: GroundTruthEvent): void {
    this.events.push(e);
    for (const l of this.listeners) l(e);
  }
  /** Calls `listener` with every event recorded from now on (a real data plane follows the sim); returns the unsubscribe. */
  onRecord(listener: (e: GroundTruthEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
  all(): readonly GroundTruthEvent[] {
    return [...this.events].sort((a, b) => a.at - b.at);
  }
  find(filter: Partial<Pick<GroundTruthEvent, 'service' | 'resource' | 'event'>>): GroundTruthEvent[] {
    return this.all().filter(
      (e) =>
        (filter.service === undefined || e.service === filter.service) &&
        (filter.resource === undefined || e.resource === filter.resource) &&
        (filter.event === undefined || e.event === filter.event),
    );
  }
}

/** A fault to inject on matching API calls. */
export interface FaultSpec {
  /** e.g. `rds`; undefined = every service. */
  readonly service?: string;
  /** e.g. `switchoverGlobalCluster`; undefined = every operation. */
  readonly operation?: string;
  /** `throttle` → ThrottlingException; `5xx` → InternalFailure (500); `latency` adds delay; `hang` never answers until the caller aborts. */
  readonly kind: 'throttle' | '5xx' | 'latency' | 'hang';
  /** How many matching calls it affects; undefined = unlimited. */
  readonly count?: number;
  /** Probability per matching call in [0, 1]. @default 1 */
  readonly probability?: number;
  /** Added latency in simulated ms, for `latency`. */
  readonly latencyMs?: number;
}

/** Registry of active faults; `apply` is called at the start of every simulated API call. */
export class FaultInjector {
  private next = 1;
  private readonly faults = new Map<number, FaultSpec & { remaining?: number }>();
  constructor(private readonly rng: () => number) {}

  add(spec: FaultSpec): number {
    const id = this.next++;
    this.faults.set(id, { ...spec, remaining: spec.count });
    return id;
  }
  remove(id: number): void {
    this.faults.delete(id);
  }
  clear(): void {
    this.faults.clear();
  }

  async apply(service: string, operation: string, clock: Clock, signal?: AbortSignal): Promise<void> {
    for (const [id, f] of this.faults) {
      if (f.service !== undefined && f.service !== service) continue;
      if (f.operation !== undefined && f.operation !== operation) continue;
      if (this.rng() >= (f.probability ?? 1)) continue;
      if (f.remaining !== undefined) {
        if (f.remaining <= 0) continue;
        f.remaining -= 1;
        if (f.remaining === 0) this.faults.delete(id);
      }
      switch (f.kind) {
        case 'throttle':
          throw new SimAwsError('ThrottlingException', `Rate exceeded (injected on ${service}.${operation})`, 400, true);
        case '5xx':
          throw new SimAwsError('InternalFailure', `Internal service error (injected on ${service}.${operation})`, 500, true);
        case 'latency':
          await clock.sleep(f.latencyMs ?? 1000, signal);
          break;
        case 'hang':
          await new Promise<never>((_, reject) => {
            signal?.addEventListener('abort', () => reject(signal.reason ?? new Error('aborted')), { once: true });
          });
      }
    }
  }
}

interface Scheduled {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
}

/** Options of a simulated world. */
export interface SimWorldOptions {
  /** Simulated ms per wall ms. @default 60 */
  readonly scale?: number;
  /** Simulated epoch at start. @default Date.now() */
  readonly simEpochMs?: number;
  /** Seed of the RNG (durations, lag). @default 42 */
  readonly seed?: number;
  /** Wall ms between background ticks that apply due transitions. @default 10 */
  readonly tickMs?: number;
  /**
   * Whether a stall of this process (CPU starvation, GC) is kept out of simulated time
   * (`stallTolerantClock`). Off for a sim server, whose clock other processes rebuild from
   * `clockSpec`. @default true
   */
  readonly absorbStalls?: boolean;
  /**
   * Time moves only when every caller sleeps on the world's clock (`virtualClock`): a pure-sim test
   * sees every state however loaded the machine. Not for a sim that Temporal workers or other
   * processes use (their timers run on wall time). @default false
   */
  readonly virtualTime?: boolean;
  /**
   * Like an AWS account's API rate limit (per service, as AWS meters it): more than this many calls
   * of one account to one service in any wall second are answered `ThrottlingException` (and
   * logged with `throttled`). @default no limit
   */
  readonly accountCallsPerSecond?: number;
}

/** One API call the simulated AWS answered (or throttled). */
export interface SimApiCallRecord {
  /** Simulated epoch ms. */
  readonly at: number;
  /** Wall-clock epoch ms (Date.now()) when the call arrived. */
  readonly wallAt: number;
  readonly account: string;
  readonly service: string;
  readonly operation: string;
  /** True when the account's rate limit refused it. */
  readonly throttled?: boolean;
  /**
   * Who made the call when it was not the client: `fis` for the calls an FIS action makes itself
   * (in AWS, CloudTrail shows them invoked by fis.amazonaws.com on the experiment role).
   */
  readonly caller?: string;
}

/** mulberry32: small, fast, seeded. */
function seededRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The shared kernel every service simulator uses. */
export class SimWorld {
  readonly clockSpec: ScaledClockSpec;
  readonly clock: Clock;
  readonly log = new GroundTruthLog();
  readonly rng: () => number;
  readonly faults: FaultInjector;
  /** API calls made, per `account/service.operation`, for budgets and benchmarks. */
  readonly apiCalls: SimApiCallRecord[] = [];
  /** Calls per account and service in the last wall second (for `accountCallsPerSecond`). */
  private readonly recentCalls = new Map<string, number[]>();
  private readonly accountCallsPerSecond?: number;
  /**
   * Regions whose control planes are impaired (region → simulated ms it started). Set by
   * `RdsSim.impairRegion` / FIS; every service's simulated API in such a region should answer
   * `InternalFailure` (500, retryable): call `assertRegionReachable` first.
   */
  readonly impairedRegions = new Map<string, number>();
  private queue: Scheduled[] = [];
  /** Scheduled instant of the transition being applied (undefined outside `advance`). */
  private runningAt?: number;
  private seq = 0;
  private timer?: NodeJS.Timeout;

  constructor(opts: SimWorldOptions = {}) {
    const now = Date.now();
    this.clockSpec = { simEpochMs: opts.simEpochMs ?? now, wallEpochMs: now, scale: opts.scale ?? 60 };
    this.clock = opts.virtualTime
      ? virtualClock(this.clockSpec.simEpochMs, this.clockSpec.scale)
      : opts.absorbStalls === false
        ? scaledClock(this.clockSpec)
        : stallTolerantClock(this.clockSpec, { tickMs: 0 });
    this.rng = seededRng(opts.seed ?? 42);
    this.faults = new FaultInjector(this.rng);
    if (opts.accountCallsPerSecond !== undefined) this.accountCallsPerSecond = opts.accountCallsPerSecond;
    this.timer = setInterval(() => this.advance(), opts.tickMs ?? 10);
    this.timer.unref();
  }

  now(): number {
    // Inside a scheduled transition, "now" is the instant it was scheduled for, so whatever it
    // records or schedules is stamped with the time the change really happened in the sim world.
    return this.runningAt ?? this.clock.now();
  }

  /** Uniform random duration in [minMs, maxMs]. */
  between(minMs: number, maxMs: number): number {
    return minMs + this.rng() * (maxMs - minMs);
  }

  /** Schedules `run` at simulated time `at`; it runs, in time order, at the next `advance()`. */
  schedule(at: number, run: () => void): void {
    this.queue.push({ at, seq: this.seq++, run });
    this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  /** Applies every transition due by now. A transition may schedule further ones. */
  advance(): void {
    const now = this.now();
    while (this.queue.length > 0 && this.queue[0]!.at <= now) {
      const next = this.queue.shift()!;
      const outer = this.runningAt;
      this.runningAt = Math.max(next.at, outer ?? next.at);
      try {
        next.run();
      } finally {
        this.runningAt = outer;
      }
    }
  }

  /** Records a ground-truth event at simulated time `at` (default: now). */
  record(e: Omit<GroundTruthEvent, 'at'> & { at?: number }): void {
    this.log.record({ ...e, at: e.at ?? this.now() });
  }

  /**
   * Wraps one simulated API call: applies due transitions, injects faults, counts the call (as
   * made by `caller` when given), then runs `fn` against the up-to-date state.
   */
  async call<T>(
    account: string,
    service: string,
    operation: string,
    fn: () => T | Promise<T>,
    signal?: AbortSignal,
    caller?: string,
  ): Promise<T> {
    const wallAt = Date.now();
    const by = caller !== undefined ? { caller } : {};
    if (this.accountCallsPerSecond !== undefined) {
      const key = `${account}/${service}`;
      const recent = (this.recentCalls.get(key) ?? []).filter((t) => t > wallAt - 1000);
      this.recentCalls.set(key, recent);
      if (recent.length >= this.accountCallsPerSecond) {
        this.apiCalls.push({ at: this.now(), wallAt, account, service, operation, throttled: true, ...by });
        throw new SimAwsError(
          'ThrottlingException',
          `Rate exceeded for ${service} in account ${account} (simulated limit ${this.accountCallsPerSecond}/s)`,
          400,
          true,
        );
      }
      recent.push(wallAt);
    }
    this.apiCalls.push({ at: this.now(), wallAt, account, service, operation, ...by });
    await this.faults.apply(service, operation, this.clock, signal);
    this.advance();
    return fn();
  }

  /** Throws the 5xx a control plane answers when `region` is impaired (see `impairedRegions`). */
  assertRegionReachable(service: string, region: string): void {
    if (this.impairedRegions.has(region)) {
      throw new SimAwsError('InternalFailure', `${service} in ${region} is unavailable (simulated regional impairment)`, 500, true);
    }
  }

  /** Stops the background tick (the world can still be advanced by calls). */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
