/**
 * First activity of a traffic shift: validates the input and the runbook (weighted records naming
 * the target). Makes no AWS call.
 */
import { z } from 'zod';
import { loadRunbookByName, RunbookValidationError } from '../../runbooks/load';
import type { ActivityDeps } from '../deps';
import { invalidInput, invalidRunbook } from './input-failures';

/** Schema of `TrafficShiftInput` (same name as the type). */
export const TrafficShiftInputSchema = z.strictObject({
  runbook: z.string({ error: 'required: the runbook name, e.g. "orders-prod"' }).min(1),
  targetRegion: z
    .string({ error: 'required: the region traffic moves to' })
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'expected an AWS region such as eu-central-1'),
  steps: z.array(z.number().int().min(0).max(100)).min(1).optional(),
  holdMs: z.number().int().nonnegative().optional(),
  pollIntervalMs: z.number().int().positive().optional(),
});

/** Input of `trafficShiftWorkflow`: `{"runbook":"orders-prod","targetRegion":"eu-central-1"}`. */
export type TrafficShiftInput = z.infer<typeof TrafficShiftInputSchema>;

/** The validated plan of a weighted traffic shift. */
export interface TrafficShiftPlan {
  readonly runbookName: string;
  readonly runbook: import('../../runbooks/schema').Runbook;
  readonly targetRegion: string;
  /** Percent to the target region, per step. */
  readonly steps: readonly number[];
  /** Regions of the weighted records. */
  readonly regions: readonly string[];
  /** Clock ms each step is watched before the next. */
  readonly holdMs: number;
  readonly poll: { readonly intervalMs: number; readonly fastIntervalMs: number };
  readonly clockScale: number;
}

/** Validates a traffic-shift input and its runbook (weighted records naming the target). No AWS call. */
export async function prepareTrafficShift(deps: ActivityDeps, input: { readonly input: unknown }): Promise<TrafficShiftPlan> {
  const parsed = TrafficShiftInputSchema.safeParse(input.input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalidInput(issue.path.map(String).join('.') || '(input)', issue.message);
  }
  const req = parsed.data;
  let runbook;
  try {
    runbook = loadRunbookByName(req.runbook, deps.runbookDir);
  } catch (err) {
    if (err instanceof RunbookValidationError) throw invalidRunbook('runbook', err.message);
    throw err;
  }
  const routing = runbook.route53?.routing;
  if (routing?.policy !== 'weighted') {
    throw invalidRunbook(
      'route53.routing.policy',
      `runbook ${req.runbook} uses ${routing?.policy ?? 'no'} routing; a stepped traffic shift needs weighted records`,
    );
  }
  if (routing.setIds[req.targetRegion] === undefined) {
    throw invalidInput(
      'targetRegion',
      `${req.targetRegion} has no weighted record; expected one of ${Object.keys(routing.setIds).join(', ')}`,
    );
  }
  const interval = req.pollIntervalMs ?? 1000;
  return {
    runbookName: req.runbook,
    runbook,
    targetRegion: req.targetRegion,
    steps: req.steps ?? routing.steps,
    regions: Object.keys(routing.setIds),
    holdMs: req.holdMs ?? 60_000,
    poll: { intervalMs: interval, fastIntervalMs: Math.min(250, interval) },
    clockScale: deps.clock.scale,
  };
}
