/**
 * The runbook format: one YAML file per protected service and environment.
 * Every object is strict (an unknown field is an error naming it), and the cross-field rules
 * (blast radius, writer region, routing) are checked in `superRefine` so each error has a path.
 */
import { z } from 'zod';
import { checkRunbookReferences } from './reference-check';
import { InstanceTermination, RegionCut, checkScenarioSections } from './scenario-schemas';

const awsRegion = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'expected an AWS region such as us-east-1');
const awsAccount = z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id');
const arn = z.string().regex(/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/, 'expected an ARN');
const secretArn = z.string().regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, 'expected a Secrets Manager secret ARN');
const identifier = z.string().regex(/^[A-Za-z][0-9A-Za-z-]{0,62}$/, 'expected an identifier: a letter, then letters, digits or hyphens');
const duration = z.string().regex(/^\d+(ms|s|m|h|d)$/, 'expected a duration such as 500ms, 30s, 15m, 4h or 1d');

/** Parses `30s`, `15m`, … into milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/** Per-runbook overrides of the tier's RPO/RTO targets. */
export const TierOverrides = z.strictObject({
  rpo: duration.optional().describe('override of the tier RPO target'),
  rto: duration.optional().describe('override of the tier RTO target'),
});

/** One regional cluster of the runbook's Aurora database, with its instances' AZs. */
export const AuroraMember = z.strictObject({
  region: awsRegion,
  clusterId: identifier,
  /** AZs of the cluster's instances, writer first (used by the sim seed and the AZ checks). */
  instances: z
    .array(z.strictObject({ id: identifier, az: z.string().regex(/^[a-z]{2}-[a-z]+-\d[a-z]$/, 'expected an AZ such as us-east-1a') }))
    .min(1)
    .optional(),
});

/** The runbook's Aurora database: global cluster, engine, primary region, members and restore settings. */
export const Aurora = z.strictObject({
  /** Absent for a single-region cluster (e.g. a Backtrack-enabled Aurora MySQL store). */
  globalClusterId: identifier.optional(),
  engine: z.enum(['postgres', 'mysql']),
  /** Region of the current writer (primary) cluster. */
  primaryRegion: awsRegion,
  members: z.array(AuroraMember).min(1, 'at least the primary cluster'),
  /** Isolated subnet group for restore drills. */
  restoreSubnetGroup: z.string().optional(),
  restoreInstanceClass: z.string().default('db.r6g.large'),
  backtrackWindow: duration.optional(),
});

/** How traffic reaches the service: hosted zone, record, routing policy and health checks. */
export const Route53 = z.strictObject({
  hostedZoneId: z.string().regex(/^Z[A-Z0-9]{4,32}$/, 'expected a hosted zone id such as Z0123456789ABC'),
  recordName: z.string().min(1),
  routing: z.discriminatedUnion('policy', [
    z.strictObject({
      policy: z.literal('failover'),
      primarySetId: z.string(),
      secondarySetId: z.string(),
    }),
    z.strictObject({
      policy: z.literal('weighted'),
      /** setIdentifier per region. */
      setIds: z.record(awsRegion, z.string()),
      /** Weight steps of a traffic shift, percent to the target region. */
      steps: z.array(z.number().int().min(0).max(100)).default([10, 50, 100]),
    }),
    z.strictObject({
      policy: z.literal('arc'),
      clusterEndpoints: z.array(z.string().url()).min(1),
      clusterRegion: awsRegion,
      /** Routing control ARN per region. */
      routingControls: z.record(awsRegion, arn),
    }),
  ]),
  healthChecks: z.record(awsRegion, z.string()).default({}),
});

/** The ElastiCache replication groups the service uses, per region. */
export const ElastiCache = z.strictObject({
  replicationGroups: z.array(z.strictObject({ id: identifier, region: awsRegion })).default([]),
});

/** The runbook's CloudWatch alarms: FIS stop conditions and per-region health alarms. */
export const Alarms = z.strictObject({
  /** Alarms that halt a fault injection (FIS stop conditions). */
  stopConditions: z.array(z.string().min(1)).default([]),
  /** Alarms that say the service is healthy when OK, per region. */
  health: z.record(awsRegion, z.array(z.string().min(1))).default({}),
});

/** The canary writer's database target (credentials by Secrets Manager ARN only) and write rate. */
export const Canary = z.strictObject({
  /** Writer endpoint; for a global database prefer the global writer endpoint. */
  endpoint: z.string().min(1),
  port: z.number().int().positive().optional(),
  database: z.string().min(1),
  /** Credentials come only from Secrets Manager. */
  secretArn,
  table: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/)
    .default('gameday_canary'),
  ratePerSecond: z.number().positive().max(100).default(10),
  password: z.never({ error: 'an inline password is not allowed: store it in Secrets Manager and set canary.secretArn' }).optional(),
});

/** One step that points the application at the new region (SSM parameter or Automation). */
export const AppReconfiguration = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('ssm-parameter'), name: z.string().min(1), valueTemplate: z.string().default('{{region}}') }),
  z.strictObject({
    kind: z.literal('ssm-automation'),
    documentName: z.string().min(1),
    parameters: z.record(z.string(), z.array(z.string())).default({}),
  }),
]);

/** The human approval gate of a promotion: required or not, timeout, approvers. */
export const Approval = z.strictObject({
  required: z.boolean().default(true),
  timeout: duration.default('15m'),
  /** Who may approve; empty = anyone with access to the Temporal namespace. */
  approvers: z.array(z.string()).default([]),
});

/**
 * gameday's own rules for FIS templates (the "valid FIS, refused by policy" judgement), per runbook.
 * Each refusal names its rule and the field here that changes it.
 */
export const FisPolicy = z.strictObject({
  /** Rule `stop-condition-required`: every template stops on a CloudWatch alarm (`{source: "none"}` refused). */
  requireStopCondition: z.boolean().default(true),
  /** Rule `stop-condition-alarms`: stop-condition alarms are the runbook's `alarms.stopConditions`. */
  runbookAlarmsOnly: z.boolean().default(true),
  /** Rule `allowed-actions`: the FIS action ids templates may use; empty = every action of the catalog. */
  allowedActions: z
    .array(z.string().regex(/^aws:[a-z0-9-]+:[a-z0-9-]+$/, 'expected an action id such as aws:ec2:stop-instances'))
    .default([]),
  /** Rule `blast-radius`: ARNs inside the blast radius besides those the runbook names (IAM roles, tables, …). */
  allowedArns: z.array(arn).default([]),
  /** Rule `max-duration`: the longest duration any action parameter may ask for (ISO-8601, e.g. PT30M); unset = FIS's own limits. */
  maxDuration: z
    .string()
    .regex(/^PT(?:\d+H)?(?:\d+M)?(?:\d+S)?$/, 'expected an ISO-8601 duration such as PT30M')
    .optional(),
});

/** The runbook's FIS set-up: role, blast-radius tag, templates, targets and policy. */
export const Fis = z.strictObject({
  roleArn: arn,
  /** Tag that marks resources the experiments may touch (the blast radius inside the account). */
  targetTag: z.strictObject({ key: z.string().min(1), value: z.string().min(1) }),
  templates: z.array(z.string()).default([]),
  subnetArns: z.record(z.string(), z.array(arn)).default({}),
  autoScalingGroups: z.array(z.string()).default([]),
  policy: FisPolicy.default({ requireStopCondition: true, runbookAlarmsOnly: true, allowedActions: [], allowedArns: [] }),
});

/** One SQL check run against a restored cluster, with its expected minimum. */
export const SqlCheck = z.strictObject({
  name: z.string().min(1),
  sql: z.string().min(1),
  /** The query returns one row with one numeric column, compared with `min`. */
  min: z.number().optional(),
  /** `count` (default): value ≥ `min`; `newest-timestamp`: value (epoch s or ms) ≥ restore point − tier RPO. */
  kind: z.enum(['count', 'newest-timestamp']).optional(),
});

/** Schema of a runbook file, with cross-field checks (regions inside the blast radius, unique ids, routing). */
export const Runbook = z
  .strictObject({
    service: identifier,
    environment: z.string().min(1),
    tier: z.enum(['tier0', 'tier1', 'tier2']),
    targets: TierOverrides.optional(),
    blastRadius: z.strictObject({
      accounts: z.array(awsAccount).min(1, 'list at least one allowed account'),
      regions: z.array(awsRegion).min(1, 'list at least one allowed region'),
      requiredTags: z.record(z.string(), z.string()).default({}),
    }),
    account: awsAccount,
    aurora: Aurora.optional(),
    route53: Route53.optional(),
    elasticache: ElastiCache.default({ replicationGroups: [] }),
    alarms: Alarms.default({ stopConditions: [], health: {} }),
    canary: Canary.optional(),
    appReconfiguration: AppReconfiguration.optional(),
    writeFencing: z.strictObject({ documentName: z.string().min(1) }).optional(),
    approval: Approval.default({ required: true, timeout: '15m', approvers: [] }),
    fis: Fis.optional(),
    restore: z
      .strictObject({
        sourceClusterId: identifier.optional(),
        checks: z.array(SqlCheck).default([]),
      })
      .optional(),
    /** The region-cut scenario (runbooks/scenario-schemas.ts). */
    regionCut: RegionCut.optional(),
    /** The instance-termination scenario (runbooks/scenario-schemas.ts). */
    instanceTermination: InstanceTermination.optional(),
  })
  .superRefine((rb, ctx) => {
    checkRunbookReferences(rb, ctx); // every ARN / AWS endpoint anywhere inside blastRadius
    for (const i of checkScenarioSections(rb)) ctx.addIssue({ code: 'custom', ...i });
    if (!rb.blastRadius.accounts.includes(rb.account)) {
      ctx.addIssue({
        code: 'custom',
        path: ['account'],
        message: `account ${rb.account} is outside blastRadius.accounts (${rb.blastRadius.accounts.join(', ')}); add it there or fix the account`,
      });
    }
    const allowed = new Set(rb.blastRadius.regions);
    const checkRegion = (region: string, path: (string | number)[]): void => {
      if (!allowed.has(region)) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `region ${region} is outside blastRadius.regions (${[...allowed].join(', ')}); add it there or fix the region`,
        });
      }
    };
    if (rb.aurora) {
      checkRegion(rb.aurora.primaryRegion, ['aurora', 'primaryRegion']);
      rb.aurora.members.forEach((m, i) => checkRegion(m.region, ['aurora', 'members', i, 'region']));
      if (!rb.aurora.members.some((m) => m.region === rb.aurora!.primaryRegion)) {
        ctx.addIssue({
          code: 'custom',
          path: ['aurora', 'primaryRegion'],
          message: `no member cluster in primaryRegion ${rb.aurora.primaryRegion}; add it to aurora.members`,
        });
      }
      const seen = new Set<string>();
      rb.aurora.members.forEach((m, i) => {
        if (seen.has(m.region))
          ctx.addIssue({
            code: 'custom',
            path: ['aurora', 'members', i, 'region'],
            message: `two members in ${m.region}; one cluster per region`,
          });
        seen.add(m.region);
      });
    }
    rb.elasticache.replicationGroups.forEach((g, i) => checkRegion(g.region, ['elasticache', 'replicationGroups', i, 'region']));
    Object.keys(rb.alarms.health).forEach((r) => checkRegion(r, ['alarms', 'health', r]));
    if (rb.route53) {
      Object.keys(rb.route53.healthChecks).forEach((r) => checkRegion(r, ['route53', 'healthChecks', r]));
      const routing = rb.route53.routing;
      if (routing.policy === 'weighted') Object.keys(routing.setIds).forEach((r) => checkRegion(r, ['route53', 'routing', 'setIds', r]));
      if (routing.policy === 'arc')
        Object.keys(routing.routingControls).forEach((r) => checkRegion(r, ['route53', 'routing', 'routingControls', r]));
    }
  });

/** A validated runbook (defaults applied). */
export type Runbook = z.infer<typeof Runbook>;
/** One regional Aurora cluster of a validated runbook. */
export type AuroraMember = z.infer<typeof AuroraMember>;
/** A runbook's validated FIS template policy (defaults applied). */
export type FisPolicy = z.infer<typeof FisPolicy>;
