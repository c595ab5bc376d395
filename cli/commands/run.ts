/**
 * `gameday run az-loss --runbook <name|file> --az <AZ> [--template NAME] [--dry-run]`: runs the
 * AZ-loss game day (`azLossGameDayWorkflow`) and prints its report (`cli/results.ts`): the service RTO
 * (fault → app healthy: data path outside the AZ and health alarms OK) and each component's own
 * measured recovery against the AZ targets (RTO < 1 min, RPO 0); instance capacity restored is a
 * component finding, not service downtime; then the phases and the timeline.
 *
 * `--dry-run` runs the same workflow against the simulated AWS seeded from the runbook: the CLI
 * starts an in-process sim and a worker on a private task queue (the only place the CLI loads
 * `sim/`, lazily), connected to the same Temporal server, and prints the predicted timeline. No
 * AWS call is made. Exit 1 when the run does not complete or a measured figure fails.
 */
import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { RunReport } from '../../lib/measurement-types';
import { listFisTemplateNames, regionOfAz } from '../../runbooks/fis-templates';
import { parseIsoDuration } from '../../runbooks/fis-catalog';
import { runbookName } from '../../runbooks/load';
import type { CliContext } from '../context';
import { UsageError } from '../output';
import { printRunReport } from '../results';
import { runMetadata } from '../../lib/run-metadata';
import type { localRunbook as LocalRunbook } from './fis';
import { registerScenarios } from './scenarios';

interface RunOptions {
  readonly runbook?: string;
  readonly az?: string;
  readonly template?: string;
  readonly duration?: string;
  readonly dryRun: boolean;
  readonly id?: string;
  readonly scale: string;
}

/** Starts an in-process sim seeded from the runbook and a worker on a private task queue (dry run), through the composition root. */
async function startDryRunWorker(ctx: CliContext, cmd: Command, opts: RunOptions, runbookFile: string | undefined, scale: number) {
  // Loaded lazily: only a dry run needs the sim and a worker in the CLI process.
  const { composeWorker, simDeps } = await import('../../lib/composition-root');
  const { SimAws } = await import('../../sim');
  const { loadRunbookFile, loadRunbookByName, DEFAULT_RUNBOOK_DIR } = await import('../../runbooks/load');
  const { loadWorkerConfig } = await import('../../lib/config');
  const runbookDir = runbookFile ? dirname(resolve(runbookFile)) : DEFAULT_RUNBOOK_DIR;
  const rb = runbookFile ? loadRunbookFile(runbookFile) : loadRunbookByName(opts.runbook!);
  const sim = new SimAws({ scale });
  sim.seedFromRunbook(rb);
  const temporal = ctx.connection(cmd);
  const taskQueue = `gameday-dry-run-${randomUUID().slice(0, 8)}`;
  const config = loadWorkerConfig({ GAMEDAY_TASK_QUEUE: taskQueue });
  const composed = await composeWorker(config, {
    logger: ctx.logger,
    temporal,
    deps: simDeps(sim, ctx.logger, runbookDir),
    shutdownGraceTime: '2s',
  });
  const running = composed.run();
  return {
    taskQueue,
    async stop() {
      composed.worker.shutdown();
      await running;
      sim.close();
    },
  };
}

/** Registers `run` and its scenarios. */
export function register(program: Command, ctx: CliContext): void {
  const run = program.command('run').description('run a game-day scenario and print its measured report');
  run
    .command('az-loss')
    .description('AZ-loss game day driven by an AWS FIS experiment (azLossGameDayWorkflow)')
    .option('--runbook <name|file>', "runbook name (in the worker's runbook folder) or a YAML file")
    .option('--az <AZ>', 'the AZ to lose, e.g. us-east-1a')
    .option('--template <name>', `library template (default az-power-interruption): ${listFisTemplateNames().join(', ')}`)
    .option('--duration <iso8601>', 'fault duration, e.g. PT10M (default PT30M)')
    .option('--dry-run', 'run the same workflow against the simulated AWS seeded from the runbook and print the predicted timeline', false)
    .option('--scale <n>', 'dry run: simulated ms per wall ms', '60')
    .option('--id <workflowId>', 'workflow id')
    .action(async (opts: RunOptions, cmd: Command) => {
      if (!opts.az || !regionOfAz(opts.az))
        throw new UsageError(`--az: expected an AZ name such as us-east-1a, got ${JSON.stringify(opts.az ?? '')}`);
      if (opts.template && !listFisTemplateNames().includes(opts.template))
        throw new UsageError(`--template: unknown template "${opts.template}"; use one of ${listFisTemplateNames().join(', ')}`);
      if (opts.duration && parseIsoDuration(opts.duration) === undefined)
        throw new UsageError(`--duration: "${opts.duration}" is not an ISO-8601 duration; write e.g. PT10M`);
      const scale = Number(opts.scale);
      if (!Number.isFinite(scale) || scale < 1 || scale > 10_000) throw new UsageError('--scale: expected a number between 1 and 10000');
      // fis.ts (its Temporal and FIS imports) loads only when the command runs, not for a refusal.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { localRunbook } = require('./fis') as { localRunbook: typeof LocalRunbook };
      const { runbook, input } = localRunbook(opts.runbook);
      const isFile = typeof input.runbookYaml === 'string';
      const workflowInput: Record<string, unknown> = {
        // A dry run loads a file's folder as its runbook folder, so the canary finds it by name.
        ...(opts.dryRun && isFile ? { runbook: runbookName(opts.runbook!) } : input),
        az: opts.az,
        ...(opts.template ? { template: opts.template } : {}),
        ...(opts.duration ? { duration: opts.duration } : {}),
      };
      const out = ctx.output(cmd);
      const dry = opts.dryRun ? await startDryRunWorker(ctx, cmd, opts, isFile ? opts.runbook : undefined, scale) : undefined;
      const taskQueue = dry?.taskQueue ?? ctx.options(cmd).taskQueue;
      const workflowId =
        opts.id ??
        `az-loss-${runbook.service}-${runbook.environment}-${opts.az}${opts.dryRun ? '-dry-run' : ''}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      try {
        const client = await ctx.client(cmd);
        out.info(
          `starting azLossGameDayWorkflow ${workflowId} on task queue ${taskQueue}${opts.dryRun ? ' (dry run: simulated AWS)' : ''}`,
        );
        const result = client.workflow.execute('azLossGameDayWorkflow', {
          taskQueue,
          workflowId,
          args: [workflowInput],
          ...runMetadata('azLossGameDayWorkflow', workflowInput, `gameday run az-loss${opts.dryRun ? ' --dry-run' : ''}`),
        }) as Promise<RunReport>;
        process.exitCode = await printRunReport(out, workflowId, result, {
          ...(opts.dryRun ? { heading: 'PREDICTED (dry run on the simulated AWS)' } : {}),
          json: (report) => ({ workflowId, dryRun: opts.dryRun, report }),
        });
      } finally {
        await dry?.stop();
      }
    });
  registerScenarios(run, ctx);
}
