/**
 * The time source of activities. Real AWS uses wall time; the simulated AWS uses a scaled clock
 * (simulated ms = epoch + wall elapsed × scale), so a 15-minute recovery runs in seconds while
 * every timestamp and every poll interval is expressed in simulated milliseconds.
 * Workflows never use a Clock: timestamps are taken in activities and carried in results.
 *
 * Which clock where (issue 15 item 4), and why:
 * - Real AWS: {@link realClock}. A stall of the worker only delays observations, never the world,
 *   and the figures that matter are stamped by AWS's own records where AWS keeps one (RDS events,
 *   Route 53 SubmittedAt, FIS action startTime, the workflow start in Temporal's history), so a
 *   loaded or restarted worker moves no transition, only its observation window.
 * - A sim shared by processes (sim server + worker processes + a benchmark): {@link scaledClock}
 *   from the server's spec in every process. It is the only choice that keeps the processes on one
 *   time: a {@link stallTolerantClock} absorbs the stalls of its own process only, so two processes
 *   would drift apart by every stall; a {@link virtualClock} cannot drive Temporal, whose timers,
 *   heartbeat timeouts and task round trips run on wall time. The cost is that a wall-clock latency
 *   (a stall, a task round trip) shows multiplied by the scale; the accuracy benchmark runs at a
 *   low scale and prints it with its errors.
 * - An in-process sim with Temporal (tests, the demo): {@link stallTolerantClock} (the SimWorld's
 *   default), since one process owns every reading.
 * - Pure-sim tests without Temporal: {@link virtualClock}.
 */
export interface Clock {
  /** Current time, epoch ms (simulated ms for a scaled clock). */
  now(): number;
  /** Sleeps `ms` of this clock's time; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** How many clock ms pass per wall ms (1 for real time). */
  readonly scale: number;
}

/** Parameters that let two processes (sim server, worker) agree on one scaled clock. */
export interface ScaledClockSpec {
  /** Simulated epoch ms at `wallEpochMs`. */
  readonly simEpochMs: number;
  /** Wall epoch ms at which the simulated clock read `simEpochMs`. */
  readonly wallEpochMs: number;
  /** Simulated ms per wall ms. */
  readonly scale: number;
}

function abortableWait(wallMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, wallMs),
    );
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Wall time. */
export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => abortableWait(ms, signal),
  scale: 1,
};

/**
 * A clock running `spec.scale` times faster than wall time. Every process that builds one from
 * the same spec reads the same time: use it where two processes share a clock (sim server and
 * workers).
 */
export function scaledClock(spec: ScaledClockSpec): Clock {
  return {
    now: () => spec.simEpochMs + (Date.now() - spec.wallEpochMs) * spec.scale,
    sleep: (ms, signal) => abortableWait(ms / spec.scale, signal),
    scale: spec.scale,
  };
}

/** Options of {@link stallTolerantClock}. */
export interface StallTolerantClockOptions {
  /**
   * Longest wall gap between two observations of the clock that still counts at full scale.
   * Longer gaps are stalls of this process (CPU starvation, GC, a synchronous bundle build): the
   * part beyond this counts at 1×, as it would in the world. @default 50
   */
  readonly maxStepMs?: number;
  /**
   * Wall ms between the observations the clock makes by itself; 0 when its owner already reads it
   * that often (the sim world's ticker does). @default 10
   */
  readonly tickMs?: number;
}

/**
 * A scaled clock that does not turn a stall of its own process into simulated time. A plain
 * scaled clock multiplies every wall millisecond by the scale, so a 1 s stall of a starved test
 * process becomes a minute of simulated AWS time, and a measurement taken across it is off by a
 * minute although nothing in the simulated world took that long. This clock observes itself every
 * `tickMs` (and on every `now()`); a gap between observations longer than `maxStepMs` advances it
 * by `maxStepMs × scale` plus the rest of the gap at 1×: a stall of the process costs the
 * simulated world what it would cost the real one. It is for a process that owns its simulated
 * world (tests, the demo, an in-process sim); processes sharing a sim use {@link scaledClock}.
 * `stalls()` tells how much wall time was absorbed.
 */
export function stallTolerantClock(
  spec: ScaledClockSpec,
  opts: StallTolerantClockOptions = {},
): Clock & { stalls(): { count: number; absorbedWallMs: number }; stop(): void } {
  const maxStep = opts.maxStepMs ?? 50;
  let lastWall = spec.wallEpochMs;
  let simNow = spec.simEpochMs + (Date.now() - spec.wallEpochMs) * spec.scale;
  let count = 0;
  let absorbed = 0;
  const observe = (): number => {
    const wall = Date.now();
    const gap = wall - lastWall;
    if (gap > 0) {
      const fast = Math.min(gap, maxStep);
      if (gap > maxStep) {
        count++;
        absorbed += gap - maxStep;
      }
      simNow += fast * spec.scale + (gap - fast);
      lastWall = wall;
    }
    return simNow;
  };
  lastWall = Date.now();
  const tickMs = opts.tickMs ?? 10;
  const timer = tickMs > 0 ? setInterval(observe, tickMs) : undefined;
  timer?.unref();
  const clock = {
    now: observe,
    scale: spec.scale,
    async sleep(ms: number, signal?: AbortSignal): Promise<void> {
      const until = observe() + ms;
      // Re-check after each wait: a stall during the sleep made the simulated time pass slower.
      for (let left = ms; left > 0; left = until - observe()) await abortableWait(Math.max(1, left / spec.scale), signal);
    },
    stalls: () => ({ count, absorbedWallMs: absorbed }),
    stop: () => clearInterval(timer),
  };
  return clock;
}

/** A {@link virtualClock}: time moves only when every sleeper of the process is waiting on it. */
export interface VirtualClock extends Clock {
  /** Sleepers not yet woken. */
  pending(): number;
}

/**
 * A clock for a process that owns its simulated world and nothing else moves it: time stands still
 * while any code runs, and when every caller is asleep on this clock (the event loop has nothing
 * but I/O left to do), it jumps to the earliest wake-up and wakes whoever was due. A test that
 * polls a simulated transition every second sees every state that lasts a second, however slow or
 * loaded the machine: wall time never enters the simulated world. Not for a sim shared between
 * processes or with Temporal workers (their timers run on wall time); those use
 * {@link stallTolerantClock} or {@link scaledClock}. `scale` is nominal: the scale the simulated
 * durations were written for, used only where a figure names its clock.
 */
export function virtualClock(startMs: number, scale: number): VirtualClock {
  let now = startMs;
  let seq = 0;
  let stepping = false;
  const sleepers: { until: number; seq: number; wake: () => void }[] = [];
  const schedule = (): void => {
    // setImmediate runs once the microtasks of every running caller are done: all are asleep or in I/O.
    if (stepping) return;
    stepping = true;
    setImmediate(step);
  };
  const step = (): void => {
    stepping = false;
    if (sleepers.length === 0) return;
    sleepers.sort((a, b) => a.until - b.until || a.seq - b.seq);
    now = Math.max(now, sleepers[0]!.until);
    while (sleepers.length > 0 && sleepers[0]!.until <= now) sleepers.shift()!.wake();
    // The woken run first (their continuations are microtasks); the rest wake at a later step.
    if (sleepers.length > 0) schedule();
  };
  return {
    now: () => now,
    scale,
    pending: () => sleepers.length,
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
        const sleeper = {
          until: now + Math.max(0, ms),
          seq: seq++,
          wake: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = (): void => {
          const i = sleepers.indexOf(sleeper);
          if (i >= 0) sleepers.splice(i, 1);
          reject(signal?.reason ?? new Error('aborted'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        sleepers.push(sleeper);
        schedule();
      });
    },
  };
}

/**
 * The reading `clock` had at a past wall instant `wallMs` (epoch ms): `now − (wall now − wallMs) ×
 * scale`, clamped to [that, now]. Exact for {@link realClock} and {@link scaledClock}; for a
 * {@link stallTolerantClock} a stall in between makes it early by up to the stall × (scale − 1);
 * a {@link virtualClock} has no wall time (nominal scale only), so it answers `now`. Used to stamp an
 * instant another system recorded in wall time (a workflow's start in Temporal's history) on the
 * activities' clock.
 */
export function clockAtWall(clock: Clock, wallMs: number): number {
  const now = clock.now();
  if ('pending' in clock) return now; // virtual time: wall instants mean nothing in it
  const ago = Math.max(0, Date.now() - wallMs);
  return now - ago * clock.scale;
}
