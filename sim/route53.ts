/** Placeholder: the simulated Route53 (to be implemented). */
import type { Route53Api, AwsTarget } from '../activities/aws/ports';
import type { Runbook } from '../runbooks/schema';
import type { SimAws } from './index';
import type { SimWorld } from './world';

export class Route53Sim {
  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {}
  seed(_rb: Runbook): void {}
  api(_target?: Partial<AwsTarget>): Route53Api {
    throw new Error('Route53Sim not implemented yet');
  }
}
