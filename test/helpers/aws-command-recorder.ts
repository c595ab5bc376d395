/**
 * Records every AWS SDK command the adapters (`activities/aws/*-adapter.ts`) send during an adapter
 * test file, and checks each one against the action list and the generated IAM policies.
 *
 * Two hooks, because aws-sdk-client-mock replaces `send` on the client instance: the `send` of
 * every SDK client class's base prototype is wrapped (moto tests, clients built by the factory),
 * and this module's {@link mockClient} wraps the mocked instance's `send` too. A command counts
 * only when an adapter file is on the calling stack, so test fixtures sent with raw clients do not.
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { FisClient } from '@aws-sdk/client-fis';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { Route53RecoveryClusterClient } from '@aws-sdk/client-route53-recovery-cluster';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient as realMockClient } from 'aws-sdk-client-mock';
import { ADAPTER_COMMANDS, PLAYBOOKS } from '../../lib/iam/aws-actions';
import { workerPolicy, type PolicyDocument } from '../../lib/iam/iam-policy';
import { loadRunbookByName } from '../../runbooks/load';
import type { Runbook } from '../../runbooks/schema';

/** IAM service prefix of each SDK client class the adapters use. */
const SERVICE_OF: ReadonlyMap<string, string> = new Map([
  ['RDSClient', 'rds'],
  ['Route53Client', 'route53'],
  ['Route53RecoveryClusterClient', 'route53-recovery-cluster'],
  ['FisClient', 'fis'],
  ['CloudWatchClient', 'cloudwatch'],
  ['SSMClient', 'ssm'],
  ['ElastiCacheClient', 'elasticache'],
  ['SecretsManagerClient', 'secretsmanager'],
  ['AutoScalingClient', 'autoscaling'],
  ['EC2Client', 'ec2'],
  ['ElasticLoadBalancingV2Client', 'elasticloadbalancing'],
  ['STSClient', 'sts'],
]);
const CLIENT_CLASSES = [
  RDSClient,
  Route53Client,
  Route53RecoveryClusterClient,
  FisClient,
  CloudWatchClient,
  SSMClient,
  ElastiCacheClient,
  SecretsManagerClient,
  AutoScalingClient,
  EC2Client,
  ElasticLoadBalancingV2Client,
];

/** One command an adapter sent. */
export interface RecordedCommand {
  /** `<IAM service prefix>:<command name>`, the key of `ADAPTER_COMMANDS`. */
  readonly key: string;
  /** The adapter file that sent it. */
  readonly adapter: string;
}

const recorded = new Map<string, RecordedCommand>();
const WRAPPED = Symbol.for('gameday.awsCommandRecorder');
const ADAPTER_FRAME = /activities[/\\]aws[/\\]([a-z0-9-]+-adapter)\.ts/;

type Send = (this: unknown, command: unknown, ...rest: unknown[]) => unknown;

function record(client: unknown, command: unknown): void {
  const adapter = ADAPTER_FRAME.exec(new Error().stack ?? '')?.[1];
  if (!adapter) return;
  const service = SERVICE_OF.get((client as object).constructor.name) ?? (client as object).constructor.name;
  const name = (command as object).constructor.name.replace(/Command$/, '');
  const key = `${service}:${name}`;
  if (!recorded.has(key)) recorded.set(key, { key, adapter });
}

function recording(send: Send): Send {
  if ((send as unknown as Record<symbol, boolean>)[WRAPPED]) return send;
  const wrapped: Send = function (this: unknown, command, ...rest) {
    record(this, command);
    return send.call(this, command, ...rest);
  };
  (wrapped as unknown as Record<symbol, boolean>)[WRAPPED] = true;
  return wrapped;
}

/** Wraps `send` of the SDK clients' base prototypes (idempotent); call once at the top of a test file. */
export function recordAdapterCommands(): void {
  for (const cls of CLIENT_CLASSES) {
    const base = Object.getPrototypeOf(cls.prototype) as { send: Send };
    base.send = recording(base.send);
  }
}

/** aws-sdk-client-mock's `mockClient`, with the mocked instance's `send` recorded too. */
export const mockClient: typeof realMockClient = ((client: Parameters<typeof realMockClient>[0]) => {
  const stub = realMockClient(client);
  const target = client as unknown as { send: Send };
  if (typeof client === 'object') target.send = recording(target.send);
  return stub;
}) as typeof realMockClient;

/** The commands recorded so far in this test file. */
export function recordedCommands(): RecordedCommand[] {
  return [...recorded.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/** True when one Allow statement of `policy` names `action` (exactly or by a trailing `*`). */
export function policyAllows(policy: PolicyDocument, action: string): boolean {
  return policy.Statement.some((s) => s.Action.some((a) => a === action || (a.endsWith('*') && action.startsWith(a.slice(0, -1)))));
}

/**
 * What is wrong with the recorded commands: any missing from the action list, and any whose IAM
 * actions the worker policy of an example runbook that enables a playbook sending it does not allow.
 */
export function uncoveredCommands(commands: readonly RecordedCommand[]): string[] {
  const examples = ['payments-prod', 'orders-prod', 'analytics-prod'].map((n) => loadRunbookByName(n));
  const payments = examples[0]!;
  // No example runbook routes with ARC: the same payments runbook with ARC routing controls.
  const arc: Runbook = {
    ...payments,
    route53: {
      ...payments.route53!,
      routing: {
        policy: 'arc',
        clusterEndpoints: ['https://aaa.route53-recovery-cluster.us-east-1.amazonaws.com/v1'],
        clusterRegion: 'us-east-1',
        routingControls: {
          'us-east-1': 'arn:aws:route53-recovery-control::111122223333:controlpanel/abc/routingcontrol/east',
          'us-west-2': 'arn:aws:route53-recovery-control::111122223333:controlpanel/abc/routingcontrol/west',
        },
      },
    },
  };
  const runbooks = [...examples, arc];
  const problems: string[] = [];
  for (const c of commands) {
    const entry = ADAPTER_COMMANDS[c.key];
    if (!entry) {
      problems.push(`${c.key} (sent by ${c.adapter}) is not in lib/iam/aws-actions.ts ADAPTER_COMMANDS`);
      continue;
    }
    // as for a worker in another account, so cross-account calls (sts:AssumeRole) are in the policy too
    const playbooks = PLAYBOOKS.filter((p) => entry.playbooks.includes(p));
    const policies = runbooks.map((rb) => workerPolicy(rb, playbooks, { workerAccount: '000000000000' }));
    const granted = policies.some((p) => entry.actions.every((a) => policyAllows(p, a)));
    if (!granted) problems.push(`${c.key}: no generated worker policy allows ${entry.actions.join(', ')}`);
  }
  return problems;
}
