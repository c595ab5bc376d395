/** Placeholder: the simulated ElastiCache (to be implemented). */
import type { ElastiCacheApi, AwsTarget } from '../activities/aws/ports';
import type { Runbook } from '../runbooks/schema';
import type { SimAws } from './index';
import type { SimWorld } from './world';

export class ElastiCacheSim {
  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {}
  seed(_rb: Runbook): void {}
  api(_target?: Partial<AwsTarget>): ElastiCacheApi {
    throw new Error('ElastiCacheSim not implemented yet');
  }
}
