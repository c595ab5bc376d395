/**
 * Bounds on everything a runbook carries, checked after the schema's shapes: sizes, AWS names and
 * ids by AWS's own patterns and lengths (as the API references state them), durations within
 * stated ranges, ports and rates, and an Aurora member's AZs inside its own region. Each bound is
 * a named constant here so README and the error messages state the same figure.
 *
 * Pure and synchronous; the loader (`runbooks/load.ts`) applies it to every runbook, from a file,
 * by name or from workflow input.
 */
import type { z } from 'zod';
import type { Runbook } from './schema';

/** Largest runbook accepted, in bytes of YAML text (the shipped runbooks are under 3 KiB). */
export const MAX_RUNBOOK_BYTES = 256 * 1024;
/** Deepest nesting of YAML collections (the schema itself nests 5 deep). */
export const MAX_YAML_DEPTH = 32;
/** Most alias expansions a runbook may use (`yaml`'s `maxAliasCount`; a billion-laughs bomb needs thousands). */
export const MAX_YAML_ALIASES = 50;
/** Longest runbook name (a file stem in the worker's runbook folder). */
export const MAX_RUNBOOK_NAME = 128;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Stated ranges of every duration a runbook or a workflow input carries, in ms (inclusive). */
export const DURATION_RANGES = {
  /** Approval gate of a promotion: 1 s (a gate that expires is a safe refusal) to 7 days. */
  approvalTimeout: { min: 1000, max: 7 * DAY },
  /** Tier RPO override: 0 (switchover) to 7 days. */
  rpo: { min: 0, max: 7 * DAY },
  /** Tier RTO override: 1 s to 7 days. */
  rto: { min: 1000, max: 7 * DAY },
  /** Aurora MySQL Backtrack window: AWS allows up to 72 hours. */
  backtrackWindow: { min: 0, max: 72 * HOUR },
  /** Recovery watch of an AZ-loss game day. */
  recoveryTimeout: { min: MINUTE, max: DAY },
  /** Hold per traffic-shift step. */
  holdMs: { min: 0, max: 6 * HOUR },
} as const;

/** Formats a range bound as the runbook writes durations (`15m`, `7d`). */
export function formatBound(ms: number): string {
  for (const [unit, size] of [
    ['d', DAY],
    ['h', HOUR],
    ['m', MINUTE],
    ['s', 1000],
  ] as const)
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

/** Milliseconds of `30s`, `15m`, …; `undefined` when not a duration or beyond 2^53 ms. */
export function durationMs(text: string): number | undefined {
  const m = /^(\d{1,15})(ms|s|m|h|d)$/.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * { ms: 1, s: 1000, m: MINUTE, h: HOUR, d: DAY }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** `undefined` when `text` is a duration inside `range`, else the message naming the range. */
export function durationProblem(text: string, range: { readonly min: number; readonly max: number }): string | undefined {
  const ms = durationMs(text);
  if (ms !== undefined && ms >= range.min && ms <= range.max) return undefined;
  return `expected a duration from ${formatBound(range.min)} to ${formatBound(range.max)} such as 15m, got ${preview(text)}`;
}

/** At most 60 characters of `value` for a message (a hostile value is never echoed whole). */
export function preview(value: unknown): string {
  const s = typeof value === 'string' ? value : String(JSON.stringify(value));
  return s.length > 60 ? `${JSON.stringify(s.slice(0, 60))}… (${s.length} characters)` : JSON.stringify(s);
}

/** One AWS name or id rule: a pattern, a length range and the source of the rule. */
interface NameRule {
  readonly re: RegExp;
  readonly max: number;
  /** What is expected, for the message. */
  readonly expect: string;
}

const dbIdentifier = (what: string, max = 63): NameRule => ({
  re: /^[A-Za-z](?!.*--)[0-9A-Za-z-]*(?<!-)$/,
  max,
  expect: `${what}: 1 to ${max} letters, digits or hyphens, starting with a letter, no trailing or double hyphen`,
});

/** AWS's naming rules (RDS, ElastiCache, SSM, FIS, Route 53, CloudWatch, IAM, EC2 API references). */
export const AWS_NAMES = {
  /** DBClusterIdentifier (Aurora): 1–63, letter first, no `--`, no trailing `-`. */
  dbCluster: dbIdentifier('a DB cluster identifier'),
  /** DBInstanceIdentifier: same rule, 1–63. */
  dbInstance: dbIdentifier('a DB instance identifier'),
  /** GlobalClusterIdentifier (kept to the cluster rule so derived names stay valid). */
  globalCluster: dbIdentifier('a global cluster identifier'),
  /** ReplicationGroupId (ElastiCache): 1–40, letter first, no `--`, no trailing `-`. */
  replicationGroup: dbIdentifier('a replication group id', 40),
  /** DBSubnetGroupName: ≤ 255 letters, digits, periods, underscores, spaces or hyphens, letter first, not "default". */
  dbSubnetGroup: {
    re: /^(?!default$)[A-Za-z][A-Za-z0-9._ -]*$/,
    max: 255,
    expect: 'a DB subnet group name: a letter, then letters, digits, periods, underscores, spaces or hyphens (not "default")',
  },
  /** DB instance class, e.g. db.r6g.large or db.serverless. */
  instanceClass: { re: /^db\.[a-z0-9]+(\.[a-z0-9]+)?$/, max: 32, expect: 'a DB instance class such as db.r6g.large' },
  /** SSM document name: `^[a-zA-Z0-9_\-.]{3,128}$` (CreateDocument). */
  ssmDocument: { re: /^[A-Za-z0-9_.-]{3,}$/, max: 128, expect: 'an SSM document name: 3 to 128 letters, digits, "_", "-" or "."' },
  /** SSM parameter name: a-zA-Z0-9_.- and "/" for the hierarchy, ≤ 1011 characters, ≤ 15 levels. */
  ssmParameter: {
    re: /^(?!.*(^|\/)\.\.?(\/|$))(?!.*\/\/)\/?[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,14}$/,
    max: 1011,
    expect:
      'an SSM parameter name such as /payments/prod/db-region: letters, digits, "_", "-", "." in at most 15 "/" levels, no ".." or "//"',
  },
  /** SSM Automation parameter key. */
  ssmParameterKey: { re: /^[A-Za-z0-9]+$/, max: 50, expect: 'an Automation parameter name: letters and digits' },
  /** FIS experiment template: an id (max 64, no white space) or a library template name. */
  fisTemplate: { re: /^[A-Za-z0-9_-]+$/, max: 64, expect: 'a FIS template id or library name: letters, digits, "_" or "-"' },
  /** Route 53 health check id (a UUID, ≤ 64). */
  healthCheck: { re: /^[A-Za-z0-9-]+$/, max: 64, expect: 'a Route 53 health check id' },
  /** Route 53 SetIdentifier: 1–128 printable characters. */
  setIdentifier: { re: /^[\x21-\x7e]+$/, max: 128, expect: 'a record set identifier: 1 to 128 printable characters, no spaces' },
  /** DNS name: ≤ 253 characters, labels ≤ 63. */
  dnsName: {
    re: /^(\*\.)?([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)*[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.?$/,
    max: 253,
    expect: 'a DNS name such as db.payments.example.com',
  },
  /** CloudWatch AlarmName: 1–255, printable, no shell metacharacters. */
  alarm: {
    re: /^[^\p{Cc};&|$`<>\\"'{}]+$/u,
    max: 255,
    expect: 'an alarm name: printable characters without ; & | $ ` < > \\ " \' { }',
  },
  /** Auto Scaling group name: 1–255, printable, no shell metacharacters. */
  autoScalingGroup: {
    re: /^[^\p{Cc};&|$`<>\\"'{}*?]+$/u,
    max: 255,
    expect: 'an Auto Scaling group name: printable characters without shell metacharacters',
  },
  /** Tag key (1–128) and value (0–256): letters, digits, spaces and _ . : / = + - @. */
  tagKey: { re: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, max: 128, expect: 'a tag key: letters, digits, spaces and _ . : / = + - @' },
  tagValue: { re: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, max: 256, expect: 'a tag value: letters, digits, spaces and _ . : / = + - @' },
  /** IAM role ARN (FIS experiment role). */
  roleArn: {
    re: /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/,
    max: 2048,
    expect: 'an IAM role ARN such as arn:aws:iam::111122223333:role/gameday-fis',
  },
  /** EC2 subnet ARN. */
  subnetArn: {
    re: /^arn:aws[a-z-]*:ec2:[a-z0-9-]+:\d{12}:subnet\/subnet-[0-9a-f]{8,17}$/,
    max: 2048,
    expect: 'an EC2 subnet ARN such as arn:aws:ec2:us-east-1:111122223333:subnet/subnet-0abc1234',
  },
  /** Any other ARN (Secrets Manager secret, routing control, policy ARNs). */
  arn: { re: /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:[^\s\p{Cc}]+$/u, max: 2048, expect: 'an ARN' },
  /** Host name of a database endpoint. */
  hostname: {
    re: /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/,
    max: 253,
    expect: 'a host name',
  },
  /** PostgreSQL / MySQL database name. */
  database: { re: /^[A-Za-z_][A-Za-z0-9_$]*$/, max: 63, expect: 'a database name: a letter or "_", then letters, digits, "_" or "$"' },
  /** Free text (environment, approver, check name): printable, no control characters. */
  label: { re: /^[^\p{Cc}]+$/u, max: 128, expect: 'printable text without control characters' },
  /** Runbook environment, used in workflow ids and resource names. */
  environment: { re: /^[A-Za-z0-9][A-Za-z0-9_-]*$/, max: 32, expect: 'an environment such as prod: letters, digits, "_" or "-"' },
} as const satisfies Record<string, NameRule>;

/** Most entries a runbook list or map may hold (members, alarms, checks, …). */
export const MAX_LIST = {
  accounts: 50,
  regions: 30,
  tags: 50,
  /** Aurora global database: a primary and up to 10 secondaries. */
  members: 11,
  /** Aurora cluster: a writer and up to 15 replicas. */
  instances: 16,
  replicationGroups: 20,
  alarms: 100,
  approvers: 50,
  templates: 50,
  autoScalingGroups: 50,
  subnets: 50,
  checks: 50,
  steps: 20,
  endpoints: 5,
  parameters: 50,
  values: 10,
} as const;

/** Longest SQL of a restore check, and longest SSM parameter value (a standard parameter holds 4 KB). */
export const MAX_SQL_BYTES = 16 * 1024;
/** Longest value template of an SSM parameter (standard tier: 4 KB). */
export const MAX_SSM_VALUE = 4096;
/** Longest value of one SSM Automation parameter. */
export const MAX_AUTOMATION_VALUE = 512;

/** Why `value` breaks `rule`, or `undefined`. */
export function nameProblem(value: string, rule: NameRule): string | undefined {
  if (value.length === 0) return `expected ${rule.expect}, got an empty string`;
  if (value.length > rule.max) return `expected ${rule.expect}, at most ${rule.max} characters; got ${value.length}`;
  return rule.re.test(value) ? undefined : `expected ${rule.expect}; got ${preview(value)}`;
}

/** A path and a message (a zod issue without its code). */
export interface BoundIssue {
  readonly path: (string | number)[];
  readonly message: string;
}

/** Every bound `rb` breaks (empty = within bounds). */
export function runbookBoundIssues(rb: Runbook): BoundIssue[] {
  const out: BoundIssue[] = [];
  const name = (value: string | undefined, rule: NameRule, path: (string | number)[]): void => {
    if (value === undefined) return;
    const p = nameProblem(value, rule);
    if (p) out.push({ path, message: p });
  };
  const list = (items: readonly unknown[] | Record<string, unknown>, max: number, path: (string | number)[]): void => {
    const n = Array.isArray(items) ? items.length : Object.keys(items).length;
    if (n > max) out.push({ path, message: `at most ${max} entries; got ${n}: split the runbook or remove entries` });
  };
  const duration = (value: string | undefined, range: { min: number; max: number }, path: (string | number)[]): void => {
    if (value === undefined) return;
    const p = durationProblem(value, range);
    if (p) out.push({ path, message: p });
  };

  name(rb.environment, AWS_NAMES.environment, ['environment']);
  duration(rb.targets?.rpo, DURATION_RANGES.rpo, ['targets', 'rpo']);
  duration(rb.targets?.rto, DURATION_RANGES.rto, ['targets', 'rto']);
  list(rb.blastRadius.accounts, MAX_LIST.accounts, ['blastRadius', 'accounts']);
  list(rb.blastRadius.regions, MAX_LIST.regions, ['blastRadius', 'regions']);
  tags(rb.blastRadius.requiredTags, ['blastRadius', 'requiredTags'], name, list);
  auroraBounds(rb, out, name, list, duration);
  route53Bounds(rb, out, name, list);
  list(rb.elasticache.replicationGroups, MAX_LIST.replicationGroups, ['elasticache', 'replicationGroups']);
  rb.elasticache.replicationGroups.forEach((g, i) => name(g.id, AWS_NAMES.replicationGroup, ['elasticache', 'replicationGroups', i, 'id']));
  list(rb.alarms.stopConditions, MAX_LIST.alarms, ['alarms', 'stopConditions']);
  rb.alarms.stopConditions.forEach((a, i) => name(a, AWS_NAMES.alarm, ['alarms', 'stopConditions', i]));
  for (const [region, alarms] of Object.entries(rb.alarms.health)) {
    list(alarms, MAX_LIST.alarms, ['alarms', 'health', region]);
    alarms.forEach((a, i) => name(a, AWS_NAMES.alarm, ['alarms', 'health', region, i]));
  }
  canaryBounds(rb, out, name);
  appBounds(rb, out, name, list);
  name(rb.writeFencing?.documentName, AWS_NAMES.ssmDocument, ['writeFencing', 'documentName']);
  duration(rb.approval.timeout, DURATION_RANGES.approvalTimeout, ['approval', 'timeout']);
  list(rb.approval.approvers, MAX_LIST.approvers, ['approval', 'approvers']);
  rb.approval.approvers.forEach((a, i) => name(a, AWS_NAMES.label, ['approval', 'approvers', i]));
  fisBounds(rb, out, name, list);
  if (rb.restore) {
    name(rb.restore.sourceClusterId, AWS_NAMES.dbCluster, ['restore', 'sourceClusterId']);
    list(rb.restore.checks, MAX_LIST.checks, ['restore', 'checks']);
    rb.restore.checks.forEach((c, i) => {
      name(c.name, AWS_NAMES.label, ['restore', 'checks', i, 'name']);
      if (Buffer.byteLength(c.sql) > MAX_SQL_BYTES)
        out.push({
          path: ['restore', 'checks', i, 'sql'],
          message: `at most ${MAX_SQL_BYTES} bytes of SQL; got ${Buffer.byteLength(c.sql)}`,
        });
      if (c.min !== undefined && !Number.isFinite(c.min))
        out.push({ path: ['restore', 'checks', i, 'min'], message: 'expected a finite number' });
    });
  }
  return out;
}

type NameFn = (value: string | undefined, rule: NameRule, path: (string | number)[]) => void;
type ListFn = (items: readonly unknown[] | Record<string, unknown>, max: number, path: (string | number)[]) => void;
type DurationFn = (value: string | undefined, range: { min: number; max: number }, path: (string | number)[]) => void;

function tags(t: Record<string, string>, path: (string | number)[], name: NameFn, list: ListFn): void {
  list(t, MAX_LIST.tags, path);
  for (const [k, v] of Object.entries(t)) {
    name(k, AWS_NAMES.tagKey, [...path, k]);
    if (v.length > 0) name(v, AWS_NAMES.tagValue, [...path, k]);
  }
}

function auroraBounds(rb: Runbook, out: BoundIssue[], name: NameFn, list: ListFn, duration: DurationFn): void {
  const a = rb.aurora;
  if (!a) return;
  name(a.globalClusterId, AWS_NAMES.globalCluster, ['aurora', 'globalClusterId']);
  list(a.members, MAX_LIST.members, ['aurora', 'members']);
  a.members.forEach((m, i) => {
    name(m.clusterId, AWS_NAMES.dbCluster, ['aurora', 'members', i, 'clusterId']);
    list(m.instances ?? [], MAX_LIST.instances, ['aurora', 'members', i, 'instances']);
    (m.instances ?? []).forEach((inst, j) => {
      name(inst.id, AWS_NAMES.dbInstance, ['aurora', 'members', i, 'instances', j, 'id']);
      if (!new RegExp(`^${m.region}[a-z]$`).test(inst.az))
        out.push({
          path: ['aurora', 'members', i, 'instances', j, 'az'],
          message: `AZ ${preview(inst.az)} is not in the member's region ${m.region}; use an AZ such as ${m.region}a`,
        });
    });
  });
  name(a.restoreSubnetGroup, AWS_NAMES.dbSubnetGroup, ['aurora', 'restoreSubnetGroup']);
  name(a.restoreInstanceClass, AWS_NAMES.instanceClass, ['aurora', 'restoreInstanceClass']);
  duration(a.backtrackWindow, DURATION_RANGES.backtrackWindow, ['aurora', 'backtrackWindow']);
}

function route53Bounds(rb: Runbook, out: BoundIssue[], name: NameFn, list: ListFn): void {
  const r = rb.route53;
  if (!r) return;
  name(r.recordName, AWS_NAMES.dnsName, ['route53', 'recordName']);
  for (const [region, id] of Object.entries(r.healthChecks)) name(id, AWS_NAMES.healthCheck, ['route53', 'healthChecks', region]);
  const routing = r.routing;
  const p = ['route53', 'routing'];
  if (routing.policy === 'failover') {
    name(routing.primarySetId, AWS_NAMES.setIdentifier, [...p, 'primarySetId']);
    name(routing.secondarySetId, AWS_NAMES.setIdentifier, [...p, 'secondarySetId']);
  } else if (routing.policy === 'weighted') {
    for (const [region, id] of Object.entries(routing.setIds)) name(id, AWS_NAMES.setIdentifier, [...p, 'setIds', region]);
    list(routing.steps, MAX_LIST.steps, [...p, 'steps']);
  } else {
    list(routing.clusterEndpoints, MAX_LIST.endpoints, [...p, 'clusterEndpoints']);
    routing.clusterEndpoints.forEach((e, i) => {
      if (!/^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~-]+)*\/?$/.test(e) || e.length > 2048)
        out.push({
          path: [...p, 'clusterEndpoints', i],
          message: `expected an ARC cluster endpoint URL such as https://host.example.com/v1 (https, no user-info, query or spaces); got ${preview(e)}`,
        });
    });
    for (const [region, arn] of Object.entries(routing.routingControls)) name(arn, AWS_NAMES.arn, [...p, 'routingControls', region]);
  }
}

function canaryBounds(rb: Runbook, out: BoundIssue[], name: NameFn): void {
  const c = rb.canary;
  if (!c) return;
  name(c.endpoint, AWS_NAMES.hostname, ['canary', 'endpoint']);
  if (c.port !== undefined && (c.port < 1 || c.port > 65535))
    out.push({ path: ['canary', 'port'], message: `expected a TCP port from 1 to 65535, got ${c.port}` });
  name(c.database, AWS_NAMES.database, ['canary', 'database']);
  name(c.secretArn, AWS_NAMES.arn, ['canary', 'secretArn']);
  if (c.table.length > 63)
    out.push({ path: ['canary', 'table'], message: `at most 63 characters (a SQL identifier); got ${c.table.length}` });
  if (!(c.ratePerSecond >= 0.1 && c.ratePerSecond <= 100))
    out.push({ path: ['canary', 'ratePerSecond'], message: `expected 0.1 to 100 writes per second, got ${c.ratePerSecond}` });
}

function appBounds(rb: Runbook, out: BoundIssue[], name: NameFn, list: ListFn): void {
  const app = rb.appReconfiguration;
  if (!app) return;
  if (app.kind === 'ssm-parameter') {
    name(app.name, AWS_NAMES.ssmParameter, ['appReconfiguration', 'name']);
    if (/^\/?(aws|ssm)/i.test(app.name))
      out.push({ path: ['appReconfiguration', 'name'], message: 'SSM reserves names starting with "aws" or "ssm"; choose another name' });
    if (app.valueTemplate.length > MAX_SSM_VALUE)
      out.push({
        path: ['appReconfiguration', 'valueTemplate'],
        message: `at most ${MAX_SSM_VALUE} characters (a standard SSM parameter); got ${app.valueTemplate.length}`,
      });
    return;
  }
  name(app.documentName, AWS_NAMES.ssmDocument, ['appReconfiguration', 'documentName']);
  list(app.parameters, MAX_LIST.parameters, ['appReconfiguration', 'parameters']);
  for (const [k, values] of Object.entries(app.parameters)) {
    name(k, AWS_NAMES.ssmParameterKey, ['appReconfiguration', 'parameters', k]);
    list(values, MAX_LIST.values, ['appReconfiguration', 'parameters', k]);
    values.forEach((v, i) => {
      if (v.length > MAX_AUTOMATION_VALUE)
        out.push({
          path: ['appReconfiguration', 'parameters', k, i],
          message: `at most ${MAX_AUTOMATION_VALUE} characters; got ${v.length}`,
        });
    });
  }
}

function fisBounds(rb: Runbook, out: BoundIssue[], name: NameFn, list: ListFn): void {
  const f = rb.fis;
  if (!f) return;
  name(f.roleArn, AWS_NAMES.roleArn, ['fis', 'roleArn']);
  name(f.targetTag.key, AWS_NAMES.tagKey, ['fis', 'targetTag', 'key']);
  name(f.targetTag.value, AWS_NAMES.tagValue, ['fis', 'targetTag', 'value']);
  list(f.templates, MAX_LIST.templates, ['fis', 'templates']);
  f.templates.forEach((t, i) => name(t, AWS_NAMES.fisTemplate, ['fis', 'templates', i]));
  list(f.autoScalingGroups, MAX_LIST.autoScalingGroups, ['fis', 'autoScalingGroups']);
  f.autoScalingGroups.forEach((g, i) => name(g, AWS_NAMES.autoScalingGroup, ['fis', 'autoScalingGroups', i]));
  for (const [az, arns] of Object.entries(f.subnetArns)) {
    if (!/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/.test(az))
      out.push({ path: ['fis', 'subnetArns', az], message: `expected an AZ such as us-east-1a as the key; got ${preview(az)}` });
    list(arns, MAX_LIST.subnets, ['fis', 'subnetArns', az]);
    arns.forEach((a, i) => name(a, AWS_NAMES.subnetArn, ['fis', 'subnetArns', az, i]));
  }
  f.policy.allowedArns.forEach((a, i) => name(a, AWS_NAMES.arn, ['fis', 'policy', 'allowedArns', i]));
  const max = f.policy.maxDuration;
  if (max !== undefined) {
    const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(max);
    const s = m ? Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) : NaN;
    if (!(s >= 1 && s <= 12 * 3600))
      out.push({ path: ['fis', 'policy', 'maxDuration'], message: `expected PT1S to PT12H (FIS's longest action), got ${preview(max)}` });
  }
}

/** Adds every bound issue of `rb` to a zod refinement context (used by the loader's bounded schema). */
export function addBoundIssues(rb: Runbook, ctx: z.core.$RefinementCtx<Runbook>): void {
  for (const i of runbookBoundIssues(rb)) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
}
