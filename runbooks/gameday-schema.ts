/**
 * The game-day plan format: one YAML file per game day in `runbooks/gamedays/` (the file stem is
 * the plan's name, e.g. `payments-q4`). It names the service runbooks, the scenarios in order with
 * a hypothesis each (figures, not only words), the participants and their roles, and the human
 * checkpoints. Every object is strict; cross-field rules (unique ids, references to scenarios,
 * runbooks and participants) are checked in `superRefine` so each error has a path.
 */
import { z } from 'zod';

const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, 'expected a lower-case identifier such as az-loss (letters, digits, hyphens)');
const runbookName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a runbook name such as payments-prod (a file stem in runbooks/)');
const duration = z.string().regex(/^\d+(ms|s|m|h|d)$/, 'expected a duration such as 0s, 30s, 1m, 15m or 4h');
const awsRegion = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'expected an AWS region such as us-west-2');
const isoDuration = z.string().regex(/^PT(?:\d+H)?(?:\d+M)?(?:\d+S)?$/, 'expected an ISO-8601 duration such as PT10M');

/** What the team expects of a scenario: RTO / RPO ceilings and verdicts as fields, with the words. */
export const HypothesisSchema = z.strictObject({
  /** In words, e.g. `RTO < 1 min, RPO 0`. */
  text: z.string().min(1, 'say what the team expects, e.g. "RTO < 1 min, RPO 0"'),
  /** The measured RTO is at most this (e.g. `1m`). */
  rto: duration.optional(),
  /** The measured RPO is at most this (`0s` = no data loss). */
  rpo: duration.optional(),
  /** The run's own verdict against the runbook's targets. */
  verdict: z.enum(['pass', 'fail']).optional(),
  /** Preflight only: the service is ready. */
  ready: z.boolean().optional(),
});

const common = {
  /** Unique id in the plan; default the kind. */
  id: identifier.optional(),
  /** Runbook the scenario works on; default the plan's first runbook. */
  runbook: runbookName.optional(),
  hypothesis: HypothesisSchema,
  /** The day goes on after this scenario fails. */
  continueOnFailure: z.boolean().default(false),
};

/** One scenario of the plan: a playbook with its parameters. */
export const ScenarioSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('preflight'), ...common }),
    z.strictObject({
      kind: z.literal('az-loss'),
      ...common,
      az: z.string().regex(/^[a-z]{2}-[a-z]+-\d[a-z]$/, 'expected an AZ such as us-east-1a'),
      template: z.string().min(1).optional(),
      duration: isoDuration.optional(),
      recoveryTimeout: duration.optional(),
    }),
    z.strictObject({ kind: z.literal('region-cut'), ...common, region: awsRegion.optional(), duration: isoDuration.optional() }),
    z.strictObject({
      kind: z.literal('instance-termination'),
      ...common,
      autoScalingGroup: z.string().min(1).optional(),
      percent: z.number().int().min(1).max(100).optional(),
    }),
    z.strictObject({
      kind: z.literal('region-promotion'),
      ...common,
      targetRegion: awsRegion,
      mode: z.enum(['switchover', 'failover', 'detach']).default('switchover'),
      failback: z.boolean().default(false),
      approvalTimeout: duration.optional(),
    }),
    z.strictObject({
      kind: z.literal('restore-verification'),
      ...common,
      to: z.string().min(1).optional(),
      snapshotId: z.string().min(1).optional(),
    }),
    z.strictObject({ kind: z.literal('backtrack-drill'), ...common }),
  ],
  {
    error: 'expected kind: preflight, az-loss, region-cut, instance-termination, region-promotion, restore-verification or backtrack-drill',
  },
);

/** A human checkpoint: a question put to people after a scenario, timed on the wall clock. */
export const CheckpointSchema = z.strictObject({
  name: identifier,
  prompt: z.string().min(1, 'the question people answer, e.g. "Did the 5xx alarm page the on-call?"'),
  /** Participant names or roles that may answer; empty = anyone with access to the namespace. */
  answeredBy: z.array(z.string().min(1)).default([]),
  /** Wall-clock timeout (a person's time is never scaled). */
  timeout: duration.default('15m'),
  /** Scenario id after which it opens. */
  after: identifier,
  /** The human timing it measures, from the start of the `after` scenario. */
  measures: z.enum(['time-to-alert', 'time-to-acknowledge', 'time-to-act']).optional(),
});

/** Schema of a game-day plan file (see the module doc). */
export const GameDayPlanSchema = z
  .strictObject({
    title: z.string().min(1),
    runbooks: z.array(runbookName).min(1, 'name at least one service runbook'),
    participants: z.array(z.strictObject({ name: z.string().min(1), role: z.string().min(1) })).default([]),
    scenarios: z.array(ScenarioSchema).min(1, 'list at least one scenario'),
    checkpoints: z.array(CheckpointSchema).default([]),
  })
  .superRefine((plan, ctx) => {
    const ids = new Set<string>();
    plan.scenarios.forEach((s, i) => {
      const id = s.id ?? s.kind;
      if (ids.has(id))
        ctx.addIssue({
          code: 'custom',
          path: ['scenarios', i, 'id'],
          message: `two scenarios with id ${id}; give each an id of its own (e.g. id: ${id}-2)`,
        });
      ids.add(id);
      if (s.runbook !== undefined && !plan.runbooks.includes(s.runbook))
        ctx.addIssue({
          code: 'custom',
          path: ['scenarios', i, 'runbook'],
          message: `runbook ${s.runbook} is not in the plan's runbooks (${plan.runbooks.join(', ')}); add it there`,
        });
    });
    const who = new Set(plan.participants.flatMap((p) => [p.name, p.role]));
    const names = new Set<string>();
    plan.checkpoints.forEach((c, i) => {
      if (names.has(c.name)) ctx.addIssue({ code: 'custom', path: ['checkpoints', i, 'name'], message: `two checkpoints named ${c.name}` });
      names.add(c.name);
      if (!ids.has(c.after))
        ctx.addIssue({
          code: 'custom',
          path: ['checkpoints', i, 'after'],
          message: `no scenario with id ${c.after}; expected one of ${[...ids].join(', ')}`,
        });
      c.answeredBy.forEach((a, j) => {
        if (!who.has(a))
          ctx.addIssue({
            code: 'custom',
            path: ['checkpoints', i, 'answeredBy', j],
            message: `${a} is neither a participant nor a role; add it to participants or fix the name`,
          });
      });
    });
  });

/** A validated game-day plan file (defaults applied). */
export type GameDayPlanFile = z.infer<typeof GameDayPlanSchema>;
/** One validated scenario of a plan file. */
export type ScenarioEntry = z.infer<typeof ScenarioSchema>;
