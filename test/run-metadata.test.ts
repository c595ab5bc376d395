/**
 * The static summary and details of every run gameday starts (lib/run-metadata.ts): what they say
 * per playbook, Temporal's 200-byte summary limit, no runbook YAML in them; and on the real dev
 * server, a run started by `gameday start` and one started by `gameday verify-restore` carry them
 * (what the Web UI shows under Summary and Details).
 */
import { run as runCli } from '../cli/main';
import { PLAYBOOK_NAMES, runMetadata, SUMMARY_MAX_BYTES } from '../lib/run-metadata';
import { startTestWorker, type TestWorker } from './helpers/worker';

describe('runMetadata', () => {
  const INPUTS: Record<string, [Record<string, unknown>, RegExp]> = {
    regionPromotionWorkflow: [
      { runbook: 'payments-prod', targetRegion: 'us-west-2', mode: 'switchover', incidentId: 'INC-1' },
      /^Region promotion · payments-prod · switchover to us-west-2 \(incident INC-1\)$/,
    ],
    azLossGameDayWorkflow: [{ runbook: 'payments-prod', az: 'us-east-1a' }, /^AZ-loss game day · payments-prod · loss of us-east-1a$/],
    restoreVerificationWorkflow: [{ runbook: 'analytics-prod' }, /^Restore verification · analytics-prod · to the latest restorable time$/],
    backtrackDrillWorkflow: [{ runbook: 'analytics-prod' }, /^Backtrack drill · analytics-prod$/],
    trafficShiftWorkflow: [
      { runbook: 'orders-prod', targetRegion: 'eu-central-1' },
      /^Traffic shift · orders-prod · traffic to eu-central-1$/,
    ],
    preflightWorkflow: [{ runbook: 'payments-prod' }, /^Preflight · payments-prod$/],
    fisTemplatesWorkflow: [
      { runbook: 'payments-prod', az: 'us-east-1a', mode: 'diff' },
      /^FIS templates · payments-prod · diff for us-east-1a$/,
    ],
    orphanSweeperWorkflow: [{ runbooks: ['analytics-prod'], olderThan: '12h' }, /^Orphan sweep · analytics-prod · older than 12h$/],
  };

  it.each(Object.keys(PLAYBOOK_NAMES))('%s: playbook, runbook and target in the summary; how to follow and stop in the details', (type) => {
    const [input, summary] = INPUTS[type]!;
    const m = runMetadata(type, { ...input, runbookYaml: 'secretish: do-not-show' }, 'gameday start');
    expect(m.staticSummary).toMatch(summary);
    expect(m.staticDetails).toContain(`| Playbook | ${PLAYBOOK_NAMES[type]} (\`${type}\`) |`);
    expect(m.staticDetails).toContain('| Started by | gameday start |');
    expect(m.staticDetails).toMatch(/Queries → `status`.*`report`/);
    expect(m.staticDetails).toMatch(/Send a Signal\* → `abort`/);
    expect(`${m.staticSummary}${m.staticDetails}`).not.toContain('do-not-show');
  });

  it('tells how to approve a promotion', () => {
    expect(runMetadata('regionPromotionWorkflow', { runbook: 'payments-prod' }, 'x').staticDetails).toMatch(
      /Send an Update\* → `approvePromotion` \(or `rejectPromotion`\)/,
    );
  });

  it('keeps the summary within 200 bytes, cut with an ellipsis', () => {
    const m = runMetadata('regionPromotionWorkflow', { runbook: 'p'.repeat(300), targetRegion: 'us-west-2', mode: 'failover' }, 'x');
    expect(Buffer.byteLength(m.staticSummary)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    expect(m.staticSummary.endsWith('…')).toBe(true);
  });
});

/** The id of the run on the worker's task queue whose id matches `re` (visibility is eventually consistent: asks until it shows, 30 s at most). */
async function startedOn(w: TestWorker, re: RegExp): Promise<string> {
  const until = Date.now() + 30_000;
  for (;;) {
    for await (const e of w.client.workflow.list({ query: `TaskQueue = '${w.taskQueue}'` })) if (re.test(e.workflowId)) return e.workflowId;
    if (Date.now() > until) throw new Error(`no run matching ${re} on ${w.taskQueue}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('runs started by the CLI carry them', () => {
  let w: TestWorker;
  beforeAll(async () => {
    w = await startTestWorker('run-metadata', { scale: 600 });
  });
  afterAll(async () => {
    await w?.shutdown();
  });

  it.each([
    ['start', ['start', 'preflightWorkflow', '--runbook', 'payments-prod'], 'Preflight · payments-prod', 'gameday start'],
    [
      'verify-restore',
      ['verify-restore', '--runbook', 'analytics-prod'],
      'Restore verification · analytics-prod',
      'gameday verify-restore',
    ],
  ])('gameday %s', async (_name, args, summary, startedBy) => {
    const id = w.id('meta');
    const idArgs = args[0] === 'start' ? ['--id', id] : [];
    const code = await runCli(['node', 'gameday', '--task-queue', w.taskQueue, ...args, ...idArgs]);
    expect(code).toBe(0);
    const workflowId = args[0] === 'start' ? id : await startedOn(w, /^verify-restore-analytics-prod-/);
    const d = await w.client.workflow.getHandle(workflowId!).describe();
    expect(await d.staticSummary()).toMatch(new RegExp(`^${summary}`));
    expect(await d.staticDetails()).toContain(`| Started by | ${startedBy} |`);
  });
});
