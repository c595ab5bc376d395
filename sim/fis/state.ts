/** State of the simulated FIS: templates, experiments, their actions, and the refcounted fault holds. */
import type { FisAction, FisExperimentTemplate } from '../../activities/aws/ports';
import { Ec2Fleet } from '../ec2';
import type { SimAws } from '../index';
import type { SimWorld } from '../world';

/** One action of a running experiment. */
export interface ActionRun {
  readonly name: string;
  readonly def: FisAction;
  status: string;
  reason?: string;
  startTime?: number;
  endTime?: number;
  /** Undoes the action's fault (once). */
  undo?: () => void;
}

/** A started experiment. */
export interface Experiment {
  readonly id: string;
  readonly template: FisExperimentTemplate;
  readonly region: string;
  readonly account: string;
  readonly clientToken: string;
  readonly tags: Readonly<Record<string, string>>;
  status: string;
  reason?: string;
  readonly actions: Map<string, ActionRun>;
  /** Resolved targets: target name → resources (or a resolution error). */
  targets: Map<string, ResolvedResource[]>;
  resolutionError?: string;
  readonly startTime: number;
  endTime?: number;
}

/** A resource a target resolved to. */
export interface ResolvedResource {
  readonly id: string;
  readonly arn: string;
  readonly availabilityZones: readonly string[];
}

/** Experiment statuses that can still be stopped. */
export const ACTIVE = new Set(['pending', 'initiating', 'running']);

/** The state container shared by the FIS modules (composition: `FisSim` holds one). */
export class FisState {
  /** EC2 instances, ASGs, subnets and volumes that FIS actions target. */
  readonly ec2: Ec2Fleet;
  readonly templates = new Map<string, FisExperimentTemplate & { region: string }>();
  readonly templateTokens = new Map<string, string>();
  readonly experiments = new Map<string, Experiment>();
  readonly experimentTokens = new Map<string, string>();
  /** Refcounted holds: `az|region|az`, `region|region`, `cache|region|az`. */
  readonly holds = new Map<string, number>();
  listening = false;

  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {
    this.ec2 = new Ec2Fleet(sim);
  }
}
