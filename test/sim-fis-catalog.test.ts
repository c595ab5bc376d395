/**
 * The sim's FIS knows the catalog the validator uses: every corpus template (all 50 catalog actions)
 * is accepted by the sim's CreateExperimentTemplate and runs to an end in which each action either
 * had an effect on the simulated world or is `skipped` with the reason "not simulated"; never a
 * silent success.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FisExperiment, FisExperimentTemplateInput } from '../activities/aws/ports';
import { FIS_ACTIONS } from '../runbooks/fis-catalog';
import type { SimAws } from '../sim';
import { SIMULATED_FIS_ACTIONS, isSimulated } from '../sim/fis/actions';
import { fastSimClosedAfterAll, waitForSim } from './helpers/sim-wait';

const paymentsSim = fastSimClosedAfterAll();
const world = (): SimAws => paymentsSim(['payments-prod']).sim;
const VALID = join(__dirname, 'fixtures', 'fis-corpus', 'valid');
const corpus = readdirSync(VALID)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ name: f.replace(/\.json$/, ''), doc: JSON.parse(readFileSync(join(VALID, f), 'utf8')) as FisExperimentTemplateInput }));

async function runToEnd(sim: SimAws, id: string): Promise<FisExperiment> {
  const fis = sim.fis({ region: 'us-east-1' });
  return waitForSim(
    sim,
    `experiment ${id} ended`,
    async () => {
      const e = await fis.getExperiment(id);
      return ['completed', 'stopped', 'failed'].includes(e.state.status) && e;
    },
    3 * 3_600_000,
  );
}

describe('the sim FIS and the catalog', () => {
  it('simulates only catalog actions, and says which', () => {
    for (const id of SIMULATED_FIS_ACTIONS) expect(Object.keys(FIS_ACTIONS)).toContain(id);
    expect(isSimulated('aws:elasticache:interrupt-cluster-az-power')).toBe(true);
    expect(isSimulated('aws:eks:pod-cpu-stress')).toBe(false);
  });

  it.each(corpus)('$name: accepted, and every action has an effect or is skipped as not simulated', async ({ name, doc }) => {
    const sim = world();
    const fis = sim.fis({ region: 'us-east-1' });
    const t = await fis.createExperimentTemplate({ ...doc, clientToken: `tpl-${name}` });
    const started = await fis.startExperiment({ experimentTemplateId: t.id, clientToken: `run-${name}` });
    const end = await runToEnd(sim, started.id);
    expect(end.state.reason ?? '').not.toBe('');
    for (const [action, def] of Object.entries(doc.actions)) {
      const state = end.actions[action]!;
      if (!isSimulated(def.actionId)) {
        expect({ action, status: state.status }).toEqual({ action, status: end.state.status === 'completed' ? 'skipped' : state.status });
        if (state.status === 'skipped') expect(state.reason).toMatch(/^not simulated: the sim has no model of/);
        expect(sim.world.log.find({ service: 'fis', resource: `${started.id}/${action}`, event: 'action-completed' })).toHaveLength(0);
      } else if (state.status === 'completed') {
        expect(sim.world.log.find({ service: 'fis', resource: `${started.id}/${action}`, event: 'action-running' })).toHaveLength(1);
      }
    }
    if (Object.values(doc.actions).every((a) => !isSimulated(a.actionId))) {
      expect(end.state).toMatchObject({ status: 'completed', reason: expect.stringMatching(/^Experiment completed; not simulated: /) });
    }
  });

  it('a not-simulated action does not hold back the actions after it', async () => {
    const sim = world();
    const fis = sim.fis({ region: 'us-east-1' });
    const doc = corpus.find((c) => c.name === 'eks-pod-memory-then-io')!.doc;
    const t = await fis.createExperimentTemplate({
      ...doc,
      actions: { ...doc.actions, After: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' }, startAfter: ['Loss'] } },
      clientToken: 'chain',
    });
    const e = await fis.startExperiment({ experimentTemplateId: t.id, clientToken: 'chain-run' });
    const end = await runToEnd(sim, e.id);
    expect(end.state.status).toBe('completed');
    expect(end.actions['After']).toMatchObject({ status: 'completed' });
    expect(end.actions['After']!.endTime! - end.actions['After']!.startTime!).toBe(60_000);
    expect(sim.world.log.find({ service: 'fis', event: 'action-not-simulated' }).length).toBeGreaterThanOrEqual(3);
  });
});
