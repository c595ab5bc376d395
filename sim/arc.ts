/** Placeholder: the simulated Arc (to be implemented). */
import type { ArcRoutingControlApi, AwsTarget } from '../activities/aws/ports';
import type { Runbook } from '../runbooks/schema';
import type { SimAws } from './index';
import type { SimWorld } from './world';

export class ArcSim {
  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {}
  seed(_rb: Runbook): void {}
  api(_target?: Partial<AwsTarget>): ArcRoutingControlApi {
    throw new Error('ArcSim not implemented yet');
  }
}
