/**
 * `npm run demo`: the whole product in one command, against the simulated AWS.
 *
 * Ensures the Temporal dev server, starts an in-process sim seeded from runbooks/ and a worker on
 * task queue `gameday`, runs the demo steps through the Temporal client (a preflight of every
 * example runbook, a region promotion, an AZ-loss game day, a restore verification), prints each
 * measured report, then stops the worker. The Temporal server keeps
 * running so the runs can be explored in the Web UI; stop it with `npm run temporal -- stop`.
 *
 * To extend the demo, add a `DemoStep` to `STEPS`.
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { formatPreflightReport } from '../cli/results';
import { loadWorkerConfig } from '../lib/config';
import { composeWorker, createSimFromRunbooks, simDeps } from '../lib/composition-root';
import { createLogger } from '../lib/logger';
import { runMetadata } from '../lib/run-metadata';
import { loadTemporalConnection } from '../lib/temporal-connection';
import { DEFAULT_RUNBOOK_DIR, listRunbookFiles, runbookName } from '../runbooks/load';
import type { SimAws } from '../sim';
import { preflightWorkflow } from '../workflows';
import { azLossStep, promotionStep, restoreStep } from './demo-drills';
import { ensureDevServer } from './temporal-dev';

/** What a demo step gets. */
export interface DemoContext {
  readonly client: Client;
  readonly taskQueue: string;
  readonly sim: SimAws;
  /** Unique suffix of this demo run, for workflow ids. */
  readonly stamp: string;
  /** Prints a line of the demo's output (stdout). */
  print(text: string): void;
}

/** One part of the demo; returns false when its run did not succeed. */
export interface DemoStep {
  readonly title: string;
  run(ctx: DemoContext): Promise<boolean>;
}

/** Preflight of every example runbook. */
const preflightAll: DemoStep = {
  title: 'Preflight of every example runbook (preflightWorkflow)',
  async run(ctx) {
    let allReady = true;
    for (const file of listRunbookFiles(DEFAULT_RUNBOOK_DIR)) {
      const name = runbookName(file);
      const report = await ctx.client.workflow.execute(preflightWorkflow, {
        taskQueue: ctx.taskQueue,
        workflowId: `demo-preflight-${name}-${ctx.stamp}`,
        args: [{ runbook: name }],
        ...runMetadata('preflightWorkflow', { runbook: name }, 'npm run demo'),
      });
      ctx.print(formatPreflightReport(report));
      allReady &&= report.ready;
    }
    return allReady;
  },
};

/** The demo, in order. Add steps here. */
export const STEPS: DemoStep[] = [preflightAll, promotionStep, azLossStep, restoreStep];

async function main(): Promise<void> {
  const server = await ensureDevServer();
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'error', name: 'gameday-demo' });
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const config = loadWorkerConfig({ ...process.env, GAMEDAY_TASK_QUEUE: 'gameday' });
  const temporal = loadTemporalConnection({ overrides: { address: server.address, namespace: server.namespace } });
  const sim = createSimFromRunbooks(DEFAULT_RUNBOOK_DIR, config.GAMEDAY_SIM_SCALE);
  const worker = await composeWorker(config, { logger, temporal, deps: simDeps(sim, logger) });
  const running = worker.run();
  const connection = await Connection.connect(temporal.options);
  const client = new Client({ connection, namespace: server.namespace });
  const print = (text: string): void => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  const stamp = new Date()
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14);

  print(
    `gameday demo: Temporal at ${server.address}, worker on task queue ${config.GAMEDAY_TASK_QUEUE}, simulated AWS at ${sim.world.clock.scale}x\n`,
  );
  let ok = true;
  try {
    for (const step of STEPS) {
      print(`== ${step.title}\n`);
      ok = (await step.run({ client, taskQueue: config.GAMEDAY_TASK_QUEUE, sim, stamp, print })) && ok;
    }
  } finally {
    worker.worker.shutdown();
    await running;
    await connection.close();
    sim.close();
  }
  print(`See every run in the Temporal Web UI: ${server.uiUrl}/namespaces/${server.namespace}/workflows`);
  print('The Temporal dev server keeps running; stop it with: npm run temporal -- stop');
  if (!ok) {
    process.stderr.write('demo: a step did not succeed (see above)\n');
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
