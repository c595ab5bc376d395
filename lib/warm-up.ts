/**
 * Warms, at worker start, the code a bad input's refusal runs, so the first refusal on a fresh
 * worker is as fast as the next: zod compiles a schema on its first parse, the YAML parser and the
 * runbook checks load on first use. Runs every drill and promotion input schema on an empty and a
 * named input, a runbook of the folder through the inline-YAML path (refused when the worker does
 * not allow inline runbooks, parsed and checked when it does) and by name. No AWS call, no
 * Temporal call; any error is the expected refusal and is dropped.
 */
import { BacktrackDrillInputSchema, OrphanSweeperInputSchema, RestoreVerificationInputSchema } from '../activities/restore/input';
import { RegionPromotionInputSchema } from '../activities/promotion/prepare-promotion';
import { resolvePolicedRunbook, type RunbookSource } from '../runbooks/blast-radius';
import { listRunbookFiles, parseRunbook, readRunbookText, runbookName } from '../runbooks/load';

function attempt(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    void err; // a refusal is what is being warmed
  }
}

/** Runs the refusal paths once (see the module doc); returns the wall ms it took. */
export function warmRefusalPaths(src: RunbookSource): number {
  const t0 = performance.now();
  const schemas = [RestoreVerificationInputSchema, BacktrackDrillInputSchema, OrphanSweeperInputSchema, RegionPromotionInputSchema];
  const file = listRunbookFiles(src.runbookDir)[0];
  const name = file ? runbookName(file) : 'warm-up';
  for (const s of schemas) for (const input of [{}, { runbook: name }, { runbook: name, runbookYaml: 'service: x' }]) s.safeParse(input);
  if (file) {
    const text = readRunbookText(file);
    attempt(() => parseRunbook(text, file));
    attempt(() => resolvePolicedRunbook({ runbook: name, runbookYaml: text }, src));
    attempt(() => resolvePolicedRunbook({ runbook: name }, src));
  }
  return performance.now() - t0;
}
