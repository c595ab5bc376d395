/**
 * Contract of the FIS activities against moto (a real FIS emulator over HTTP, through the SDK
 * adapter): template create (idempotent by tags and client token), find + diff, update, and an
 * experiment start (idempotent by client token) / get / stop.
 */
import { createAzLossActivities } from '../activities/az-loss';
import { createSdkAwsClients } from '../activities/aws/client-factory';
import type { ActivityDeps } from '../activities/deps';
import type { PreparedFisTemplate } from '../contracts/fis-templates';
import { realClock } from '../lib/clock';
import { createLogger } from '../lib/logger';
import { renderValidFisTemplate } from '../runbooks/fis-templates';
import { DEFAULT_RUNBOOK_DIR, loadRunbookByName } from '../runbooks/load';
import { startMoto, useFakeAwsCredentials, type MotoServer } from './helpers/moto';
import { recordAdapterCommands, recordedCommands, uncoveredCommands } from './helpers/aws-command-recorder';

recordAdapterCommands();

let moto: MotoServer;
let restoreEnv: () => void;
let acts: ReturnType<typeof createAzLossActivities>;

const payments = loadRunbookByName('payments-prod');
function prepared(duration: string): PreparedFisTemplate {
  const t = renderValidFisTemplate('elasticache-az-power', payments, { az: 'us-east-1a', duration });
  return { name: t.name, region: t.region, account: t.account, input: t.input };
}

beforeAll(async () => {
  restoreEnv = useFakeAwsCredentials();
  moto = await startMoto();
  const deps = {
    aws: createSdkAwsClients({ endpoint: moto.endpoint }),
    clock: realClock,
    logger: createLogger({ level: 'warn', name: 'test-fis-moto' }),
    runbookDir: DEFAULT_RUNBOOK_DIR,
  } as unknown as ActivityDeps; // the FIS activities never use the canary connector
  acts = createAzLossActivities(deps);
}, 60_000);

afterAll(async () => {
  await moto?.stop();
  restoreEnv?.();
});

describe('FIS activities against moto', () => {
  it('creates a template once, finds it by its gameday tags, and updates it only when different', async () => {
    const t = prepared('PT10M');
    expect(await acts.findFisTemplate(t)).toMatchObject({
      name: 'elasticache-az-power',
      differences: expect.arrayContaining([expect.stringMatching(/^\+ \$\.actions/)]),
    });
    expect((await acts.findFisTemplate(t)).id).toBeUndefined();

    const created = await acts.createFisTemplate({ template: t, clientToken: 'gameday:test:template:elasticache-az-power' });
    expect(created.action).toBe('created');
    // A retried create (same token, or found by tags) does not create a second template.
    const again = await acts.createFisTemplate({ template: t, clientToken: 'gameday:test:template:elasticache-az-power-2' });
    expect(again).toMatchObject({ id: created.id, action: 'unchanged' });

    const found = await acts.findFisTemplate(t);
    expect(found.id).toBe(created.id);
    expect(found.differences).toEqual([]);

    const longer = prepared('PT20M');
    const diff = await acts.findFisTemplate(longer);
    expect(diff.differences).toEqual(['~ $.actions.Pause-ElastiCache.parameters.duration: "PT10M" → "PT20M"']);
    expect(await acts.updateFisTemplate({ template: longer, id: created.id })).toMatchObject({ action: 'updated', id: created.id });
    expect((await acts.findFisTemplate(longer)).differences).toEqual([]);
    expect(await acts.updateFisTemplate({ template: longer, id: created.id })).toMatchObject({ action: 'unchanged' });
  });

  it('starts an experiment idempotently, reads it and stops it', async () => {
    const t = prepared('PT10M');
    const { id: templateId } = await acts.createFisTemplate({ template: t, clientToken: 'gameday:test:template:x' });
    const ref = { region: 'us-east-1', account: '111122223333' };
    const started = await acts.startFisExperiment({
      ...ref,
      templateId,
      clientToken: 'gameday:wf-1:experiment',
      tags: { 'gameday-run': 'wf-1' },
    });
    expect(started.experimentId).toBeTruthy();
    expect(started.startedAt).toBeGreaterThan(0);
    const retried = await acts.startFisExperiment({ ...ref, templateId, clientToken: 'gameday:wf-1:experiment' });
    expect(retried.experimentId).toBe(started.experimentId);

    const read = await acts.getFisExperiment({ ...ref, experimentId: started.experimentId });
    expect(['pending', 'initiating', 'running', 'completed']).toContain(read.status);

    const stopped = await acts.stopFisExperiment({ ...ref, experimentId: started.experimentId, timeoutMs: 30_000 });
    expect(['stopped', 'completed']).toContain(stopped.status);
    // Read before write: a second stop makes no StopExperiment call and reports the same end.
    const second = await acts.stopFisExperiment({ ...ref, experimentId: started.experimentId, timeoutMs: 30_000 });
    expect(second).toMatchObject({ status: stopped.status, stoppedByUs: false });
  });
});

describe('IAM policy coverage', () => {
  it('gameday iam-policy allows every AWS command the adapters sent in this file', () => {
    expect(recordedCommands().length).toBeGreaterThan(0);
    expect(uncoveredCommands(recordedCommands())).toEqual([]);
  });
});
