/** Validation of a configurable simulated duration (`[min, max]` simulated ms), shared by the service simulators. */

/** `range` as `[min, max]` simulated ms (a single number means a fixed duration); throws naming `what` otherwise. */
export function durationRange(what: string, range: unknown): readonly [number, number] {
  const pair = typeof range === 'number' ? [range, range] : range;
  if (
    !Array.isArray(pair) ||
    pair.length !== 2 ||
    !pair.every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0) ||
    (pair[0] as number) > (pair[1] as number)
  ) {
    throw new Error(`${what}: expected [min, max] simulated ms with 0 ≤ min ≤ max (or one number), got ${JSON.stringify(range)}`);
  }
  return [pair[0] as number, pair[1] as number];
}
