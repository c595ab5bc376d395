/**
 * Activities of the preflight playbook: load and validate the runbook (the Temporal UI bypasses
 * the CLI, so validation happens here), check the blast radius, then read the steady state of
 * every resource the runbook names through the AWS ports. All of them are read-only.
 *
 * Each check activity returns `PreflightCheck[]`: a missing resource or a drifted topology is a
 * failed check saying what was expected and what was found, never an activity failure; only
 * transient errors (throttling, 5xx) throw, so Temporal retries them.
 */
import type { LoadedRunbook, PreflightCheck, RunbookRef } from '../contracts/preflight';
import { ApplicationFailure } from '@temporalio/common';
import { targetsFor } from '../lib/tiers';
import { resolvePolicedRunbook } from '../runbooks/blast-radius';
import { RunbookValidationError, type RunbookIssue } from '../runbooks/load';
import { parseDuration, type Runbook } from '../runbooks/schema';
import { classifyAwsError, redactSecrets, toApplicationFailure } from './aws/errors';
import type { ResourceRecordSet } from './aws/ports';
import type { ActivityDeps } from './deps';

export type { LoadedRunbook, PreflightCheck, RunbookRef } from '../contracts/preflight';

/** Failure type of a runbook or workflow input that does not validate (non-retryable). */
export const INVALID_RUNBOOK = 'InvalidRunbook';

/** The AWS CloudWatch metric read as the replication-lag prediction (namespace AWS/RDS). */
export const REPLICATION_LAG_METRIC = 'AuroraGlobalDBReplicationLag';

/** Window of lag datapoints judged against the RPO target, ms. */
const LAG_WINDOW_MS = 5 * 60_000;

/**
 * Runs a read; a missing resource or a denied read (classified by `activities/aws/errors.ts`)
 * becomes `{ missing: "<ErrName>: <message>" }`, a failed check. Other errors are thrown as the
 * mapped `ApplicationFailure` (throttling and 5xx retry).
 */
async function read<T>(fn: () => Promise<T>): Promise<{ value: T; missing?: undefined } | { value?: undefined; missing: string }> {
  try {
    return { value: await fn() };
  } catch (err) {
    const c = classifyAwsError(err);
    if (c.category === 'not-found' || c.category === 'auth') {
      return { missing: `${c.type}: ${redactSecrets(err instanceof Error ? err.message : String(err))}` };
    }
    throw toApplicationFailure(err);
  }
}

function check(name: string, ok: boolean, expected: string, found: string): PreflightCheck {
  return { name, ok, expected, found };
}

function invalid(issues: readonly RunbookIssue[]): ApplicationFailure {
  const err = new RunbookValidationError(issues);
  return ApplicationFailure.create({
    type: INVALID_RUNBOOK,
    message: `invalid runbook:\n${err.message}`,
    nonRetryable: true,
    details: [issues],
  });
}

/** Cluster id from an RDS cluster ARN (`arn:aws:rds:<region>:<acct>:cluster:<id>`). */
function clusterIdOf(arn: string): { id: string; region: string } {
  const parts = arn.split(':');
  return { id: parts[6] ?? arn, region: parts[3] ?? '?' };
}

function sameName(a: string, b: string): boolean {
  return a.replace(/\.$/, '').toLowerCase() === b.replace(/\.$/, '').toLowerCase();
}

function targetOf(rs: ResourceRecordSet): string {
  if (rs.aliasTarget) return rs.aliasTarget.dnsName;
  return (rs.values ?? []).join(',') || '(no value)';
}

/** Every region the runbook touches, with the field that names it. */
function regionsUsed(rb: Runbook): { region: string; field: string }[] {
  const used: { region: string; field: string }[] = [];
  if (rb.aurora) {
    used.push({ region: rb.aurora.primaryRegion, field: 'aurora.primaryRegion' });
    rb.aurora.members.forEach((m, i) => used.push({ region: m.region, field: `aurora.members.${i}.region` }));
  }
  rb.elasticache.replicationGroups.forEach((g, i) => used.push({ region: g.region, field: `elasticache.replicationGroups.${i}.region` }));
  Object.keys(rb.alarms.health).forEach((r) => used.push({ region: r, field: `alarms.health.${r}` }));
  if (rb.route53) {
    Object.keys(rb.route53.healthChecks).forEach((r) => used.push({ region: r, field: `route53.healthChecks.${r}` }));
    const routing = rb.route53.routing;
    if (routing.policy === 'weighted')
      Object.keys(routing.setIds).forEach((r) => used.push({ region: r, field: `route53.routing.setIds.${r}` }));
    if (routing.policy === 'arc') {
      used.push({ region: routing.clusterRegion, field: 'route53.routing.clusterRegion' });
      Object.keys(routing.routingControls).forEach((r) => used.push({ region: r, field: `route53.routing.routingControls.${r}` }));
    }
  }
  return used;
}

/** Creates the preflight activities bound to `deps`. */
export function createPreflightActivities(deps: ActivityDeps) {
  const log = deps.logger.child({ playbook: 'preflight' });

  return {
    /**
     * Loads and validates a runbook from a `RunbookRef` (or a bare name). Bad input fails with a
     * non-retryable `InvalidRunbook` whose message lists `file:line: path: message` per problem.
     * Makes no AWS call.
     */
    async loadRunbook(input: RunbookRef | string): Promise<LoadedRunbook> {
      const ref: unknown = typeof input === 'string' ? { runbook: input } : input;
      if (typeof ref !== 'object' || ref === null || Array.isArray(ref)) {
        throw invalid([{ file: '<input>', path: '', message: 'expected an object such as {"runbook":"payments-prod"}' }]);
      }
      const unknownKeys = Object.keys(ref).filter((k) => k !== 'runbook' && k !== 'runbookYaml');
      if (unknownKeys.length > 0) {
        throw invalid([
          {
            file: '<input>',
            path: unknownKeys[0]!,
            message: `unknown field${unknownKeys.length > 1 ? 's' : ''} ${unknownKeys.map((k) => `"${k}"`).join(', ')}: expected {"runbook":"payments-prod"}`,
          },
        ]);
      }
      const { runbook: name, runbookYaml } = ref as Record<string, unknown>;
      if (name !== undefined && typeof name !== 'string') {
        throw invalid([{ file: '<input>', path: 'runbook', message: `expected a runbook name (string), got ${typeof name}` }]);
      }
      if (runbookYaml !== undefined && typeof runbookYaml !== 'string') {
        throw invalid([{ file: '<input>', path: 'runbookYaml', message: `expected YAML text (string), got ${typeof runbookYaml}` }]);
      }
      if (!name && !runbookYaml) {
        throw invalid([{ file: '<input>', path: 'runbook', message: 'required: the runbook name, e.g. {"runbook":"payments-prod"}' }]);
      }
      try {
        const { name: loadedName, runbook } = resolvePolicedRunbook({ runbook: name, runbookYaml: runbookYaml || undefined }, deps);
        const targets = targetsFor(runbook.tier, {
          rpoMs: runbook.targets?.rpo !== undefined ? parseDuration(runbook.targets.rpo) : undefined,
          rtoMs: runbook.targets?.rto !== undefined ? parseDuration(runbook.targets.rto) : undefined,
        });
        log.info({ runbook: loadedName }, 'runbook loaded');
        return { name: loadedName, runbook, targets };
      } catch (err) {
        if (err instanceof RunbookValidationError) throw invalid(err.issues);
        throw err;
      }
    },

    /**
     * Policy checks before anything else: the account and every region the runbook names lie
     * within `blastRadius`, and the Aurora clusters carry `blastRadius.requiredTags`.
     */
    async checkBlastRadius(rb: Runbook): Promise<PreflightCheck[]> {
      const checks: PreflightCheck[] = [];
      const accounts = rb.blastRadius.accounts;
      checks.push(check('blast radius: account', accounts.includes(rb.account), `one of ${accounts.join(', ')}`, rb.account));
      const allowed = rb.blastRadius.regions;
      const outside = regionsUsed(rb).filter((u) => !allowed.includes(u.region));
      checks.push(
        check(
          'blast radius: regions',
          outside.length === 0,
          `every region within ${allowed.join(', ')}`,
          outside.length === 0 ? 'all within' : outside.map((u) => `${u.field}=${u.region}`).join(', '),
        ),
      );
      const required = Object.entries(rb.blastRadius.requiredTags);
      if (required.length > 0 && rb.aurora && outside.length === 0) {
        const wanted = required.map(([k, v]) => `${k}=${v}`).join(', ');
        for (const m of rb.aurora.members) {
          const r = await read(() => deps.aws.rds({ region: m.region, accountId: rb.account }).describeDbCluster(m.clusterId));
          const name = `blast radius: tags of cluster ${m.clusterId}`;
          if (r.missing !== undefined) {
            checks.push(check(name, false, wanted, r.missing));
            continue;
          }
          const tags = r.value.tags;
          const missing = required.filter(([k, v]) => tags[k] !== v);
          checks.push(
            check(
              name,
              missing.length === 0,
              wanted,
              missing.length === 0 ? wanted : `missing ${missing.map(([k]) => `${k}=${tags[k] ?? '(absent)'}`).join(', ')}`,
            ),
          );
        }
      }
      return checks;
    },

    /**
     * Aurora topology: the global cluster exists and is available, its members are exactly the
     * runbook's clusters, the writer is in `primaryRegion`, every member cluster and instance
     * exists, is available and sits in its AZ.
     */
    async checkAuroraTopology(rb: Runbook): Promise<PreflightCheck[]> {
      const aurora = rb.aurora;
      if (!aurora) return [];
      const checks: PreflightCheck[] = [];
      const rds = (region: string) => deps.aws.rds({ region, accountId: rb.account });
      const primary = aurora.members.find((m) => m.region === aurora.primaryRegion)!;

      if (aurora.globalClusterId) {
        const gid = aurora.globalClusterId;
        const g = await read(() => rds(aurora.primaryRegion).describeGlobalCluster(gid));
        if (g.missing !== undefined) {
          checks.push(check(`aurora: global cluster ${gid}`, false, 'exists and available', g.missing));
        } else {
          const gc = g.value;
          checks.push(
            check(
              `aurora: global cluster ${gid}`,
              gc.status === 'available' && !gc.failoverState,
              'status available, no switchover or failover in progress',
              gc.failoverState ? `status ${gc.status}, failover ${gc.failoverState.status}` : `status ${gc.status}`,
            ),
          );
          const found = gc.members.map((mem) => clusterIdOf(mem.dbClusterArn));
          const expectedIds = aurora.members.map((m) => `${m.clusterId} (${m.region})`).sort();
          const foundIds = found.map((f) => `${f.id} (${f.region})`).sort();
          checks.push(
            check(
              `aurora: members of ${gid}`,
              expectedIds.join(', ') === foundIds.join(', '),
              expectedIds.join(', '),
              foundIds.join(', ') || '(none)',
            ),
          );
          const writer = gc.members.find((mem) => mem.isWriter);
          const w = writer ? clusterIdOf(writer.dbClusterArn) : undefined;
          checks.push(
            check(
              `aurora: writer region of ${gid}`,
              w?.region === aurora.primaryRegion && w.id === primary.clusterId,
              `writer ${primary.clusterId} in ${aurora.primaryRegion} (runbook aurora.primaryRegion)`,
              w ? `writer ${w.id} in ${w.region}` : 'no writer member',
            ),
          );
          for (const mem of gc.members.filter((x) => !x.isWriter)) {
            const s = mem.synchronizationStatus;
            if (s !== undefined)
              checks.push(
                check(`aurora: replication of ${clusterIdOf(mem.dbClusterArn).id}`, s === 'connected', 'synchronization connected', s),
              );
          }
        }
      }

      for (const m of aurora.members) {
        const c = await read(() => rds(m.region).describeDbCluster(m.clusterId));
        const name = `aurora: cluster ${m.clusterId} in ${m.region}`;
        if (c.missing !== undefined) {
          checks.push(check(name, false, 'exists and available', c.missing));
          continue;
        }
        const cl = c.value;
        const inGlobal = !aurora.globalClusterId || cl.globalClusterIdentifier === aurora.globalClusterId;
        checks.push(
          check(
            name,
            cl.status === 'available' && inGlobal,
            aurora.globalClusterId ? `status available, member of ${aurora.globalClusterId}` : 'status available',
            aurora.globalClusterId ? `status ${cl.status}, member of ${cl.globalClusterIdentifier ?? '(none)'}` : `status ${cl.status}`,
          ),
        );
        if (m.region === aurora.primaryRegion && m.instances && m.instances.length > 0) {
          const writer = cl.members.find((x) => x.isClusterWriter)?.dbInstanceIdentifier;
          checks.push(
            check(
              `aurora: writer instance of ${m.clusterId}`,
              writer === m.instances[0]!.id,
              `${m.instances[0]!.id} (first of aurora.members[].instances)`,
              writer ?? '(no writer)',
            ),
          );
        }
        for (const inst of m.instances ?? []) {
          const i = await read(() => rds(m.region).describeDbInstance(inst.id));
          const iname = `aurora: instance ${inst.id}`;
          if (i.missing !== undefined) {
            checks.push(check(iname, false, `available in ${inst.az}`, i.missing));
            continue;
          }
          const di = i.value;
          checks.push(
            check(
              iname,
              di.status === 'available' && di.availabilityZone === inst.az && di.dbClusterIdentifier === m.clusterId,
              `available in ${inst.az}, in cluster ${m.clusterId}`,
              `${di.status} in ${di.availabilityZone ?? '?'}, in cluster ${di.dbClusterIdentifier ?? '?'}`,
            ),
          );
        }
      }
      return checks;
    },

    /**
     * Replication lag of every secondary of the global cluster, read from CloudWatch
     * (`AWS/RDS` `AuroraGlobalDBReplicationLag`, dimension `DBClusterIdentifier`, in the
     * secondary's region): the maximum over the last 5 minutes must be within the RPO target.
     */
    async checkReplicationLag(input: { runbook: Runbook; rpoMs: number }): Promise<PreflightCheck[]> {
      const { runbook: rb, rpoMs } = input;
      const aurora = rb.aurora;
      if (!aurora?.globalClusterId) return [];
      const checks: PreflightCheck[] = [];
      const now = deps.clock.now();
      for (const m of aurora.members.filter((x) => x.region !== aurora.primaryRegion)) {
        const name = `aurora: replication lag of ${m.clusterId}`;
        const expected = `max ${REPLICATION_LAG_METRIC} over 5 min <= ${rpoMs} ms (${rb.tier} RPO)`;
        const r = await read(() =>
          deps.aws.cloudwatch({ region: m.region, accountId: rb.account }).getMetricData({
            namespace: 'AWS/RDS',
            metricName: REPLICATION_LAG_METRIC,
            dimensions: { DBClusterIdentifier: m.clusterId },
            stat: 'Maximum',
            periodSeconds: 60,
            startTime: now - LAG_WINDOW_MS,
            endTime: now,
          }),
        );
        if (r.missing !== undefined) {
          checks.push(check(name, false, expected, r.missing));
          continue;
        }
        if (r.value.values.length === 0) {
          checks.push(check(name, false, expected, 'no datapoints in the last 5 min (metric missing: lag not measured)'));
          continue;
        }
        const max = Math.max(...r.value.values);
        checks.push(check(name, max <= rpoMs, expected, `max ${Math.round(max)} ms over ${r.value.values.length} datapoints`));
      }
      return checks;
    },

    /**
     * Traffic routing: the Route 53 records (failover PRIMARY/SECONDARY or weights) or ARC routing
     * controls send traffic to `aurora.primaryRegion`, and the health checks are healthy.
     */
    async checkTrafficRouting(rb: Runbook): Promise<PreflightCheck[]> {
      const r53 = rb.route53;
      if (!r53) return [];
      const checks: PreflightCheck[] = [];
      const primaryRegion = rb.aurora?.primaryRegion;
      const primaryCluster = rb.aurora?.members.find((m) => m.region === primaryRegion)?.clusterId;
      const route53 = deps.aws.route53({ accountId: rb.account });
      const routing = r53.routing;

      if (routing.policy === 'failover' || routing.policy === 'weighted') {
        const r = await read(() => route53.listResourceRecordSets({ hostedZoneId: r53.hostedZoneId, name: r53.recordName }));
        if (r.missing !== undefined) {
          checks.push(check(`route53: records ${r53.recordName}`, false, `records in zone ${r53.hostedZoneId}`, r.missing));
        } else {
          const sets = r.value.filter((rs) => sameName(rs.name, r53.recordName));
          const bySet = (id: string) => sets.find((rs) => rs.setIdentifier === id);
          if (routing.policy === 'failover') {
            for (const [id, role] of [
              [routing.primarySetId, 'PRIMARY'],
              [routing.secondarySetId, 'SECONDARY'],
            ] as const) {
              const rs = bySet(id);
              checks.push(
                check(
                  `route53: ${role} record ${r53.recordName} (${id})`,
                  rs?.failover === role,
                  `set ${id} with failover ${role}`,
                  rs
                    ? `set ${id} with failover ${rs.failover ?? '(none)'} → ${targetOf(rs)}`
                    : `no record set ${id} (found: ${sets.map((s) => s.setIdentifier ?? '(simple)').join(', ') || 'none'})`,
                ),
              );
            }
            const prim = bySet(routing.primarySetId);
            if (prim && primaryRegion && primaryCluster) {
              const target = targetOf(prim);
              const pointsThere = prim.region === primaryRegion || target.includes(primaryCluster) || target.includes(`.${primaryRegion}.`);
              checks.push(check(`route53: PRIMARY record target`, pointsThere, `the ${primaryRegion} cluster ${primaryCluster}`, target));
            }
          } else {
            const weights = Object.entries(routing.setIds).map(([region, id]) => ({ region, id, weight: bySet(id)?.weight }));
            const missing = weights.filter((w) => w.weight === undefined);
            const wrong = weights.filter((w) => w.weight !== undefined && (w.region === primaryRegion ? w.weight === 0 : w.weight > 0));
            const foundText = weights.map((w) => `${w.id}=${w.weight ?? '(missing)'}`).join(', ');
            checks.push(
              check(
                `route53: weights of ${r53.recordName}`,
                missing.length === 0 && wrong.length === 0,
                `all weight on ${primaryRegion ?? '?'} (${primaryRegion ? (routing.setIds[primaryRegion] ?? '?') : '?'}), 0 elsewhere`,
                foundText,
              ),
            );
          }
        }
      } else {
        const arc = deps.aws.arc({ region: routing.clusterRegion, accountId: rb.account, clusterEndpoints: routing.clusterEndpoints });
        for (const [region, arn] of Object.entries(routing.routingControls)) {
          const want = region === primaryRegion ? 'On' : 'Off';
          const s = await read(() => arc.getRoutingControlState(arn));
          checks.push(check(`arc: routing control ${region}`, s.value?.state === want, want, s.missing ?? s.value!.state));
        }
      }

      for (const [region, id] of Object.entries(r53.healthChecks)) {
        const h = await read(() => route53.getHealthCheckStatus(id));
        const name = `route53: health check ${id} (${region})`;
        if (h.missing !== undefined) checks.push(check(name, false, 'healthy', h.missing));
        else
          checks.push(
            check(
              name,
              h.value.healthy,
              'healthy',
              h.value.healthy
                ? 'healthy'
                : `unhealthy (${h.value.observations.map((o) => `${o.region}: ${o.status}`).join('; ') || 'no observations'})`,
            ),
          );
      }
      return checks;
    },

    /** Health alarms (per region) and FIS stop-condition alarms (primary region) exist and are OK. */
    async checkAlarms(rb: Runbook): Promise<PreflightCheck[]> {
      const byRegion = new Map<string, string[]>();
      for (const [region, names] of Object.entries(rb.alarms.health)) byRegion.set(region, [...names]);
      const stopRegion = rb.aurora?.primaryRegion ?? rb.blastRadius.regions[0]!;
      if (rb.alarms.stopConditions.length > 0) byRegion.set(stopRegion, [...(byRegion.get(stopRegion) ?? []), ...rb.alarms.stopConditions]);
      const checks: PreflightCheck[] = [];
      for (const [region, names] of byRegion) {
        const unique = [...new Set(names)];
        const r = await read(() => deps.aws.cloudwatch({ region, accountId: rb.account }).describeAlarms(unique));
        for (const name of unique) {
          const a = r.value?.find((x) => x.alarmName === name);
          checks.push(
            check(
              `alarm ${name} (${region})`,
              a?.stateValue === 'OK',
              'exists, state OK',
              r.missing ?? (a ? `state ${a.stateValue}${a.stateReason ? ` (${a.stateReason})` : ''}` : 'no such alarm'),
            ),
          );
        }
      }
      return checks;
    },

    /** ElastiCache replication groups exist and are available. */
    async checkCacheGroups(rb: Runbook): Promise<PreflightCheck[]> {
      const checks: PreflightCheck[] = [];
      for (const g of rb.elasticache.replicationGroups) {
        const r = await read(() => deps.aws.elasticache({ region: g.region, accountId: rb.account }).describeReplicationGroup(g.id));
        const name = `elasticache: ${g.id} (${g.region})`;
        checks.push(check(name, r.value?.status === 'available', 'exists, status available', r.missing ?? `status ${r.value!.status}`));
      }
      return checks;
    },

    /**
     * App reconfiguration target: an SSM parameter exists in the primary region and its value
     * points at the primary region (`valueTemplate` with `{{region}}`). SSM documents (automation,
     * write fencing) are not checked: the `SsmApi` port has no document lookup.
     */
    async checkAppConfiguration(rb: Runbook): Promise<PreflightCheck[]> {
      const app = rb.appReconfiguration;
      if (app?.kind !== 'ssm-parameter' || !rb.aurora) return [];
      const region = rb.aurora.primaryRegion;
      const expected = app.valueTemplate.replaceAll('{{region}}', region);
      const r = await read(() => deps.aws.ssm({ region, accountId: rb.account }).getParameter(app.name));
      const found = r.missing ?? (r.value ? r.value.value : 'no such parameter');
      return [check(`ssm: parameter ${app.name} (${region})`, r.value?.value === expected, expected, found)];
    },
  };
}
