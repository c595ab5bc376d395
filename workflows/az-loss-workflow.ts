/**
 * `azLossGameDayWorkflow`: the AZ-loss game day driven by an AWS FIS experiment. Steps: prepare
 * (validate the input, render + validate the template) → steady state → template (created or
 * updated, tagged gameday-managed) → canary (writing, first write awaited) → arm watches (a
 * baseline read each, BEFORE the fault, then each watch polls from it) → start experiment
 * (deterministic clientToken) → await recovery → stop experiment → read canary (RPO). What is
 * measured and how: `lib/az-loss-findings.ts`. The service verdict is RTO and RPO; each
 * component's recovery has its own figure and verdict.
 *
 * Undo (non-cancellable, on every ending): stop the experiment, stop the watches, stop the canary
 * and delete its rows. There is no point of no return: an abort or a cancellation at any step
 * stops the fault. The experiment start runs to its end even when an abort arrives (one API call
 * with a client token), so its undo is always registered before the run unwinds. A stop-condition
 * halt ends the run `halted`; steady state not met, no recovery in time or a failed experiment
 * fail the run with the report attached; a failed stop fails it loudly, naming the experiment.
 * Start from the Temporal UI with `{"runbook":"payments-prod","az":"us-east-1a"}`.
 */
import type { AzLossInput } from '../contracts/az-loss';
import { planWatches, runbookOfInput, type AzLossEnding } from '../lib/az-loss-findings';
import type { RunReport } from '../lib/measurement-types';
import { AzLossGameDay } from './az-loss/game-day';
import { armWatches, awaitRecovery } from './az-loss/watches';
import { Run } from './kit';

export type { AzLossInput } from '../contracts/az-loss';

const STEPS = [
  'prepare',
  'steady state',
  'template',
  'canary',
  'arm watches',
  'start experiment',
  'await recovery',
  'stop experiment',
  'read canary',
];

/** Runs one AZ-loss game day (see the module doc) and returns its report. */
export async function azLossGameDayWorkflow(input: AzLossInput): Promise<RunReport> {
  const run = new Run('azLossGameDayWorkflow', STEPS, runbookOfInput(input));
  const g = new AzLossGameDay(run);
  run.reportWhileRunning(() => g.liveReport());

  const steps = async (): Promise<AzLossEnding> => {
    const plan = await run.step('prepare', () => g.prepare(input), { summary: (p) => `${p.template.name} in ${p.az}` });
    const steady = await run.step('steady state', () => g.checkSteadyState(), {
      at: (s) => s.at,
      summary: (s) => `in ${plan.az}: ${s.inAz.join(', ') || 'nothing'}`,
    });
    await run.step('template', () => g.applyTemplate(), { summary: (t) => `${t.action} ${t.id}` });
    const noCanary = g.canary.skipReason();
    if (noCanary) run.skip('canary', noCanary);
    else {
      run.undo('stop canary, delete its rows', () => g.canary.stop());
      await run.step('canary', () => g.canary.start(), { summary: (d) => d });
    }
    const watches = planWatches(plan, steady);
    const armed = await run.step('arm watches', () => armWatches(plan, watches), {
      detail: `baseline reads before the fault: ${watches.specs.length} watch(es)`,
    });
    g.o.baselines = armed.baselines;
    run.undo('stop recovery watches', () => armed.stop());
    const exp = await run.step('start experiment', () => g.startExperiment(), { at: (e) => e.startedAt });
    run.undo('stop experiment', () => g.stopExperiment());
    g.o.recovery = await run.step('await recovery', () => awaitRecovery(plan, exp, armed), {
      detail: `experiment ${exp.experimentId} running in ${plan.az}`,
      summary: (r) => (r.kind === 'recovered' ? 'recovered' : `experiment ended ${r.end.status}`),
    });
    await run.step('stop experiment', () => g.stopExperiment());
    run.undos.drop('stop experiment');
    if (noCanary) run.skip('read canary', noCanary);
    else await run.step('read canary', () => g.canary.read());
    return g.ending();
  };

  const report = await run.execute({ steps, finish: (end, undone) => g.finish(end, undone), failureType: 'AzLossFailed' });
  return report!; // undefined only for an input that never validated, and that run fails
}
