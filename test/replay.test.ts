/**
 * Versioning guard: every recorded history in test/histories (scripts/record-histories.ts) replays
 * against the current workflow code, bundled once. A failure here means a change to workflow code
 * would break runs in flight (hours-long approval gates): guard the change with `patched()` as
 * CONTRIBUTING.md "Changing a workflow" says; do not re-record to make this pass.
 */
import { DefaultLogger, Runtime, Worker, type ReplayResult } from '@temporalio/worker';
import { exportedWorkflowTypes, readRecordedHistories } from './helpers/histories';
import { workflowsBundle } from './helpers/promotion-fixture';

const histories = readRecordedHistories();
const results = new Map<string, ReplayResult>();

beforeAll(async () => {
  if (!Runtime._instance) Runtime.install({ logger: new DefaultLogger('ERROR') });
  const replay = Worker.runReplayHistories(
    { workflowBundle: await workflowsBundle(), replayName: 'replay-test' },
    // The id each history was recorded under (scripts/record-histories.ts): a workflow that derives ids from its own (a game day's children) replays only under it.
    histories.map((h) => ({ workflowId: `history-${h.name}`, history: h.history })),
  );
  for await (const r of replay) results.set(r.workflowId.replace(/^history-/, ''), r);
});

test('every workflow type exported by workflows/index.ts has a recorded history', () => {
  const recorded = new Set(histories.map((h) => h.workflowType));
  const missing = exportedWorkflowTypes().filter((t) => !recorded.has(t));
  // A type listed here needs a recording: add it to RECORDINGS of scripts/record-histories.ts and run it for that type.
  expect(missing).toEqual([]);
});

test('every recorded history is of a workflow type the worker registers', () => {
  const exported = new Set(exportedWorkflowTypes());
  expect(histories.filter((h) => !exported.has(h.workflowType)).map((h) => `${h.name}.json: ${h.workflowType}`)).toEqual([]);
});

test.each(histories.map((h) => [h.name]))('%s.json replays deterministically on the current workflow code', (name) => {
  const r = results.get(name);
  if (!r) throw new Error(`${name}.json: no replay result (the replay worker stopped early)`);
  if (r.error) {
    throw new Error(
      `${name}.json does not replay: ${r.error.name}: ${r.error.message}\n` +
        'patch the change (CONTRIBUTING.md, "Changing a workflow"); do not re-record',
    );
  }
});
