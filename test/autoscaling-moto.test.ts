/**
 * Contract of the Auto Scaling SDK adapter against moto (a real Auto Scaling emulator over HTTP):
 * a group created with the raw SDK client (launch configuration + group across two AZs) reads back
 * through `createSdkAwsClients().autoscaling(…)` with its capacity, AZs and per-instance lifecycle
 * and health; an instance marked Unhealthy maps to `Unhealthy`; an unknown name (AWS answers an
 * empty list) fails with `AutoScalingGroupNotFound`, classified not-found and non-retryable.
 */
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  SetInstanceHealthCommand,
} from '@aws-sdk/client-auto-scaling';
import { createSdkAwsClients } from '../activities/aws/client-factory';
import { classifyAwsError } from '../activities/aws/errors';
import type { AutoScalingApi } from '../activities/aws/ports';
import { startMoto, useFakeAwsCredentials, type MotoServer } from './helpers/moto';
import { recordAdapterCommands, recordedCommands, uncoveredCommands } from './helpers/aws-command-recorder';

recordAdapterCommands();

const REGION = 'us-east-1';
let moto: MotoServer;
let restoreEnv: () => void;
let raw: AutoScalingClient;
let api: AutoScalingApi;

beforeAll(async () => {
  restoreEnv = useFakeAwsCredentials();
  moto = await startMoto();
  raw = new AutoScalingClient({ region: REGION, endpoint: moto.endpoint, maxAttempts: 1 });
  api = createSdkAwsClients({ endpoint: moto.endpoint, maxAttempts: 1 }).autoscaling({ region: REGION });
}, 60_000);

afterAll(async () => {
  raw?.destroy();
  await moto?.stop();
  restoreEnv?.();
});

beforeEach(async () => {
  await moto.reset();
});

async function createGroup(name: string, azs: string[], desired: number): Promise<void> {
  await raw.send(
    new CreateLaunchConfigurationCommand({ LaunchConfigurationName: `${name}-lc`, ImageId: 'ami-12c6146b', InstanceType: 't3.micro' }),
  );
  await raw.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      LaunchConfigurationName: `${name}-lc`,
      MinSize: desired,
      MaxSize: desired * 2,
      DesiredCapacity: desired,
      AvailabilityZones: azs,
    }),
  );
}

describe('Auto Scaling adapter against moto', () => {
  it('maps a group: capacity, AZs, and each instance InService and Healthy in one of the AZs', async () => {
    await createGroup('payments-api', ['us-east-1a', 'us-east-1b'], 2);
    const g = await api.describeAutoScalingGroup('payments-api');
    expect(g).toMatchObject({ name: 'payments-api', desiredCapacity: 2, minSize: 2, maxSize: 4 });
    expect([...g.availabilityZones].sort()).toEqual(['us-east-1a', 'us-east-1b']);
    expect(g.instances).toHaveLength(2);
    for (const i of g.instances) {
      expect(i.instanceId).toMatch(/^i-[0-9a-f]+$/);
      expect(['us-east-1a', 'us-east-1b']).toContain(i.availabilityZone);
      expect(i.lifecycleState).toBe('InService');
      expect(i.healthStatus).toBe('Healthy');
    }
  });

  it('reads an instance the group marked Unhealthy as Unhealthy, and only the group asked for', async () => {
    await createGroup('orders-api', ['us-east-1a', 'us-east-1c'], 2);
    await createGroup('other-api', ['us-east-1b'], 1);
    const before = await api.describeAutoScalingGroup('orders-api');
    const victim = before.instances[0]!.instanceId;
    await raw.send(new SetInstanceHealthCommand({ InstanceId: victim, HealthStatus: 'Unhealthy', ShouldRespectGracePeriod: false }));
    const after = await api.describeAutoScalingGroup('orders-api');
    expect(after.name).toBe('orders-api');
    expect(after.instances.find((i) => i.instanceId === victim)?.healthStatus).toBe('Unhealthy');
    expect(after.instances.filter((i) => i.instanceId !== victim).every((i) => i.healthStatus === 'Healthy')).toBe(true);
    expect(after.instances.every((i) => i.availabilityZone !== 'us-east-1b')).toBe(true);
  });

  it('fails an unknown group name with AutoScalingGroupNotFound (not-found, non-retryable)', async () => {
    await createGroup('payments-api', ['us-east-1a'], 1);
    const err = await api.describeAutoScalingGroup('no-such-group').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('AutoScalingGroupNotFound');
    expect((err as Error).message).toMatch(/no-such-group not found in us-east-1/);
    expect(classifyAwsError(err)).toMatchObject({ type: 'AutoScalingGroupNotFound', category: 'not-found', retryable: false });
  });
});

describe('IAM policy coverage', () => {
  it('gameday iam-policy allows every AWS command the adapters sent in this file', () => {
    expect(recordedCommands().length).toBeGreaterThan(0);
    expect(uncoveredCommands(recordedCommands())).toEqual([]);
  });
});
