/**
 * First activity of a promotion: validates the workflow input (typed by hand in the Temporal UI or
 * sent by the CLI) and the runbook, and resolves the plan. Makes no AWS call, so bad input is
 * rejected before anything is touched, with a non-retryable failure naming the field.
 */
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { targetsFor } from '../../lib/tiers';
import { resolvePolicedRunbook } from '../../runbooks/blast-radius';
import { RunbookValidationError } from '../../runbooks/load';
import { DURATION_RANGES, durationProblem, MAX_RUNBOOK_NAME } from '../../runbooks/bounds';
import { checkRunbookDigest } from '../../runbooks/runbook-digest';

import { parseDuration } from '../../runbooks/schema';
import type { ActivityDeps } from '../deps';
import type { PromotionPlan, RegionPromotionInput } from '../../contracts/promotion';
import { clockAtWall } from '../../lib/clock';
import { INVALID_PROMOTION_INPUT, invalidInput, invalidRunbook } from './input-failures';

const approvalTimeout = z.string().superRefine((text, ctx) => {
  const problem = durationProblem(text, DURATION_RANGES.approvalTimeout);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Schema of `RegionPromotionInput` (same name as the type); unknown fields are errors. */
export const RegionPromotionInputSchema = z.strictObject({
  runbook: z
    .string({ error: 'required: the runbook name, e.g. "payments-prod"' })
    .min(1, 'required: the runbook name, e.g. "payments-prod"')
    .max(MAX_RUNBOOK_NAME, `a runbook name has at most ${MAX_RUNBOOK_NAME} characters`),
  targetRegion: z
    .string({ error: 'required: the region to promote, e.g. "us-west-2"' })
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'expected an AWS region such as us-west-2'),
  mode: z.enum(['switchover', 'failover', 'detach'], { error: 'expected one of switchover, failover, detach' }),
  incidentId: z.string().min(1).max(200).optional(),
  requestedBy: z.string().min(1).max(200).optional(),
  approvalTimeout: approvalTimeout.optional(),
  /** sha256 (hex) of the runbook file the CLI validated: the worker refuses to run a runbook of that name with other content. */
  runbookSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'expected the sha256 of the runbook file, 64 hex digits')
    .optional(),
  failback: z.boolean().optional(),
  pollIntervalMs: z.number().int().positive().max(300_000).optional(),
  fastPollIntervalMs: z.number().int().positive().max(300_000).optional(),
});

/** Workflow id of the promotion of one global cluster: a second concurrent one is refused by Temporal. */
export function promotionWorkflowId(globalClusterId: string): string {
  return `promote-${globalClusterId}`;
}

/**
 * The promotion's "requested" instant on the activities' clock and the wall clock: the workflow's
 * start as Temporal recorded it, when given and not in the future; else now.
 */
export function requestedInstant(deps: ActivityDeps, startedAtWall: number | undefined): { requestedAt: number; requestedAtWall: number } {
  const wallNow = Date.now();
  if (startedAtWall === undefined || !Number.isFinite(startedAtWall) || startedAtWall > wallNow) {
    return { requestedAt: deps.clock.now(), requestedAtWall: wallNow };
  }
  return { requestedAt: clockAtWall(deps.clock, startedAtWall), requestedAtWall: startedAtWall };
}

/** Validates the input and the runbook, returns the plan. No AWS call. */
export async function preparePromotion(
  deps: ActivityDeps,
  input: {
    readonly input: unknown;
    readonly workflowId: string;
    readonly enforceWorkflowId?: boolean;
    /**
     * Wall epoch ms Temporal recorded the workflow's start (its history): the request itself. The
     * RTO starts there, not when this first activity ran (seconds later on a loaded worker).
     */
    readonly startedAtWall?: number;
  },
): Promise<PromotionPlan> {
  const parsed = RegionPromotionInputSchema.safeParse(input.input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)';
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; expected {"runbook":"payments-prod","targetRegion":"us-west-2","mode":"switchover"}`
        : issue.message;
    const all = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(input)'}: ${i.message}`).join('; ');
    throw ApplicationFailure.create({
      type: INVALID_PROMOTION_INPUT,
      message: `${field}: ${message}${parsed.error.issues.length > 1 ? ` (all problems: ${all})` : ''}`,
      nonRetryable: true,
      details: [{ field }],
    });
  }
  const req: RegionPromotionInput = parsed.data;

  let runbook;
  try {
    runbook = resolvePolicedRunbook({ runbook: req.runbook }, deps).runbook;
    if (req.runbookSha256 !== undefined) checkRunbookDigest(req.runbook, req.runbookSha256, deps.runbookDir);
  } catch (err) {
    if (err instanceof RunbookValidationError) {
      const first = err.issues[0];
      const field = first && (first.path === 'runbook' || first.path === 'runbookSha256') ? first.path : `runbook ${req.runbook}`;
      throw invalidRunbook(field, err.message);
    }
    throw err;
  }

  const aurora = runbook.aurora;
  if (!aurora?.globalClusterId) {
    throw invalidRunbook(
      'aurora.globalClusterId',
      `runbook ${req.runbook} has no Aurora global database; region promotion needs aurora.globalClusterId`,
    );
  }
  const target = aurora.members.find((m) => m.region === req.targetRegion);
  if (!target) {
    throw invalidInput(
      'targetRegion',
      `${req.targetRegion} is not a member region of ${aurora.globalClusterId}; expected one of ${aurora.members.map((m) => m.region).join(', ')}`,
    );
  }
  if (aurora.members.length < 2) {
    throw invalidRunbook('aurora.members', `global cluster ${aurora.globalClusterId} lists one member; a promotion needs a secondary`);
  }

  const expectedId = promotionWorkflowId(aurora.globalClusterId);
  if ((input.enforceWorkflowId ?? true) && input.workflowId !== expectedId) {
    throw invalidInput(
      'workflowId',
      `a promotion of ${aurora.globalClusterId} must run with workflow id "${expectedId}" so that a second concurrent promotion is refused; start it again with that id`,
    );
  }

  const timeoutText = req.approvalTimeout ?? runbook.approval.timeout;
  const targets = targetsFor(runbook.tier, {
    rpoMs: runbook.targets?.rpo ? parseDuration(runbook.targets.rpo) : undefined,
    rtoMs: runbook.targets?.rto ? parseDuration(runbook.targets.rto) : undefined,
  });

  return {
    workflowId: input.workflowId,
    runbookName: req.runbook,
    runbook,
    service: runbook.service,
    environment: runbook.environment,
    tier: runbook.tier,
    targets,
    mode: req.mode,
    account: runbook.account,
    globalClusterId: aurora.globalClusterId,
    runbookPrimaryRegion: aurora.primaryRegion,
    target: { region: target.region, clusterId: target.clusterId },
    members: aurora.members.map((m) => ({ region: m.region, clusterId: m.clusterId })),
    approval: { required: runbook.approval.required, timeoutMs: parseDuration(timeoutText), approvers: runbook.approval.approvers },
    ...(req.incidentId !== undefined ? { incidentId: req.incidentId } : {}),
    ...(req.requestedBy !== undefined ? { requestedBy: req.requestedBy } : {}),
    failback: req.failback ?? false,
    poll: { intervalMs: req.pollIntervalMs ?? 1000, fastIntervalMs: req.fastPollIntervalMs ?? req.pollIntervalMs ?? 250 },
    awsMode: deps.aws.mode,
    clockScale: deps.clock.scale,
    ...requestedInstant(deps, input.startedAtWall),
  };
}
