/**
 * Contract of the SDK adapters the region-cut and instance-termination scenarios added, against
 * moto (real EC2, ELBv2 and FIS emulators over HTTP): EC2 DescribeInstances (state, AZ, tags) and
 * TerminateInstances; ELBv2 DescribeLoadBalancers and DescribeTargetHealth; FIS
 * DeleteExperimentTemplate (through the region cut's create/delete activities, which find the
 * template by its run tag). Every command sent is checked against the generated IAM policy.
 */
import { EC2Client, RunInstancesCommand, CreateVpcCommand, CreateSubnetCommand } from '@aws-sdk/client-ec2';
import {
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { createSdkAwsClients } from '../activities/aws/client-factory';
import type { ActivityDeps } from '../activities/deps';
import { createRegionCutActivities } from '../activities/region-cut';
import { planRegionCut } from '../activities/region-cut/prepare-region-cut';
import { realClock } from '../lib/clock';
import { createLogger } from '../lib/logger';
import { DEFAULT_RUNBOOK_DIR } from '../runbooks/load';
import { recordAdapterCommands, recordedCommands, uncoveredCommands } from './helpers/aws-command-recorder';
import { startMoto, useFakeAwsCredentials, type MotoServer } from './helpers/moto';

recordAdapterCommands();

const REGION = 'us-east-1';
let moto: MotoServer;
let restoreEnv: () => void;
let aws: ReturnType<typeof createSdkAwsClients>;

beforeAll(async () => {
  restoreEnv = useFakeAwsCredentials();
  moto = await startMoto();
  aws = createSdkAwsClients({ endpoint: moto.endpoint, maxAttempts: 1 });
}, 60_000);

afterAll(async () => {
  await moto?.stop();
  restoreEnv?.();
});

async function runInstances(n: number, tags: Record<string, string>): Promise<string[]> {
  const raw = new EC2Client({ region: REGION, endpoint: moto.endpoint, maxAttempts: 1 });
  const r = await raw.send(
    new RunInstancesCommand({
      ImageId: 'ami-12c6146b',
      InstanceType: 't3.micro',
      MinCount: n,
      MaxCount: n,
      TagSpecifications: [{ ResourceType: 'instance', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }],
    }),
  );
  raw.destroy();
  return (r.Instances ?? []).map((i) => i.InstanceId!);
}

describe('EC2 adapter', () => {
  it('describes instances with state, AZ and tags, and terminates them', async () => {
    const ids = await runInstances(2, { gameday: 'allowed', 'aws:autoscaling:groupName': 'payments-api' });
    const ec2 = aws.ec2({ region: REGION });
    const before = await ec2.describeInstances(ids);
    expect(before.map((i) => i.instanceId).sort()).toEqual([...ids].sort());
    expect(before.every((i) => i.state === 'running' && i.tags.gameday === 'allowed' && i.availabilityZone?.startsWith(REGION))).toBe(true);
    const t = await ec2.terminateInstances([ids[0]!]);
    expect(t).toEqual([{ instanceId: ids[0], state: expect.stringMatching(/shutting-down|terminated/) }]);
    const after = await ec2.describeInstances(ids);
    expect(after.find((i) => i.instanceId === ids[0])!.state).toMatch(/shutting-down|terminated/);
    expect(after.find((i) => i.instanceId === ids[1])!.state).toBe('running');
  });

  it('fails an unknown instance id with InvalidInstanceID.NotFound, like AWS', async () => {
    const err = await aws
      .ec2({ region: REGION })
      .describeInstances(['i-0123456789abcdef0'])
      .catch((e: unknown) => e);
    expect((err as Error).name).toMatch(/InvalidInstanceID/);
  });
});

describe('ELBv2 adapter', () => {
  it('describes load balancers by name and the health of a target group', async () => {
    const ec2 = new EC2Client({ region: REGION, endpoint: moto.endpoint, maxAttempts: 1 });
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    const subnets = await Promise.all(
      ['a', 'b'].map((l, i) =>
        ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: `10.0.${i}.0/24`, AvailabilityZone: `${REGION}${l}` })),
      ),
    );
    ec2.destroy();
    const raw = new ElasticLoadBalancingV2Client({ region: REGION, endpoint: moto.endpoint, maxAttempts: 1 });
    await raw.send(new CreateLoadBalancerCommand({ Name: 'payments-use1-alb', Subnets: subnets.map((s) => s.Subnet!.SubnetId!) }));
    const tg = await raw.send(new CreateTargetGroupCommand({ Name: 'payments-api', Protocol: 'HTTP', Port: 80, VpcId: vpc.Vpc!.VpcId! }));
    const arn = tg.TargetGroups![0]!.TargetGroupArn!;
    const ids = await runInstances(2, { gameday: 'allowed' });
    await raw.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: ids.map((Id) => ({ Id })) }));
    raw.destroy();
    const elb = aws.elbv2({ region: REGION });
    const lbs = await elb.describeLoadBalancers(['payments-use1-alb']);
    expect(lbs).toEqual([expect.objectContaining({ name: 'payments-use1-alb', state: expect.any(String) })]);
    const health = await elb.describeTargetHealth(arn);
    expect(health.map((h) => h.targetId).sort()).toEqual([...ids].sort());
    expect(health.every((h) => typeof h.state === 'string' && h.state.length > 0)).toBe(true);
  });
});

describe('region-cut template activities (FIS adapter, DeleteExperimentTemplate)', () => {
  it('creates the run template once, finds it by its run tag, and deletes it (twice is harmless)', async () => {
    const deps = {
      aws,
      clock: realClock,
      logger: createLogger({ level: 'warn', name: 'test-scenario-moto' }),
      runbookDir: DEFAULT_RUNBOOK_DIR,
    } as unknown as ActivityDeps; // these activities never use the canary connector
    const acts = createRegionCutActivities(deps);
    const plan = planRegionCut({ runbook: 'payments-prod' }, 'wf-moto-1', DEFAULT_RUNBOOK_DIR);
    const created = await acts.createRegionCutTemplate({ plan, workflowId: 'wf-moto-1' });
    expect(created.action).toBe('created');
    expect(await acts.createRegionCutTemplate({ plan, workflowId: 'wf-moto-1' })).toEqual({ id: created.id, action: 'found' });
    expect(await acts.deleteRegionCutTemplate({ plan, workflowId: 'wf-moto-1' })).toEqual({ deleted: [created.id] });
    expect(await acts.deleteRegionCutTemplate({ plan, workflowId: 'wf-moto-1' })).toEqual({ deleted: [] });
    const left = await aws.fis({ region: REGION, accountId: plan.account }).listExperimentTemplates();
    expect(left.filter((t) => t.tags?.['gameday-run'] === 'wf-moto-1')).toEqual([]);
  });
});

describe('IAM policy coverage', () => {
  it('gameday iam-policy allows every AWS command the adapters sent in this file', () => {
    const keys = recordedCommands().map((c) => c.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'ec2:DescribeInstances',
        'ec2:TerminateInstances',
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeTargetHealth',
        'fis:DeleteExperimentTemplate',
      ]),
    );
    expect(uncoveredCommands(recordedCommands())).toEqual([]);
  });
});
