/** Placeholder: the simulated canary data plane (implements CanaryConnector). */
import type { Runbook } from '../runbooks/schema';
import type { CanaryConnector, CanaryStore, CanaryTarget } from '../activities/canary/canary-store';
import type { SimAws } from './index';
import { SimAwsError, type SimWorld } from './world';

export class CanarySim implements CanaryConnector {
  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {}
  seed(_rb: Runbook): void {}
  async connect(_target: CanaryTarget): Promise<CanaryStore> {
    throw new SimAwsError('NotImplemented', 'canary sim not implemented yet');
  }
}
