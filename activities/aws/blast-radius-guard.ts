/**
 * The worker's blast radius at the port layer: a decorator around `AwsClients` (built once in the
 * composition root) that refuses, before the call reaches AWS or the sim, any call whose target
 * account or region, or any ARN or AWS endpoint among its arguments, lies outside the worker's
 * policy. One mechanism for every playbook, including future ones: an activity cannot reach past
 * it whatever runbook or input it was given.
 *
 * A refusal is a non-retryable `BlastRadiusViolation` naming the call, the argument and the fix.
 */
import { ApplicationFailure } from '@temporalio/common';
import { outsideScope } from '../../runbooks/aws-references';
import type { WorkerPolicy } from '../../runbooks/blast-radius';
import type { AwsClients, AwsTarget } from './ports';

/** The failure type of a refused call. */
export const BLAST_RADIUS_VIOLATION = 'BlastRadiusViolation';

const guarded = new WeakMap<AwsClients, WorkerPolicy>();

function refuse(call: string, what: string, fix: string): never {
  throw ApplicationFailure.create({
    type: BLAST_RADIUS_VIOLATION,
    nonRetryable: true,
    message: `blast radius: ${call} refused before any AWS call: ${what}; ${fix}`,
  });
}

function fixFor(policy: WorkerPolicy, what: 'account' | 'region'): string {
  const list = what === 'account' ? policy.accounts : policy.regions;
  return `the worker may act only on ${what}s ${list.join(', ')} (${policy.source}): fix the runbook or input, or have the worker's operator widen its policy`;
}

function checkTarget(policy: WorkerPolicy, call: string, target: Partial<AwsTarget> & { clusterEndpoints?: readonly string[] }): void {
  if (target.accountId !== undefined && !policy.accounts.includes(target.accountId))
    refuse(call, `target account ${target.accountId} is outside the worker's blast radius`, fixFor(policy, 'account'));
  if (target.region !== undefined && !policy.regions.includes(target.region))
    refuse(call, `target region ${target.region} is outside the worker's blast radius`, fixFor(policy, 'region'));
  for (const v of outsideScope(target.clusterEndpoints ?? [], policy, ['clusterEndpoints']))
    refuse(call, `${v.path}: endpoint in ${v.what} ${v.value} is outside the worker's blast radius`, fixFor(policy, v.what));
}

function checkArgs(policy: WorkerPolicy, call: string, args: readonly unknown[]): void {
  args.forEach((arg, i) => {
    const [v] = outsideScope(arg, policy, [`argument${i + 1}`]);
    if (v)
      refuse(
        call,
        `${v.path}: ${v.kind === 'arn' ? 'ARN' : 'endpoint'} in ${v.what} ${v.value} is outside the worker's blast radius`,
        fixFor(policy, v.what),
      );
  });
}

/** Wraps one port: every method checks the target and its arguments first. */
function guardPort<T extends object>(policy: WorkerPolicy, service: string, target: Partial<AwsTarget>, port: T): T {
  const where = [target.accountId, target.region].filter(Boolean).join('/');
  return new Proxy(port, {
    get(obj, prop, receiver) {
      const value: unknown = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function') return value;
      const call = `${service}.${String(prop)}${where ? ` (${where})` : ''}`;
      return (...args: unknown[]) => {
        try {
          checkTarget(policy, call, target);
          checkArgs(policy, call, args);
        } catch (err) {
          return Promise.reject(err); // every port method is async: refuse the way AWS would fail
        }
        return (value as (...a: unknown[]) => unknown).apply(obj, args);
      };
    },
  });
}

/** `aws` behind the worker's policy (idempotent: an already guarded client is returned as it is). */
export function guardAwsClients(aws: AwsClients, policy: WorkerPolicy): AwsClients {
  if (guarded.get(aws) === policy) return aws;
  const g: AwsClients = {
    mode: aws.mode,
    rds: (t) => guardPort(policy, 'rds', t, aws.rds(t)),
    route53: (t) => guardPort(policy, 'route53', t ?? {}, aws.route53(t)),
    arc: (t) => guardPort(policy, 'arc', t, aws.arc(t)),
    fis: (t) => guardPort(policy, 'fis', t, aws.fis(t)),
    cloudwatch: (t) => guardPort(policy, 'cloudwatch', t, aws.cloudwatch(t)),
    ssm: (t) => guardPort(policy, 'ssm', t, aws.ssm(t)),
    elasticache: (t) => guardPort(policy, 'elasticache', t, aws.elasticache(t)),
    secrets: (t) => guardPort(policy, 'secrets', t, aws.secrets(t)),
    autoscaling: (t) => guardPort(policy, 'autoscaling', t, aws.autoscaling(t)),
    ec2: (t) => guardPort(policy, 'ec2', t, aws.ec2(t)),
    elbv2: (t) => guardPort(policy, 'elbv2', t, aws.elbv2(t)),
    // DNS lookups read public records, not an AWS account's resources: nothing to scope.
    dns: () => aws.dns(),
  };
  guarded.set(g, policy);
  return g;
}
