/**
 * One sample of `bench/first-refusal.ts`, in a fresh process: composes a worker from the checkout
 * given as the first argument (its `lib/composition-root.ts`, sim AWS, a unique task queue, the
 * workflow bundle file given second), waits until the server lists its workflow poller (a worker
 * whose poll has not reached the server serves nothing yet; in service, a worker polls long before
 * anyone types input), then times two restore verifications started with inline runbook YAML (off on
 * this worker) from start to the run's failure, by this process's wall clock. Also reads, from the
 * first run's history (the server's clock), where its time went. Prints one JSON line
 * `{firstMs, secondMs, type, firstSplit}`.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type * as CompositionRoot from '../lib/composition-root';
import type * as Config from '../lib/config';
import type * as Logger from '../lib/logger';

async function main(): Promise<void> {
  const [root, bundleFile] = process.argv.slice(2) as [string, string];
  const { composeWorker } = require(join(root, 'lib/composition-root')) as typeof CompositionRoot;
  const { loadWorkerConfig } = require(join(root, 'lib/config')) as typeof Config;
  const { createLogger } = require(join(root, 'lib/logger')) as typeof Logger;
  const taskQueue = `bench-first-refusal-${process.pid}-${Date.now()}`;
  const config = loadWorkerConfig({ ...process.env, GAMEDAY_TASK_QUEUE: taskQueue, GAMEDAY_RUNBOOK_DIR: join(root, 'runbooks') });
  const composed = await composeWorker(config, {
    logger: createLogger({ level: 'warn' }),
    workflows: { workflowBundle: { code: readFileSync(bundleFile, 'utf8') } },
    shutdownGraceTime: '1s',
  });
  const running = composed.run();
  while (composed.worker.getState() !== 'RUNNING') await new Promise((r) => setTimeout(r, 20));
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  const client = new Client({ connection });
  const pollingSince = performance.now();
  for (;;) {
    const d = await connection.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: taskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    if ((d.pollers ?? []).length > 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const pollerWaitMs = performance.now() - pollingSince;
  const yaml = readFileSync(join(root, 'runbooks/payments-prod.yaml'), 'utf8');
  let type = '';
  const refuse = async (n: number): Promise<number> => {
    const t0 = performance.now();
    await client.workflow
      .execute('restoreVerificationWorkflow', {
        taskQueue,
        workflowId: `${taskQueue}-${n}`,
        args: [{ runbook: 'payments-prod', runbookYaml: yaml }],
      })
      .then(
        () => (type = 'completed (not refused)'),
        (err: unknown) => {
          let c: unknown = err instanceof WorkflowFailedError ? err.cause : err;
          while (c && (c as { cause?: unknown }).cause && !(c as { type?: string }).type) c = (c as { cause?: unknown }).cause;
          type = (c as { type?: string }).type ?? String(err);
        },
      );
    return performance.now() - t0;
  };
  const firstMs = await refuse(1);
  const secondMs = await refuse(2);
  const firstSplit = await split(client, `${taskQueue}-1`);
  process.stdout.write(`${JSON.stringify({ firstMs, secondMs, type, pollerWaitMs, firstSplit })}\n`);
  composed.worker.shutdown();
  await running;
  await connection.close();
}

/**
 * Where a refused run's time went, by the server's event times (ms): the first workflow task's
 * wait in the queue and its processing, the activity that refuses, and the rest (the closing
 * workflow task).
 */
async function split(client: Client, workflowId: string): Promise<Record<string, number>> {
  const h = await client.workflow.getHandle(workflowId).fetchHistory();
  const T = temporal.api.enums.v1.EventType;
  const events = (h.events ?? []).map((e) => ({
    type: e.eventType,
    at: Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6,
  }));
  const first = (t: number) => events.find((e) => e.type === t)?.at ?? NaN;
  const start = events[0]?.at ?? NaN;
  const wftStarted = first(T.EVENT_TYPE_WORKFLOW_TASK_STARTED);
  const wftCompleted = first(T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
  const actFailed = first(T.EVENT_TYPE_ACTIVITY_TASK_FAILED);
  const end = events[events.length - 1]?.at ?? NaN;
  return {
    firstTaskQueuedMs: wftStarted - start,
    firstTaskMs: wftCompleted - wftStarted,
    activityMs: actFailed - wftCompleted,
    closingMs: end - actFailed,
  };
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
