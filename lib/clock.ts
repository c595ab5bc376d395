/**
 * The time source of activities. Real AWS uses wall time; the simulated AWS uses a scaled clock
 * (simulated ms = epoch + wall elapsed × scale), so a 15-minute recovery runs in seconds while
 * every timestamp and every poll interval is expressed in simulated milliseconds.
 * Workflows never use a Clock: timestamps are taken in activities and carried in results.
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

/** A clock running `spec.scale` times faster than wall time. */
export function scaledClock(spec: ScaledClockSpec): Clock {
  return {
    now: () => spec.simEpochMs + (Date.now() - spec.wallEpochMs) * spec.scale,
    sleep: (ms, signal) => abortableWait(ms / spec.scale, signal),
    scale: spec.scale,
  };
}
