/**
 * Runbook sections of the region-cut and instance-termination scenarios (`regionCut`,
 * `instanceTermination`): what the scenario may touch (entry-point subnets by tag, one Auto Scaling
 * group of `fis.autoScalingGroups`), what it watches (load balancers, target group, service alarm)
 * and the targets its figures are judged against. Strict objects, like the rest of the runbook;
 * the cross-field rules are in `checkScenarioSections`, each error naming its field and the fix.
 */
import { z } from 'zod';

const awsRegion = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'expected an AWS region such as us-east-1');
const duration = z.string().regex(/^\d+(ms|s|m|h|d)$/, 'expected a duration such as 500ms, 30s, 15m, 4h or 1d');
const tag = z.strictObject({ key: z.string().min(1), value: z.string().min(1) });

/** Targets of the region-cut figures, each from the fault taking effect. */
export const RegionCutTargets = z.strictObject({
  /** Until every Route 53 health check of the cut region reports unhealthy. */
  healthChecksFail: duration.default('2m'),
  /** Until DNS answers with the secondary region (the scenario's RTO). */
  dnsAnswersSecondary: duration.default('4m'),
  /** Until every health alarm of the cut region is in ALARM. */
  alarmsFire: duration.default('3m'),
});

/**
 * The region-cut scenario of a runbook: which entry points a cut silences, and the targets. The cut
 * is `aws:network:disrupt-connectivity` (scope `all`) on the entry-point subnets: clients and the
 * Route 53 health checkers reach the load balancers from outside the region, which the
 * cross-region route-table action (it only drops the subnets' routes *to* another region) would
 * not stop.
 */
export const RegionCut = z.strictObject({
  /** Tag of the entry-point subnets (the load balancers' subnets); the template also requires blastRadius.requiredTags and fis.targetTag. */
  entryPointTag: tag.default({ key: 'gameday:entry-point', value: 'true' }),
  /** Load balancer names per region: the entry points the cut silences (the steady state reads them). */
  loadBalancers: z.record(awsRegion, z.array(z.string().min(1)).min(1, 'list at least one load balancer name')).default({}),
  targets: RegionCutTargets.default({ healthChecksFail: '2m', dnsAnswersSecondary: '4m', alarmsFire: '3m' }),
  /** Chain a region promotion once DNS answers with the secondary (absent = no promotion). */
  promote: z.strictObject({ mode: z.enum(['switchover', 'failover', 'detach']), failback: z.boolean().default(false) }).optional(),
});

/** Targets of the instance-termination figures, each from the termination call. */
export const InstanceTerminationTargets = z.strictObject({
  /** Until the group is back at desired capacity, every instance InService and Healthy. */
  capacityRestored: duration.default('6m'),
  /** Until the target group has desired-capacity healthy targets. */
  targetGroupHealthy: duration.default('7m'),
  /** Until the service alarm is OK again after it fired (the scenario's RTO). */
  serviceAlarmOk: duration.default('8m'),
});

/** The instance-termination ("Chaos Monkey") scenario of a runbook. */
export const InstanceTermination = z.strictObject({
  /** The group whose instances may be terminated; one of fis.autoScalingGroups. */
  autoScalingGroup: z.string().min(1),
  /** Default share to terminate, percent of the in-service instances (rounded up to one instance). */
  percent: z.number().int().min(1, 'at least 1 percent').max(100, 'at most 100 percent').optional(),
  /** Default number of instances to terminate (instead of percent). */
  count: z.number().int().min(1, 'at least one instance').optional(),
  /** ELBv2 target group the group registers its instances in. */
  targetGroupArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/.+$/,
      'expected a target group ARN (arn:aws:elasticloadbalancing:…:targetgroup/…)',
    ),
  /** CloudWatch alarm saying the service is healthy when OK (e.g. HealthyHostCount below desired). */
  serviceAlarm: z.string().min(1),
  /** How long the service alarm may take to fire before "never fired" is a finding. @default 5m */
  alarmFireTimeout: duration.default('5m'),
  targets: InstanceTerminationTargets.default({ capacityRestored: '6m', targetGroupHealthy: '7m', serviceAlarmOk: '8m' }),
});

/** What `checkScenarioSections` needs of a runbook. */
interface ScenarioRunbook {
  readonly blastRadius: { readonly regions: readonly string[] };
  readonly fis?: { readonly autoScalingGroups: readonly string[] };
  readonly regionCut?: z.infer<typeof RegionCut>;
  readonly instanceTermination?: z.infer<typeof InstanceTermination>;
}

/** One cross-field issue: path and message naming the fix. */
export interface ScenarioIssue {
  readonly path: (string | number)[];
  readonly message: string;
}

/** Cross-field rules of the scenario sections (regions in the blast radius, the group in fis.autoScalingGroups, percent or count). */
export function checkScenarioSections(rb: ScenarioRunbook): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  for (const region of Object.keys(rb.regionCut?.loadBalancers ?? {})) {
    if (!rb.blastRadius.regions.includes(region))
      issues.push({
        path: ['regionCut', 'loadBalancers', region],
        message: `region ${region} is outside blastRadius.regions (${rb.blastRadius.regions.join(', ')}); add it there or fix the region`,
      });
  }
  const it = rb.instanceTermination;
  if (it) {
    const groups = rb.fis?.autoScalingGroups ?? [];
    if (!groups.includes(it.autoScalingGroup))
      issues.push({
        path: ['instanceTermination', 'autoScalingGroup'],
        message: `group ${it.autoScalingGroup} is not in fis.autoScalingGroups (${groups.join(', ') || 'none'}); add it there or fix the name`,
      });
    if (it.percent !== undefined && it.count !== undefined)
      issues.push({ path: ['instanceTermination', 'count'], message: 'give percent or count, not both' });
  }
  return issues;
}
