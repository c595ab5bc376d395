/** Placeholder: the simulated CloudWatch (to be implemented). */
import type { CloudWatchApi, AwsTarget } from '../activities/aws/ports';
import type { Runbook } from '../runbooks/schema';
import type { SimAws } from './index';
import type { SimWorld } from './world';

export class CloudWatchSim {
  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {}
  seed(_rb: Runbook): void {}
  api(_target?: Partial<AwsTarget>): CloudWatchApi {
    throw new Error('CloudWatchSim not implemented yet');
  }
}
