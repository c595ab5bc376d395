/**
 * Pure weight arithmetic of a weighted traffic shift: the weights of one step and the steps that
 * still move traffic toward the target. Deterministic; unit-tested in `test/traffic-weights.test.ts`.
 */

/** Weights of one step: `percent` to the target, the rest split evenly over the other regions. */
export function stepWeights(regions: readonly string[], target: string, percent: number): Record<string, number> {
  const others = regions.filter((r) => r !== target);
  const rest = 100 - percent;
  const out: Record<string, number> = { [target]: percent };
  others.forEach((r, i) => {
    out[r] = Math.floor(rest / others.length) + (i < rest % others.length ? 1 : 0);
  });
  return out;
}

/** Share of traffic (percent, 0–100) `target` holds under `weights`; 0 when every weight is 0. */
export function shareOf(weights: Readonly<Record<string, number>>, target: string): number {
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  return total === 0 ? 0 : Math.round(((weights[target] ?? 0) * 100) / total);
}

/**
 * The steps of a plan that still move traffic toward `target`: those above its current share.
 * Empty when the target already holds the final step's share (the shift would move nothing, or
 * move traffic the wrong way).
 */
export function remainingSteps(steps: readonly number[], currentShare: number): number[] {
  return steps.filter((p) => p > currentShare);
}
