/**
 * The simulated AWS FIS: experiment templates (validated against the action and resource-type
 * catalogue of aws-dr-api.md §7), experiments going pending → initiating → running → completed
 * (or stopping → stopped, or failed), actions honouring `startAfter` and ISO-8601 durations, and
 * actions that change the simulated world: AZ impairment (RDS, ElastiCache, EC2), in-region Aurora
 * failover, EC2 stop with ASG replacement, capacity errors, cross-region isolation, SSM automation.
 * Stop conditions: an alarm of the experiment going ALARM (CloudWatchSim) stops it at that instant.
 * Every fault is undone when its action ends, and when the experiment stops or fails.
 *
 * The behaviour lives in `sim/fis/` (templates, state, experiments, actions, targets, views);
 * `FisSim` composes them over one `FisState`.
 */
import type { AwsTarget, FisApi } from '../activities/aws/ports';
import type { Runbook } from '../runbooks/schema';
import type { Ec2Fleet } from './ec2';
import { halt, listen, start } from './fis/experiments';
import { ACTIVE, FisState } from './fis/state';
import { invalid, validateTemplate } from './fis/templates';
import { experiment, template, templateView, view } from './fis/views';
import type { SimAws } from './index';
import { randomId } from './region-health';
import type { SimWorld } from './world';

export { parseIsoDuration, validateTemplate } from './fis/templates';

/** The simulated FIS. */
export class FisSim {
  /** EC2 instances, ASGs, subnets and volumes that FIS actions target. */
  readonly ec2: Ec2Fleet;
  private readonly state: FisState;

  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {
    this.state = new FisState(world, sim);
    this.ec2 = this.state.ec2;
  }

  /** Creates the EC2 resources (ASGs, subnets) FIS can target for this runbook. */
  seed(rb: Runbook): void {
    this.ec2.seed(rb);
    listen(this.state);
  }

  /** Whether a FIS action currently isolates or impairs `region`. */
  isRegionImpaired(region: string): boolean {
    return (this.state.holds.get(`region|${region}`) ?? 0) > 0;
  }

  /** Whether a FIS network disruption currently cuts all traffic of a subnet. */
  isSubnetCut(subnetId: string): boolean {
    return (this.state.holds.get(`subnet|${subnetId}`) ?? 0) > 0;
  }

  /** Ids of the templates of a region and account view, by tag (for tests: what a run left behind). */
  templatesTagged(key: string, value: string): string[] {
    return [...this.state.templates.values()].filter((t) => t.tags?.[key] === value).map((t) => t.id);
  }

  /** Whether a FIS action currently impairs `az` (network or power). */
  isAzImpaired(region: string, az: string): boolean {
    return (this.state.holds.get(`az|${region}|${az}`) ?? 0) > 0;
  }

  /** The FisApi port of one region. */
  api(target?: Partial<AwsTarget>): FisApi {
    const s = this.state;
    listen(s);
    const region = target?.region ?? 'us-east-1';
    const account = target?.accountId ?? 'default';
    const call = <T>(op: string, fn: () => T | Promise<T>): Promise<T> =>
      this.world.call(account, 'fis', op, () => {
        // A regional control plane in an impaired region answers 500 (see SimWorld.impairedRegions).
        this.world.assertRegionReachable('fis', region);
        return fn();
      });
    return {
      createExperimentTemplate: (input) =>
        call('createExperimentTemplate', () => {
          const { clientToken, ...rest } = input;
          if (!clientToken || /\s/.test(clientToken) || clientToken.length > 1024)
            invalid('clientToken: 1-1024 characters without whitespace');
          const prior = s.templateTokens.get(`${account}|${region}|${clientToken}`);
          if (prior) return templateView(s, s.templates.get(prior)!);
          validateTemplate(rest);
          const id = randomId(this.sim, 'EXT', 14);
          s.templates.set(id, { ...structuredClone(rest), id, region });
          s.templateTokens.set(`${account}|${region}|${clientToken}`, id);
          this.world.record({
            service: 'fis',
            resource: id,
            event: 'experiment-template-created',
            detail: { description: rest.description },
          });
          return templateView(s, s.templates.get(id)!);
        }),
      updateExperimentTemplate: (id, input) =>
        call('updateExperimentTemplate', () => {
          template(s, region, id);
          validateTemplate(input);
          s.templates.set(id, { ...structuredClone(input), id, region });
          this.world.record({ service: 'fis', resource: id, event: 'experiment-template-updated' });
          return templateView(s, s.templates.get(id)!);
        }),
      getExperimentTemplate: (id) => call('getExperimentTemplate', () => templateView(s, template(s, region, id))),
      listExperimentTemplates: () =>
        call('listExperimentTemplates', () => [...s.templates.values()].filter((t) => t.region === region).map((t) => templateView(s, t))),
      startExperiment: (input) => call('startExperiment', () => start(s, region, account, input)),
      getExperiment: (id) => call('getExperiment', () => view(s, experiment(s, region, id))),
      stopExperiment: (id) =>
        call('stopExperiment', () => {
          const e = experiment(s, region, id);
          if (!ACTIVE.has(e.status)) invalid(`Experiment ${id} is ${e.status} and cannot be stopped`);
          halt(s, e, 'stopped', 'Experiment stopped by user', 'experiment-stopped');
          return view(s, e);
        }),
      deleteExperimentTemplate: (id) =>
        call('deleteExperimentTemplate', () => {
          template(s, region, id);
          s.templates.delete(id);
          for (const [token, tid] of s.templateTokens) if (tid === id) s.templateTokens.delete(token);
          this.world.record({ service: 'fis', resource: id, event: 'experiment-template-deleted' });
        }),
    };
  }
}
