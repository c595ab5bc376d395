/**
 * Test fixtures for the simulated AWS: a fast `SimAws` seeded from an example runbook, and a wait
 * that advances simulated time until a condition holds (failing, with what was awaited, after a
 * simulated deadline).
 */
import { loadRunbookByName } from '../../runbooks/load';
import type { Runbook } from '../../runbooks/schema';
import { SimAws } from '../../sim';

/**
 * A SimAws on virtual time (it moves only while the test sleeps on the sim clock, so a loaded
 * machine cannot skip a state), seeded with the named example runbooks. `scale` is nominal.
 */
export function fastSim(runbooks: readonly (string | Runbook)[], scale = 2000, seed = 7): { sim: SimAws; runbooks: Runbook[] } {
  const sim = new SimAws({ scale, seed, tickMs: 5, virtualTime: true });
  const rbs = runbooks.map((r) => (typeof r === 'string' ? loadRunbookByName(r) : r));
  for (const rb of rbs) sim.seedFromRunbook(rb);
  return { sim, runbooks: rbs };
}

/**
 * `fastSim` for one test file: registers an `afterAll` that closes every sim the returned function
 * made. Call it at the top level of the test file.
 */
export function fastSimClosedAfterAll(): typeof fastSim {
  const sims: SimAws[] = [];
  afterAll(() => sims.forEach((s) => s.close()));
  return (runbooks, scale, seed) => {
    const w = fastSim(runbooks, scale, seed);
    sims.push(w.sim);
    return w;
  };
}

/** Waits (in simulated time) until `cond` returns a truthy value and returns it. */
export async function waitForSim<T>(
  sim: SimAws,
  what: string,
  cond: () => T | undefined | false | Promise<T | undefined | false>,
  maxSimMs = 30 * 60_000,
): Promise<T> {
  const deadline = sim.world.now() + maxSimMs;
  for (;;) {
    sim.world.advance();
    const v = await cond();
    if (v) return v;
    if (sim.world.now() > deadline) throw new Error(`timed out (simulated ${Math.round(maxSimMs / 1000)} s) waiting for ${what}`);
    await sim.world.clock.sleep(1000);
  }
}
