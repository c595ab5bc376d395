/** Placeholder: the simulated Rds (to be implemented). */
import type { RdsApi, AwsTarget } from '../activities/aws/ports';
import type { Runbook } from '../runbooks/schema';
import type { SimAws } from './index';
import type { SimWorld } from './world';

export class RdsSim {
  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {}
  seed(_rb: Runbook): void {}
  api(_target?: Partial<AwsTarget>): RdsApi {
    throw new Error('RdsSim not implemented yet');
  }
}
