/**
 * One sample of `bench/first-refusal.ts`, in a fresh process: composes a worker from the checkout
 * given as the first argument (its `lib/composition-root.ts`, sim AWS, a unique task queue, the
 * workflow bundle file given second), waits until it polls, then times two restore verifications
 * started with inline runbook YAML (off on this worker) from start to the run's failure, by this
 * process's wall clock. Prints one JSON line `{firstMs, secondMs, type}`.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
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
  process.stdout.write(`${JSON.stringify({ firstMs, secondMs, type })}\n`);
  composed.worker.shutdown();
  await running;
  await connection.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
