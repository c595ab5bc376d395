/** Placeholder: the simulated Secrets (to be implemented). */
import type { SecretsApi, AwsTarget } from '../activities/aws/ports';
import type { Runbook } from '../runbooks/schema';
import type { SimAws } from './index';
import type { SimWorld } from './world';

export class SecretsSim {
  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {}
  seed(_rb: Runbook): void {}
  api(_target?: Partial<AwsTarget>): SecretsApi {
    throw new Error('SecretsSim not implemented yet');
  }
}
