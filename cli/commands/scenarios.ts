/**
 * `gameday run region-cut` and `gameday run instance-termination`: start the region-cut
 * (`regionCutWorkflow`) or instance-termination (`instanceTerminationWorkflow`) scenario for a
 * runbook in the worker's folder and print its report (`cli/results.ts`). Options are checked
 * here with the workflows' own validators (exit 2 naming the field, before anything starts); the
 * worker checks them again in the first activity, since the Temporal UI bypasses the CLI.
 * Exit 1 when the run does not complete or a figure fails.
 */
import type { Command } from 'commander';
import { INSTANCE_TERMINATION_WORKFLOW_TYPE } from '../../contracts/instance-termination';
import { REGION_CUT_WORKFLOW_TYPE } from '../../contracts/region-cut';
import type { RunReport } from '../../lib/measurement-types';
import { checkInstanceTerminationInput } from '../../activities/instance-termination/input';
import { checkRegionCutInput, type InputIssue } from '../../activities/region-cut/input';
import type { CliContext } from '../context';
import { UsageError } from '../output';
import { printRunReport } from '../results';

interface ScenarioOptions {
  readonly runbook?: string;
  readonly region?: string;
  readonly duration?: string;
  readonly detectionTimeout?: string;
  readonly promote?: string;
  readonly failback?: boolean;
  readonly group?: string;
  readonly percent?: string;
  readonly count?: string;
  readonly recoveryTimeout?: string;
  readonly pollInterval?: string;
  readonly id?: string;
}

const FLAG: Readonly<Record<string, string>> = {
  detectionTimeout: '--detection-timeout',
  'promote.mode': '--promote',
  'promote.failback': '--failback',
  autoScalingGroup: '--group',
  recoveryTimeout: '--recovery-timeout',
  pollIntervalMs: '--poll-interval',
};

/** Exit 2 with the first issue, named as its CLI flag. */
function refuse(issues: readonly InputIssue[]): void {
  const i = issues[0];
  if (!i) return;
  throw new UsageError(`${FLAG[i.field] ?? `--${i.field}`}: ${i.message}`);
}

const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

/** Starts `workflow` with `input` on the worker's task queue and prints its report. */
async function runScenario(ctx: CliContext, cmd: Command, workflow: string, input: Record<string, unknown>, id: string): Promise<void> {
  const out = ctx.output(cmd);
  const taskQueue = ctx.options(cmd).taskQueue;
  const client = await ctx.client(cmd);
  out.info(`starting ${workflow} ${id} on task queue ${taskQueue}`);
  const result = client.workflow.execute(workflow, { taskQueue, workflowId: id, args: [input] }) as Promise<RunReport>;
  process.exitCode = await printRunReport(out, id, result, { json: (report) => ({ workflowId: id, report }) });
}

const stamp = (): string => new Date().toISOString().replace(/[:.]/g, '-');

/** Registers `run region-cut` and `run instance-termination` under `run`. */
export function registerScenarios(run: Command, ctx: CliContext): void {
  run
    .command('region-cut')
    .description("cut the primary region's entry points with FIS and measure health checks, DNS and alarms (regionCutWorkflow)")
    .requiredOption('--runbook <name>', "runbook name in the worker's runbook folder, e.g. payments-prod")
    .option('--region <region>', 'region to cut (default: the runbook primary)')
    .option('--duration <iso8601>', 'fault duration, e.g. PT15M (default PT15M; stopped once measured)')
    .option('--detection-timeout <duration>', 'how long each detection may take, e.g. 10m (default 10m)')
    .option('--promote <mode>', 'chain a region promotion: switchover, failover or detach')
    .option('--failback', 'with --promote: fail back after the promotion', false)
    .option('--poll-interval <ms>', 'poll interval of the measurement, clock ms (default 1000)')
    .option('--id <workflowId>', 'workflow id')
    .action(async (opts: ScenarioOptions, cmd: Command) => {
      const input: Record<string, unknown> = {
        runbook: opts.runbook,
        ...(opts.region ? { region: opts.region } : {}),
        ...(opts.duration ? { duration: opts.duration } : {}),
        ...(opts.detectionTimeout ? { detectionTimeout: opts.detectionTimeout } : {}),
        ...(opts.promote ? { promote: { mode: opts.promote, failback: opts.failback === true } } : {}),
        ...(opts.pollInterval ? { pollIntervalMs: num(opts.pollInterval) } : {}),
      };
      if (opts.failback && !opts.promote) throw new UsageError('--failback: only with --promote <mode>');
      refuse(checkRegionCutInput(input));
      await runScenario(ctx, cmd, REGION_CUT_WORKFLOW_TYPE, input, opts.id ?? `region-cut-${opts.runbook}-${stamp()}`);
    });
  run
    .command('instance-termination')
    .description('terminate a share of an Auto Scaling group and measure its recovery (instanceTerminationWorkflow, "Chaos Monkey")')
    .requiredOption('--runbook <name>', "runbook name in the worker's runbook folder, e.g. payments-prod")
    .option('--group <name>', 'Auto Scaling group (default: the runbook instanceTermination.autoScalingGroup)')
    .option('--percent <n>', 'share of the in-service instances, 1-100 (rounded up to one instance)')
    .option('--count <n>', 'number of instances (instead of --percent)')
    .option('--recovery-timeout <duration>', 'how long recovery may take, e.g. 15m (default 15m)')
    .option('--poll-interval <ms>', 'poll interval of the measurement, clock ms (default 1000)')
    .option('--id <workflowId>', 'workflow id')
    .action(async (opts: ScenarioOptions, cmd: Command) => {
      const input: Record<string, unknown> = {
        runbook: opts.runbook,
        ...(opts.group ? { autoScalingGroup: opts.group } : {}),
        ...(opts.percent !== undefined ? { percent: num(opts.percent) } : {}),
        ...(opts.count !== undefined ? { count: num(opts.count) } : {}),
        ...(opts.recoveryTimeout ? { recoveryTimeout: opts.recoveryTimeout } : {}),
        ...(opts.pollInterval ? { pollIntervalMs: num(opts.pollInterval) } : {}),
      };
      refuse(checkInstanceTerminationInput(input));
      await runScenario(ctx, cmd, INSTANCE_TERMINATION_WORKFLOW_TYPE, input, opts.id ?? `instance-termination-${opts.runbook}-${stamp()}`);
    });
}
