/**
 * `regionCutWorkflow`: the region-cut scenario. A FIS experiment (`aws:network:disrupt-connectivity`,
 * scope `all`) cuts the entry-point subnets of the primary region, so its load balancers stop
 * answering; the run measures, from the cut taking effect (FIS action start), until the Route 53
 * health checks fail, DNS answers with the secondary and the health alarms fire; optionally chains
 * a region promotion (child); stops the experiment, deletes its template and waits for the region
 * to serve again. What is measured and how: `lib/region-cut-findings.ts`.
 *
 * Undo (non-cancellable, on every ending, LIFO): stop the experiment, delete the run's template.
 * No point of no return: an abort or a cancellation at any step stops the fault and leaves no
 * template. Steady state not met fails the run before any fault; a detection that never happens is
 * a finding (verdict fail), not a failed run. Start from the Temporal UI with `{"runbook":"payments-prod"}`.
 */
import type { RegionCutInput } from '../contracts/region-cut';
import type { RegionCutEnding } from '../lib/region-cut-findings';
import type { RunReport } from '../lib/measurement-types';
import { Run } from './kit';
import { RegionCut } from './region-cut/region-cut';

export type { RegionCutInput } from '../contracts/region-cut';

const STEPS = [
  'prepare',
  'steady state',
  'template',
  'start experiment',
  'measure',
  'promote',
  'stop experiment',
  'delete template',
  'await restored',
];

/** Runs one region cut (see the module doc) and returns its report. */
export async function regionCutWorkflow(input: RegionCutInput): Promise<RunReport> {
  const run = new Run('regionCutWorkflow', STEPS, typeof input?.runbook === 'string' ? input.runbook : undefined);
  const c = new RegionCut(run);
  run.reportWhileRunning(() => c.liveReport());

  const steps = async (): Promise<RegionCutEnding> => {
    const plan = await run.step('prepare', () => c.prepare(input), {
      summary: (p) => `cut ${p.region}, fail over to ${p.secondaryRegion}`,
    });
    await run.step('steady state', () => c.checkSteadyState(), { at: (s) => s.at, summary: () => 'steady state holds' });
    const undoTemplate = { name: 'delete template', fn: () => c.deleteTemplate() };
    await run.step('template', () => c.createTemplate(), { undo: undoTemplate, summary: (t) => `${t.action} ${t.id}` });
    await run.step('start experiment', () => c.startExperiment(), { at: (e) => e.startedAt, summary: (e) => e.experimentId });
    run.undo('stop experiment', () => c.stopExperiment());
    await run.step('measure', () => c.measure(), { detail: 'awaiting health checks, DNS and alarms', summary: (s) => s });
    if (plan.promote) await run.step('promote', () => c.promote(), { summary: (s) => s });
    else run.skip('promote', 'not asked (input promote / runbook regionCut.promote)');
    await run.step('stop experiment', () => c.stopExperiment());
    run.undos.drop('stop experiment');
    await run.step('delete template', () => c.deleteTemplate());
    run.undos.drop('delete template');
    if (plan.promote) run.skip('await restored', `the service was promoted to ${plan.secondaryRegion}`);
    else await run.step('await restored', () => c.awaitRestored(), { summary: (s) => s });
    return c.ending();
  };

  const report = await run.execute({ steps, finish: (end, undone) => c.finish(end, undone), failureType: 'RegionCutFailed' });
  return report!; // undefined only for an input that never validated, and that run fails
}
