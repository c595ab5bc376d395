/** Placeholder: the simulated Ssm (to be implemented). */
import type { SsmApi, AwsTarget } from '../activities/aws/ports';
import type { Runbook } from '../runbooks/schema';
import type { SimAws } from './index';
import type { SimWorld } from './world';

export class SsmSim {
  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {}
  seed(_rb: Runbook): void {}
  api(_target?: Partial<AwsTarget>): SsmApi {
    throw new Error('SsmSim not implemented yet');
  }
}
