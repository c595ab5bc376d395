/**
 * `instanceTerminationWorkflow`: the instance-termination scenario ("Chaos Monkey" in the DR
 * plan). Terminates a share of an Auto Scaling group's in-service instances inside the blast
 * radius (the runbook's group, the required tags) with one EC2 TerminateInstances call, then
 * measures from that call until the group is back at desired healthy capacity, its target group
 * is healthy and the service alarm is OK again after it fired. What is measured and how:
 * `lib/instance-termination-findings.ts`.
 *
 * Nothing to undo: termination is the fault and the group's own replacement is the recovery
 * under test; gameday creates nothing. An abort or a cancellation before the termination
 * terminates nothing; after it, the watches stop at once (they are awaited until stopped). No
 * recovery in time fails the run with the report; an alarm that never fired is a finding.
 * Start from the Temporal UI with `{"runbook":"payments-prod","percent":34}`.
 */
import type { InstanceTerminationInput } from '../contracts/instance-termination';
import type { TerminationEnding } from '../lib/instance-termination-findings';
import type { RunReport } from '../lib/measurement-types';
import { ChaosMonkey } from './instance-termination/chaos-monkey';
import { Run } from './kit';

export type { InstanceTerminationInput } from '../contracts/instance-termination';

const STEPS = ['prepare', 'steady state', 'select', 'terminate', 'await recovery'];

/** Runs one instance termination (see the module doc) and returns its report. */
export async function instanceTerminationWorkflow(input: InstanceTerminationInput): Promise<RunReport> {
  const run = new Run('instanceTerminationWorkflow', STEPS, typeof input?.runbook === 'string' ? input.runbook : undefined);
  const m = new ChaosMonkey(run);
  run.reportWhileRunning(() => m.liveReport());

  const steps = async (): Promise<TerminationEnding> => {
    await run.step('prepare', () => m.prepare(input), { summary: (p) => `${p.autoScalingGroup} in ${p.region}` });
    await run.step('steady state', () => m.checkSteadyState(), { at: (s) => s.at, summary: () => 'steady state holds' });
    await run.step('select', () => m.select(), { summary: (s) => `${s.instanceIds.join(', ')} of ${s.eligible.length} eligible` });
    await run.step('terminate', () => m.terminate(), { at: (t) => t.returnedAt, summary: (t) => `terminated ${t.instanceIds.join(', ')}` });
    await run.step('await recovery', () => m.awaitRecovery(), {
      detail: 'awaiting capacity, target group and service alarm',
      summary: (s) => s,
    });
    return m.ending();
  };

  const report = await run.execute({ steps, finish: (end, undone) => m.finish(end, undone), failureType: 'InstanceTerminationFailed' });
  return report!; // undefined only for an input that never validated, and that run fails
}
