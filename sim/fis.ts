/**
 * The simulated AWS FIS: experiment templates (validated against the action and resource-type
 * catalogue of aws-dr-api.md §7), experiments going pending → initiating → running → completed
 * (or stopping → stopped, or failed), actions honouring `startAfter` and ISO-8601 durations, and
 * actions that change the simulated world: AZ impairment (RDS, ElastiCache, EC2), in-region Aurora
 * failover, EC2 stop with ASG replacement, capacity errors, cross-region isolation, SSM automation.
 * Stop conditions: an alarm of the experiment going ALARM (CloudWatchSim) stops it at that instant.
 * Every fault is undone when its action ends, and when the experiment stops or fails.
 */
import type {
  AwsTarget,
  FisAction,
  FisActionState,
  FisApi,
  FisExperiment,
  FisExperimentTemplate,
  FisExperimentTemplateInput,
  FisTarget,
} from '../activities/aws/ports';
import type { Runbook } from '../runbooks/schema';
import { Ec2Fleet, type SimEc2Resource } from './ec2';
import type { SimAws } from './index';
import { randomId, rdsHooks } from './region-health';
import { SimAwsError, type SimWorld } from './world';


interface ActionSpec {
  readonly targetKey?: string;
  readonly resourceType?: string;
  readonly required: readonly string[];
  readonly optional: readonly string[];
}

/** Supported actions: target key, target resource type, parameters. */
const ACTIONS: Readonly<Record<string, ActionSpec>> = {
  'aws:fis:wait': { required: ['duration'], optional: [] },
  'aws:ec2:stop-instances': { targetKey: 'Instances', resourceType: 'aws:ec2:instance', required: [], optional: ['startInstancesAfterDuration', 'completeIfInstancesTerminated'] },
  'aws:ec2:api-insufficient-instance-capacity-error': { targetKey: 'Roles', resourceType: 'aws:iam:role', required: ['duration', 'availabilityZoneIdentifiers'], optional: ['percentage'] },
  'aws:ec2:asg-insufficient-instance-capacity-error': { targetKey: 'AutoScalingGroups', resourceType: 'aws:ec2:autoscaling-group', required: ['duration', 'availabilityZoneIdentifiers'], optional: ['percentage'] },
  'aws:network:disrupt-connectivity': { targetKey: 'Subnets', resourceType: 'aws:ec2:subnet', required: ['duration'], optional: ['scope', 'prefixListIdentifier'] },
  'aws:rds:failover-db-cluster': { targetKey: 'Clusters', resourceType: 'aws:rds:cluster', required: [], optional: [] },
  'aws:rds:reboot-db-instances': { targetKey: 'DBInstances', resourceType: 'aws:rds:db', required: [], optional: ['forceFailover'] },
  'aws:elasticache:replicationgroup-interrupt-az-power': { targetKey: 'ReplicationGroups', resourceType: 'aws:elasticache:replicationgroup', required: ['duration'], optional: [] },
  'aws:elasticache:interrupt-cluster-az-power': { targetKey: 'ReplicationGroups', resourceType: 'aws:elasticache:replicationgroup', required: ['duration'], optional: [] },
  'aws:ebs:pause-volume-io': { targetKey: 'Volumes', resourceType: 'aws:ec2:ebs-volume', required: ['duration'], optional: [] },
  'aws:arc:start-zonal-autoshift': { targetKey: 'ManagedResources', resourceType: 'aws:arc:zonal-shift-managed-resource', required: ['duration', 'availabilityZoneIdentifier'], optional: ['managedResourceTypes', 'zonalAutoshiftStatus'] },
  'aws:network:route-table-disrupt-cross-region-connectivity': { targetKey: 'Subnets', resourceType: 'aws:ec2:subnet', required: ['region', 'duration'], optional: [] },
  'aws:network:transit-gateway-disrupt-cross-region-connectivity': { targetKey: 'TransitGateways', resourceType: 'aws:ec2:transit-gateway', required: ['region', 'duration'], optional: [] },
  'aws:ssm:start-automation-execution': { required: ['documentArn'], optional: ['documentVersion', 'documentParameters', 'maxDuration'] },
  'aws:cloudwatch:assert-alarm-state': { required: ['alarmArns', 'alarmStates'], optional: [] },
};

/** Parameters that are ISO-8601 durations. */
const DURATION_PARAMS = new Set(['duration', 'startInstancesAfterDuration', 'maxDuration']);

/** Target resource types FIS knows (aws-dr-api.md §7.1). */
const RESOURCE_TYPES = new Set([
  'aws:arc:zonal-shift-managed-resource', 'aws:dsql:cluster', 'aws:dynamodb:global-table', 'aws:ec2:autoscaling-group', 'aws:ec2:ebs-volume',
  'aws:ec2:instance', 'aws:ec2:spot-instance', 'aws:ec2:subnet', 'aws:ec2:transit-gateway', 'aws:ec2:vpc-endpoint', 'aws:ecs:cluster', 'aws:ecs:task',
  'aws:eks:cluster', 'aws:eks:nodegroup', 'aws:eks:pod', 'aws:elasticache:replicationgroup', 'aws:iam:role', 'aws:kinesis:stream', 'aws:lambda:function',
  'aws:memorydb:multi-region-cluster', 'aws:rds:cluster', 'aws:rds:db', 'aws:s3:bucket',
]);

/** Parses an ISO-8601 duration (`PT30M`, `PT1H30M`, `PT90S`, `P1D`) into ms; undefined if malformed. */
export function parseIsoDuration(text: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [, d, h, min, s] = m;
  return ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Number(s ?? 0) * 1000;
}

/** Name of the alarm in a stop-condition value (an alarm ARN, or a bare name). */
function alarmNameOf(value: string): { name: string; region?: string } {
  const m = /^arn:aws[a-z-]*:cloudwatch:([a-z0-9-]+):\d{12}:alarm:(.+)$/.exec(value);
  return m ? { name: m[2]!, region: m[1]! } : { name: value };
}

const invalid = (message: string): never => {
  throw new SimAwsError('ValidationException', message, 400);
};

/** Validates a template; throws `ValidationException` naming the field and the problem. */
export function validateTemplate(t: FisExperimentTemplateInput): void {
  if (typeof t.description !== 'string' || t.description.length > 512) invalid('description: required, at most 512 characters');
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(t.roleArn ?? '')) invalid(`roleArn: ${t.roleArn} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
  const actions = Object.entries(t.actions ?? {});
  if (actions.length === 0) invalid('actions: at least one action is required');
  if (!Array.isArray(t.stopConditions) || t.stopConditions.length === 0) invalid('stopConditions: at least one is required (use {source: "none"} for none)');
  for (const [i, sc] of t.stopConditions.entries()) {
    if (sc.source === 'none') continue;
    if (sc.source !== 'aws:cloudwatch:alarm') invalid(`stopConditions[${i}].source: ${sc.source} is invalid: expected aws:cloudwatch:alarm or none`);
    if (!/^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\d{12}:alarm:.+$/.test(sc.value ?? '')) invalid(`stopConditions[${i}].value: ${sc.value} is not a CloudWatch alarm ARN`);
  }
  for (const [name, target] of Object.entries(t.targets ?? {})) {
    if (!RESOURCE_TYPES.has(target.resourceType)) invalid(`targets.${name}.resourceType: ${target.resourceType} is not a supported resource type`);
    if (!/^(ALL|COUNT\(\d+\)|PERCENT\(\d+\))$/.test(target.selectionMode ?? '')) invalid(`targets.${name}.selectionMode: ${target.selectionMode} is invalid: expected ALL, COUNT(n) or PERCENT(n)`);
    const arns = target.resourceArns ?? [];
    const hasTags = Object.keys(target.resourceTags ?? {}).length > 0;
    if (arns.length > 0 && (hasTags || (target.filters ?? []).length > 0)) invalid(`targets.${name}: resourceArns cannot be combined with resourceTags or filters`);
    if (arns.length > 5) invalid(`targets.${name}.resourceArns: at most 5 ARNs`);
    if (arns.length === 0 && !hasTags && Object.keys(target.parameters ?? {}).length === 0) invalid(`targets.${name}: give resourceArns, resourceTags or parameters`);
    if (target.resourceType === 'aws:elasticache:replicationgroup' && !target.parameters?.['availabilityZoneIdentifier']) {
      invalid(`targets.${name}.parameters.availabilityZoneIdentifier: required for aws:elasticache:replicationgroup`);
    }
  }
  const names = new Set(actions.map(([n]) => n));
  for (const [name, a] of actions) {
    const spec = ACTIONS[a.actionId];
    if (!spec) invalid(`actions.${name}.actionId: ${a.actionId} is not a supported action`);
    const params = a.parameters ?? {};
    for (const p of spec!.required) if (params[p] === undefined) invalid(`actions.${name}.parameters.${p}: required by ${a.actionId}`);
    for (const [p, v] of Object.entries(params)) {
      if (!spec!.required.includes(p) && !spec!.optional.includes(p)) invalid(`actions.${name}.parameters.${p}: not a parameter of ${a.actionId}`);
      if (DURATION_PARAMS.has(p) && parseIsoDuration(v) === undefined) invalid(`actions.${name}.parameters.${p}: ${v} is not an ISO-8601 duration such as PT30M`);
    }
    const keys = Object.keys(a.targets ?? {});
    if (spec!.targetKey) {
      if (keys.length !== 1 || keys[0] !== spec!.targetKey) invalid(`actions.${name}.targets: ${a.actionId} takes exactly the target key ${spec!.targetKey}`);
      const targetName = a.targets![spec!.targetKey!]!;
      const target = t.targets?.[targetName];
      if (!target) invalid(`actions.${name}.targets.${spec!.targetKey}: no target named ${targetName}`);
      if (target!.resourceType !== spec!.resourceType) invalid(`targets.${targetName}.resourceType: ${target!.resourceType} does not match ${a.actionId}, which needs ${spec!.resourceType}`);
    } else if (keys.length > 0) {
      invalid(`actions.${name}.targets: ${a.actionId} takes no targets`);
    }
    for (const after of a.startAfter ?? []) {
      if (after === name || !names.has(after)) invalid(`actions.${name}.startAfter: ${after} is not another action of this template`);
    }
  }
  // startAfter must not form a cycle.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (n: string): void => {
    if (state.get(n) === 'done') return;
    if (state.get(n) === 'visiting') invalid(`actions.${n}.startAfter: forms a cycle`);
    state.set(n, 'visiting');
    for (const after of t.actions[n]?.startAfter ?? []) visit(after);
    state.set(n, 'done');
  };
  for (const n of names) visit(n);
}

interface ActionRun {
  readonly name: string;
  readonly def: FisAction;
  status: string;
  reason?: string;
  startTime?: number;
  endTime?: number;
  /** Undoes the action's fault (once). */
  undo?: () => void;
}

interface Experiment {
  readonly id: string;
  readonly template: FisExperimentTemplate;
  readonly region: string;
  readonly account: string;
  readonly clientToken: string;
  readonly tags: Readonly<Record<string, string>>;
  status: string;
  reason?: string;
  readonly actions: Map<string, ActionRun>;
  /** Resolved targets: target name → resources (or a resolution error). */
  targets: Map<string, ResolvedResource[]>;
  resolutionError?: string;
  readonly startTime: number;
  endTime?: number;
}

interface ResolvedResource {
  readonly id: string;
  readonly arn: string;
  readonly availabilityZones: readonly string[];
}

const ACTIVE = new Set(['pending', 'initiating', 'running']);

/** The simulated FIS. */
export class FisSim {
  /** EC2 instances, ASGs, subnets and volumes that FIS actions target. */
  readonly ec2: Ec2Fleet;
  private readonly templates = new Map<string, FisExperimentTemplate & { region: string }>();
  private readonly templateTokens = new Map<string, string>();
  private readonly experiments = new Map<string, Experiment>();
  private readonly experimentTokens = new Map<string, string>();
  /** Refcounted holds: `az|region|az`, `region|region`, `cache|region|az`. */
  private readonly holds = new Map<string, number>();
  private listening = false;

  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {
    this.ec2 = new Ec2Fleet(sim);
  }

  /** Creates the EC2 resources (ASGs, subnets) FIS can target for this runbook. */
  seed(rb: Runbook): void {
    this.ec2.seed(rb);
    this.listen();
  }

  /** Whether a FIS action currently isolates or impairs `region`. */
  isRegionImpaired(region: string): boolean {
    return (this.holds.get(`region|${region}`) ?? 0) > 0;
  }

  /** Whether a FIS action currently impairs `az` (network or power). */
  isAzImpaired(region: string, az: string): boolean {
    return (this.holds.get(`az|${region}|${az}`) ?? 0) > 0;
  }

  /** The FisApi port of one region. */
  api(target?: Partial<AwsTarget>): FisApi {
    this.listen();
    const region = target?.region ?? 'us-east-1';
    const account = target?.accountId ?? 'default';
    const call = <T>(op: string, fn: () => T | Promise<T>): Promise<T> => this.world.call(account, 'fis', op, () => {
        // A regional control plane in an impaired region answers 500 (see SimWorld.impairedRegions).
        this.world.assertRegionReachable('fis', region);
        return fn();
      });
    return {
      createExperimentTemplate: (input) =>
        call('createExperimentTemplate', () => {
          const { clientToken, ...rest } = input;
          if (!clientToken || /\s/.test(clientToken) || clientToken.length > 1024) invalid('clientToken: 1-1024 characters without whitespace');
          const prior = this.templateTokens.get(`${account}|${region}|${clientToken}`);
          if (prior) return this.templateView(this.templates.get(prior)!);
          validateTemplate(rest);
          const id = randomId(this.sim, 'EXT', 14);
          this.templates.set(id, { ...structuredClone(rest), id, region });
          this.templateTokens.set(`${account}|${region}|${clientToken}`, id);
          this.world.record({ service: 'fis', resource: id, event: 'experiment-template-created', detail: { description: rest.description } });
          return this.templateView(this.templates.get(id)!);
        }),
      updateExperimentTemplate: (id, input) =>
        call('updateExperimentTemplate', () => {
          this.template(region, id);
          validateTemplate(input);
          this.templates.set(id, { ...structuredClone(input), id, region });
          this.world.record({ service: 'fis', resource: id, event: 'experiment-template-updated' });
          return this.templateView(this.templates.get(id)!);
        }),
      getExperimentTemplate: (id) => call('getExperimentTemplate', () => this.templateView(this.template(region, id))),
      listExperimentTemplates: () =>
        call('listExperimentTemplates', () => [...this.templates.values()].filter((t) => t.region === region).map((t) => this.templateView(t))),
      startExperiment: (input) => call('startExperiment', () => this.start(region, account, input)),
      getExperiment: (id) => call('getExperiment', () => this.view(this.experiment(region, id))),
      stopExperiment: (id) =>
        call('stopExperiment', () => {
          const e = this.experiment(region, id);
          if (!ACTIVE.has(e.status)) invalid(`Experiment ${id} is ${e.status} and cannot be stopped`);
          this.halt(e, 'stopped', 'Experiment stopped by user', 'experiment-stopped');
          return this.view(e);
        }),
    };
  }

  // ---------------------------------------------------------------- lifecycle

  private async start(region: string, account: string, input: { experimentTemplateId: string; clientToken: string; tags?: Readonly<Record<string, string>> }): Promise<FisExperiment> {
    if (!input.clientToken || /\s/.test(input.clientToken) || input.clientToken.length > 1024) invalid('clientToken: 1-1024 characters without whitespace');
    const tokenKey = `${account}|${region}|${input.clientToken}`;
    const prior = this.experimentTokens.get(tokenKey);
    if (prior) {
      const e = this.experiments.get(prior)!;
      if (e.template.id !== input.experimentTemplateId) {
        throw new SimAwsError('ConflictException', `clientToken ${input.clientToken} was already used to start an experiment from template ${e.template.id}`, 409);
      }
      return this.view(e);
    }
    const template = this.template(region, input.experimentTemplateId);
    const now = this.world.now();
    const e: Experiment = {
      id: randomId(this.sim, 'EXP', 14),
      template: structuredClone(template),
      region,
      account,
      clientToken: input.clientToken,
      tags: { ...(input.tags ?? {}) },
      status: 'pending',
      actions: new Map(Object.entries(template.actions).map(([name, def]) => [name, { name, def, status: 'pending' }])),
      targets: new Map(),
      startTime: now,
    };
    this.experiments.set(e.id, e);
    this.experimentTokens.set(tokenKey, e.id);
    this.world.record({ service: 'fis', resource: e.id, event: 'experiment-pending', at: now, detail: { templateId: template.id } });
    // FIS resolves targets while initiating; the sim resolves them now (it may call the RDS port) and acts on them then.
    try {
      e.targets = await this.resolveTargets(e);
    } catch (err) {
      e.resolutionError = err instanceof Error ? err.message : String(err);
    }
    const initiatingAt = now + this.world.between(1_000, 2_000);
    const runningAt = initiatingAt + this.world.between(2_000, 4_000);
    this.world.schedule(initiatingAt, () => {
      if (!this.setStatus(e, 'pending', 'initiating', initiatingAt)) return;
      const alarm = this.alarmInAlarm(e);
      if (alarm) this.halt(e, 'stopped', `Experiment stopped by stop condition: alarm ${alarm} is in ALARM`, 'experiment-stopped-by-condition', initiatingAt);
    });
    this.world.schedule(runningAt, () => {
      if (e.status !== 'initiating') return;
      if (e.resolutionError) return this.fail(e, `Target resolution failed: ${e.resolutionError}`, runningAt);
      if (!this.setStatus(e, 'initiating', 'running', runningAt)) return;
      this.startReadyActions(e, runningAt);
    });
    return this.view(e);
  }

  private setStatus(e: Experiment, from: string, to: string, at: number, reason?: string): boolean {
    if (e.status !== from) return false;
    e.status = to;
    e.reason = reason;
    this.world.record({ service: 'fis', resource: e.id, event: `experiment-${to}`, at, ...(reason ? { detail: { reason } } : {}) });
    return true;
  }

  private setActionStatus(e: Experiment, a: ActionRun, to: string, at: number, reason?: string): void {
    a.status = to;
    a.reason = reason;
    if (to === 'running') a.startTime = at;
    if (['completed', 'stopped', 'failed', 'cancelled', 'skipped'].includes(to)) a.endTime = at;
    this.world.record({ service: 'fis', resource: `${e.id}/${a.name}`, event: `action-${to}`, at, detail: { actionId: a.def.actionId, ...(reason ? { reason } : {}) } });
  }

  /** Starts every pending action whose `startAfter` actions have all completed; completes the experiment when all are done. */
  private startReadyActions(e: Experiment, at: number): void {
    if (e.status !== 'running') return;
    for (const a of e.actions.values()) {
      if (a.status !== 'pending') continue;
      if ((a.def.startAfter ?? []).every((n) => e.actions.get(n)?.status === 'completed')) this.runAction(e, a, at);
    }
    if ([...e.actions.values()].every((a) => a.status === 'completed')) {
      e.endTime = at;
      this.setStatus(e, 'running', 'completed', at, 'Experiment completed.');
    }
  }

  private finishAction(e: Experiment, a: ActionRun, at: number): void {
    if (a.status !== 'running' || e.status !== 'running') return;
    a.undo?.();
    a.undo = undefined;
    this.setActionStatus(e, a, 'completed', at);
    this.startReadyActions(e, at);
  }

  private failAction(e: Experiment, a: ActionRun, reason: string, at: number): void {
    if (a.status !== 'running' || e.status !== 'running') return;
    a.undo?.();
    a.undo = undefined;
    this.setActionStatus(e, a, 'failed', at, reason);
    this.fail(e, `Action ${a.name} failed: ${reason}`, at);
  }

  /** Ends an experiment as failed: running actions stopped (faults undone), pending ones cancelled. */
  private fail(e: Experiment, reason: string, at: number): void {
    if (!ACTIVE.has(e.status)) return;
    this.unwind(e, at);
    e.endTime = at;
    e.status = 'failed';
    e.reason = reason;
    this.world.record({ service: 'fis', resource: e.id, event: 'experiment-failed', at, detail: { reason } });
  }

  /** stopping now → `final` 2–5 s later, with every fault undone; `event` names the final record. */
  private halt(e: Experiment, final: 'stopped', reason: string, event: string, at = this.world.now()): void {
    if (!ACTIVE.has(e.status)) return;
    e.status = 'stopping';
    e.reason = reason;
    this.world.record({ service: 'fis', resource: e.id, event: 'experiment-stopping', at, detail: { reason } });
    for (const a of e.actions.values()) if (a.status === 'running') this.setActionStatus(e, a, 'stopping', at);
    const stoppedAt = at + this.world.between(2_000, 5_000);
    this.world.schedule(stoppedAt, () => {
      this.unwind(e, stoppedAt);
      e.status = final;
      e.endTime = stoppedAt;
      this.world.record({ service: 'fis', resource: e.id, event, at: stoppedAt, detail: { reason } });
    });
  }

  private unwind(e: Experiment, at: number): void {
    for (const a of e.actions.values()) {
      if (a.status === 'running' || a.status === 'stopping') {
        a.undo?.();
        a.undo = undefined;
        this.setActionStatus(e, a, 'stopped', at);
      } else if (a.status === 'pending') {
        this.setActionStatus(e, a, 'cancelled', at);
      }
    }
  }

  // ---------------------------------------------------------------- stop conditions

  private listen(): void {
    if (this.listening || !this.sim.cloudwatchSim) return;
    this.listening = true;
    this.sim.cloudwatchSim.onStateChange((t) => {
      if (t.to !== 'ALARM') return;
      for (const e of this.experiments.values()) {
        if (e.status !== 'initiating' && e.status !== 'running') continue;
        const hit = e.template.stopConditions.some((sc) => {
          if (sc.source !== 'aws:cloudwatch:alarm' || !sc.value) return false;
          const a = alarmNameOf(sc.value);
          return a.name === t.alarmName && (a.region ?? t.region) === t.region;
        });
        if (hit) this.halt(e, 'stopped', `Experiment stopped by stop condition: alarm ${t.alarmName} is in ALARM`, 'experiment-stopped-by-condition', t.at);
      }
    });
  }

  private alarmInAlarm(e: Experiment): string | undefined {
    for (const sc of e.template.stopConditions) {
      if (sc.source !== 'aws:cloudwatch:alarm' || !sc.value) continue;
      const a = alarmNameOf(sc.value);
      let state: string | undefined;
      try {
        state = this.sim.cloudwatchSim.alarmState(a.name, a.region);
      } catch {
        state = undefined; // ambiguous name without region: not an ALARM we can attribute
      }
      if (state === 'ALARM') return a.name;
    }
    return undefined;
  }

  // ---------------------------------------------------------------- actions

  private durationOf(a: ActionRun, param = 'duration'): number | undefined {
    const v = a.def.parameters?.[param];
    return v === undefined ? undefined : parseIsoDuration(v);
  }

  private resources(e: Experiment, a: ActionRun): ResolvedResource[] {
    const spec = ACTIONS[a.def.actionId]!;
    const targetName = spec.targetKey ? a.def.targets?.[spec.targetKey] : undefined;
    return targetName ? (e.targets.get(targetName) ?? []) : [];
  }

  private targetParam(e: Experiment, a: ActionRun, name: string): string | undefined {
    const spec = ACTIONS[a.def.actionId]!;
    const targetName = spec.targetKey ? a.def.targets?.[spec.targetKey] : undefined;
    return targetName ? e.template.targets[targetName]?.parameters?.[name] : undefined;
  }

  /** Acquires a refcounted hold; `on` runs for the first holder, and the returned release runs `off` for the last. */
  private hold(key: string, on: () => void, off: () => void): () => void {
    const n = this.holds.get(key) ?? 0;
    this.holds.set(key, n + 1);
    if (n === 0) on();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.holds.get(key) ?? 1) - 1;
      if (left <= 0) {
        this.holds.delete(key);
        off();
      } else this.holds.set(key, left);
    };
  }

  /** Impairs an AZ: RDS (writer there fails over), ElastiCache (primary there fails over), launches blocked. */
  private holdAz(region: string, az: string, cause: string): () => void {
    const rds = rdsHooks(this.sim);
    return this.hold(
      `az|${region}|${az}`,
      () => {
        this.world.record({ service: 'fis', resource: az, event: 'az-impaired', detail: { region, cause } });
        rds.impairAz?.(region, az);
        this.ec2.blockLaunches(region, [az]);
      },
      () => {
        rds.restoreAz?.(region, az);
        this.ec2.unblockLaunches(region, [az]);
        this.world.record({ service: 'fis', resource: az, event: 'az-restored', detail: { region, cause } });
      },
    );
  }

  private holdCachePower(region: string, az: string, groupIds?: readonly string[]): () => void {
    const cache = this.sim.elasticacheSim;
    return this.hold(
      // One key per AZ: power comes back only when the last action holding it ends.
      `cache|${region}|${az}`,
      () => cache.interruptAzPower(region, az, groupIds),
      () => cache.restoreAzPower(region, az),
    );
  }

  private holdRegion(region: string, cause: string): () => void {
    const rds = rdsHooks(this.sim);
    return this.hold(
      `region|${region}`,
      () => {
        this.world.record({ service: 'fis', resource: region, event: 'region-isolated', detail: { cause } });
        rds.impairRegion?.(region);
      },
      () => {
        rds.restoreRegion?.(region);
        this.world.record({ service: 'fis', resource: region, event: 'region-restored', detail: { cause } });
      },
    );
  }

  private runAction(e: Experiment, a: ActionRun, at: number): void {
    this.setActionStatus(e, a, 'running', at);
    const done = (afterMs: number): void => {
      const t = at + afterMs;
      this.world.schedule(t, () => this.finishAction(e, a, t));
    };
    const failLater = (reason: string): void => {
      const t = this.world.now();
      this.world.schedule(t, () => this.failAction(e, a, reason, t));
    };
    const duration = this.durationOf(a) ?? 0;
    const region = e.region;
    const targets = this.resources(e, a);
    const undos: (() => void)[] = [];
    a.undo = () => undos.splice(0).forEach((u) => u());
    const azsOf = (list: readonly ResolvedResource[]): string[] => [...new Set(list.flatMap((r) => r.availabilityZones))];
    const record = (event: string, detail: Record<string, unknown>): void => this.world.record({ service: 'fis', resource: `${e.id}/${a.name}`, event, at, detail });

    switch (a.def.actionId) {
      case 'aws:fis:wait':
        return done(duration);
      case 'aws:ec2:stop-instances': {
        const ids = targets.map((r) => r.id);
        this.ec2.stopInstances(ids);
        const restartAfter = this.durationOf(a, 'startInstancesAfterDuration');
        if (restartAfter === undefined) return done(this.world.between(20_000, 40_000));
        undos.push(() => this.ec2.startInstances(ids));
        return done(restartAfter);
      }
      case 'aws:ec2:api-insufficient-instance-capacity-error':
      case 'aws:ec2:asg-insufficient-instance-capacity-error': {
        const azs = (a.def.parameters?.['availabilityZoneIdentifiers'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
        this.ec2.blockLaunches(region, azs);
        record('launches-blocked', { azs });
        undos.push(() => this.ec2.unblockLaunches(region, azs));
        return done(duration);
      }
      case 'aws:network:disrupt-connectivity': {
        const scope = a.def.parameters?.['scope'] ?? 'all';
        if (scope === 'all' || scope === 'availability-zone') {
          for (const az of azsOf(targets)) {
            undos.push(this.holdAz(region, az, 'network'));
            undos.push(this.holdCachePower(region, az));
          }
        } else record('connectivity-disrupted', { scope, subnets: targets.map((r) => r.id) });
        return done(duration);
      }
      case 'aws:rds:failover-db-cluster': {
        const rds = this.rdsFor(e);
        for (const c of targets) {
          rds.failoverDbCluster({ dbClusterIdentifier: c.id }).catch((err: unknown) => failLater(`FailoverDBCluster ${c.id}: ${(err as Error).name}: ${(err as Error).message}`));
        }
        return done(this.world.between(5_000, 10_000));
      }
      case 'aws:rds:reboot-db-instances': {
        const force = a.def.parameters?.['forceFailover'] === 'true';
        const rds = this.rdsFor(e);
        for (const i of targets) {
          record('db-instance-rebooted', { dbInstanceIdentifier: i.id, forceFailover: force });
          if (!force) continue;
          rds
            .describeDbInstance(i.id)
            .then(async (inst) => {
              if (!inst.dbClusterIdentifier) return;
              const cluster = await rds.describeDbCluster(inst.dbClusterIdentifier);
              if (cluster.members.some((m) => m.dbInstanceIdentifier === i.id && m.isClusterWriter)) {
                await rds.failoverDbCluster({ dbClusterIdentifier: cluster.dbClusterIdentifier });
              }
            })
            .catch((err: unknown) => failLater(`RebootDBInstance ${i.id}: ${(err as Error).name}: ${(err as Error).message}`));
        }
        return done(this.world.between(10_000, 20_000));
      }
      case 'aws:elasticache:replicationgroup-interrupt-az-power':
      case 'aws:elasticache:interrupt-cluster-az-power': {
        const az = this.targetParam(e, a, 'availabilityZoneIdentifier')!;
        undos.push(this.holdCachePower(region, az, targets.map((r) => r.id)));
        return done(duration);
      }
      case 'aws:ebs:pause-volume-io':
        record('volume-io-paused', { volumes: targets.map((r) => r.id) });
        undos.push(() => this.world.record({ service: 'fis', resource: `${e.id}/${a.name}`, event: 'volume-io-resumed', detail: { volumes: targets.map((r) => r.id) } }));
        return done(duration);
      case 'aws:arc:start-zonal-autoshift': {
        const az = a.def.parameters?.['availabilityZoneIdentifier'];
        record('zonal-shift-started', { awayFrom: az, resources: targets.map((r) => r.id) });
        undos.push(() => this.world.record({ service: 'fis', resource: `${e.id}/${a.name}`, event: 'zonal-shift-ended', detail: { awayFrom: az } }));
        return done(duration);
      }
      case 'aws:network:route-table-disrupt-cross-region-connectivity':
      case 'aws:network:transit-gateway-disrupt-cross-region-connectivity': {
        const isolated = a.def.parameters?.['region'] ?? '';
        undos.push(this.holdRegion(isolated, `cross-region connectivity from ${region} disrupted`));
        return done(duration);
      }
      case 'aws:ssm:start-automation-execution':
        return this.runAutomation(e, a, at);
      case 'aws:cloudwatch:assert-alarm-state': {
        const want = (a.def.parameters?.['alarmStates'] ?? '').split(',').map((s) => s.trim());
        for (const arn of (a.def.parameters?.['alarmArns'] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
          const { name, region: r } = alarmNameOf(arn);
          const state = this.sim.cloudwatchSim.alarmState(name, r);
          if (!state || !want.includes(state)) {
            this.world.schedule(at, () => this.failAction(e, a, `alarm ${name} is ${state ?? 'absent'}, expected ${want.join(' or ')}`, at));
            return;
          }
        }
        return done(0);
      }
      default:
        this.world.schedule(at, () => this.failAction(e, a, `action ${a.def.actionId} is not simulated`, at));
    }
  }

  private runAutomation(e: Experiment, a: ActionRun, at: number): void {
    const p = a.def.parameters ?? {};
    let params: Record<string, readonly string[]> = {};
    try {
      const raw = JSON.parse(p['documentParameters'] ?? '{}') as Record<string, unknown>;
      params = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : [String(v)]]));
    } catch {
      this.world.schedule(at, () => this.failAction(e, a, 'documentParameters is not valid JSON', at));
      return;
    }
    let id: string;
    try {
      id = this.sim.ssmSim.startExecution(e.region, p['documentArn']!, params);
    } catch (err) {
      this.world.schedule(at, () => this.failAction(e, a, `${(err as Error).name}: ${(err as Error).message}`, at));
      return;
    }
    const deadline = at + (this.durationOf(a, 'maxDuration') ?? 3_600_000);
    a.undo = () => this.sim.ssmSim.cancelExecution(id);
    const check = (t: number): void => {
      if (a.status !== 'running') return;
      const x = this.sim.ssmSim.executionStatus(id);
      if (x?.status === 'Success') {
        const end = x.endTime ?? t;
        a.undo = undefined;
        return this.finishAction(e, a, Math.max(end, at));
      }
      if (x && ['Failed', 'Cancelled', 'TimedOut'].includes(x.status)) {
        a.undo = undefined;
        return this.failAction(e, a, `automation ${id} ended ${x.status}${x.failureMessage ? `: ${x.failureMessage}` : ''}`, x.endTime ?? t);
      }
      if (t >= deadline) return this.failAction(e, a, `automation ${id} did not finish within maxDuration`, t);
      this.world.schedule(t + 5_000, () => check(t + 5_000));
    };
    this.world.schedule(at + 5_000, () => check(at + 5_000));
  }

  // ---------------------------------------------------------------- targets

  private async candidates(e: Experiment, target: FisTarget): Promise<(ResolvedResource & { tags: Readonly<Record<string, string>>; attributes: Readonly<Record<string, string>> })[]> {
    const region = e.region;
    const fromEc2 = (list: SimEc2Resource[]) => list.map((r) => ({ id: r.id, arn: r.arn, availabilityZones: r.availabilityZones, tags: r.tags, attributes: r.attributes }));
    switch (target.resourceType) {
      case 'aws:ec2:instance':
        return fromEc2(this.ec2.instanceResources(region));
      case 'aws:ec2:autoscaling-group':
      case 'aws:arc:zonal-shift-managed-resource':
        return fromEc2(this.ec2.asgResources(region));
      case 'aws:ec2:subnet':
        return fromEc2(this.ec2.subnetResources(region));
      case 'aws:ec2:ebs-volume':
        return fromEc2(this.ec2.volumeResources(region));
      case 'aws:elasticache:replicationgroup':
        return this.sim.elasticacheSim.list(region).map((g) => ({ id: g.id, arn: g.arn, availabilityZones: g.availabilityZones, tags: g.tags, attributes: {} }));
      case 'aws:rds:cluster': {
        const rds = this.rdsFor(e);
        const clusters = await rds.listDbClusters();
        const instances = await rds.listDbInstances();
        return clusters.map((c) => {
          const writer = c.members.find((m) => m.isClusterWriter)?.dbInstanceIdentifier;
          const writerAz = instances.find((i) => i.dbInstanceIdentifier === writer)?.availabilityZone;
          return { id: c.dbClusterIdentifier, arn: c.dbClusterArn, availabilityZones: writerAz ? [writerAz] : [], tags: c.tags, attributes: { Engine: c.engine } };
        });
      }
      case 'aws:rds:db': {
        const rds = this.rdsFor(e);
        return (await rds.listDbInstances()).map((i) => ({
          id: i.dbInstanceIdentifier,
          arn: i.dbInstanceArn ?? `arn:aws:rds:${region}:${e.account}:db:${i.dbInstanceIdentifier}`,
          availabilityZones: i.availabilityZone ? [i.availabilityZone] : [],
          tags: i.tags,
          attributes: {},
        }));
      }
      default:
        // Resources the sim does not model (IAM roles, transit gateways, …): the given ARNs, as they are.
        return (target.resourceArns ?? []).map((arn) => ({ id: arn.split(/[/:]/).pop()!, arn, availabilityZones: [], tags: {}, attributes: {} }));
    }
  }

  /** The RDS port FIS uses on the customer's behalf (its calls land in the experiment's account, as in CloudTrail). */
  private rdsFor(e: Experiment) {
    return this.sim.rdsSim.api({ region: e.region, ...(e.account !== 'default' ? { accountId: e.account } : {}) });
  }

  private async resolveTargets(e: Experiment): Promise<Map<string, ResolvedResource[]>> {
    const used = new Set<string>();
    for (const a of Object.values(e.template.actions)) for (const t of Object.values(a.targets ?? {})) used.add(t);
    const out = new Map<string, ResolvedResource[]>();
    for (const name of used) {
      const target = e.template.targets[name]!;
      const all = await this.candidates(e, target);
      let picked = all;
      if (target.resourceArns?.length) {
        const missing = target.resourceArns.filter((arn) => !all.some((r) => r.arn === arn));
        if (missing.length > 0) throw new Error(`target ${name}: resources not found: ${missing.join(', ')}`);
        picked = all.filter((r) => target.resourceArns!.includes(r.arn));
      }
      const tags = Object.entries(target.resourceTags ?? {});
      picked = picked.filter((r) => tags.every(([k, v]) => r.tags[k] === v));
      for (const f of target.filters ?? []) picked = picked.filter((r) => f.values.some((v) => (r.attributes[f.path] ?? '').split(',').includes(v)));
      const azParam = target.parameters?.['availabilityZoneIdentifier'] ?? target.parameters?.['availabilityZoneIdentifiers'] ?? target.parameters?.['writerAvailabilityZoneIdentifiers'];
      if (azParam && azParam !== 'all') {
        const azs = azParam.split(',').map((s) => s.trim());
        picked = picked.filter((r) => r.availabilityZones.some((az) => azs.includes(az)));
        // The action acts on the named AZ only (e.g. a subnet set, an interrupted AZ), not the resource's other AZs.
        picked = picked.map((r) => ({ ...r, availabilityZones: r.availabilityZones.filter((az) => azs.includes(az)) }));
      }
      const mode = /^(ALL|COUNT|PERCENT)(?:\((\d+)\))?$/.exec(target.selectionMode)!;
      if (mode[1] === 'COUNT') picked = picked.slice(0, Number(mode[2]));
      if (mode[1] === 'PERCENT') picked = picked.slice(0, Math.max(1, Math.floor((picked.length * Number(mode[2])) / 100)));
      if (picked.length === 0) throw new Error(`target ${name} (${target.resourceType}) resolved to no resources`);
      out.set(name, picked.map((r) => ({ id: r.id, arn: r.arn, availabilityZones: r.availabilityZones })));
    }
    return out;
  }

  // ---------------------------------------------------------------- views

  private template(region: string, id: string): FisExperimentTemplate & { region: string } {
    const t = this.templates.get(id);
    if (!t || t.region !== region) throw new SimAwsError('ResourceNotFoundException', `Experiment template ${id} not found in ${region}`, 404);
    return t;
  }

  private templateView(t: FisExperimentTemplate & { region: string }): FisExperimentTemplate {
    const { region: _region, ...rest } = t;
    return structuredClone(rest);
  }

  private experiment(region: string, id: string): Experiment {
    const e = this.experiments.get(id);
    if (!e || e.region !== region) throw new SimAwsError('ResourceNotFoundException', `Experiment ${id} not found in ${region}`, 404);
    return e;
  }

  private view(e: Experiment): FisExperiment {
    const actions: Record<string, FisActionState> = {};
    for (const a of e.actions.values()) {
      actions[a.name] = {
        status: a.status,
        ...(a.reason ? { reason: a.reason } : {}),
        ...(a.startTime !== undefined ? { startTime: a.startTime } : {}),
        ...(a.endTime !== undefined ? { endTime: a.endTime } : {}),
      };
    }
    return {
      id: e.id,
      experimentTemplateId: e.template.id,
      state: { status: e.status, ...(e.reason ? { reason: e.reason } : {}) },
      actions,
      stopConditions: structuredClone(e.template.stopConditions),
      startTime: e.startTime,
      ...(e.endTime !== undefined ? { endTime: e.endTime } : {}),
      tags: { ...e.tags },
    };
  }
}
