/** Target resolution of the simulated FIS: candidates per resource type, then ARNs, tags, filters, AZ and selection mode. */
import type { FisTarget } from '../../activities/aws/ports';
import type { SimEc2Resource } from '../ec2';
import { isSimulated } from './actions';
import type { Experiment, FisState, ResolvedResource } from './state';

/** Resources of a target's resource type in the experiment's region, with tags and filter attributes. */
export async function candidates(
  fis: FisState,
  e: Experiment,
  target: FisTarget,
): Promise<(ResolvedResource & { tags: Readonly<Record<string, string>>; attributes: Readonly<Record<string, string>> })[]> {
  const region = e.region;
  const fromEc2 = (list: SimEc2Resource[]) =>
    list.map((r) => ({ id: r.id, arn: r.arn, availabilityZones: r.availabilityZones, tags: r.tags, attributes: r.attributes }));
  switch (target.resourceType) {
    case 'aws:ec2:instance':
      return fromEc2(fis.ec2.instanceResources(region));
    case 'aws:ec2:autoscaling-group':
    case 'aws:arc:zonal-shift-managed-resource':
      return fromEc2(fis.ec2.asgResources(region));
    case 'aws:ec2:subnet':
      return fromEc2(fis.ec2.subnetResources(region));
    case 'aws:ec2:ebs-volume':
      return fromEc2(fis.ec2.volumeResources(region));
    case 'aws:elasticache:replicationgroup':
      return fis.sim.elasticacheSim
        .list(region)
        .map((g) => ({ id: g.id, arn: g.arn, availabilityZones: g.availabilityZones, tags: g.tags, attributes: {} }));
    case 'aws:rds:cluster': {
      const rds = rdsFor(fis, e);
      const clusters = await rds.listDbClusters();
      const instances = await rds.listDbInstances();
      return clusters.map((c) => {
        const writer = c.members.find((m) => m.isClusterWriter)?.dbInstanceIdentifier;
        const writerAz = instances.find((i) => i.dbInstanceIdentifier === writer)?.availabilityZone;
        return {
          id: c.dbClusterIdentifier,
          arn: c.dbClusterArn,
          availabilityZones: writerAz ? [writerAz] : [],
          tags: c.tags,
          attributes: { Engine: c.engine },
        };
      });
    }
    case 'aws:rds:db': {
      const rds = rdsFor(fis, e);
      return (await rds.listDbInstances()).map((i) => ({
        id: i.dbInstanceIdentifier,
        arn: i.dbInstanceArn ?? `arn:aws:rds:${region}:${e.account}:db:${i.dbInstanceIdentifier}`,
        availabilityZones: i.availabilityZone ? [i.availabilityZone] : [],
        tags: i.tags,
        attributes: {},
      }));
    }
    default:
      // Resources the sim does not model (IAM roles, transit gateways, …): the given ARNs, as they are.
      return (target.resourceArns ?? []).map((arn) => ({
        id: arn.split(/[/:]/).pop()!,
        arn,
        availabilityZones: [],
        tags: {},
        attributes: {},
      }));
  }
}

/** The RDS port FIS uses on the customer's behalf (its calls land in the experiment's account, as in CloudTrail). */
export function rdsFor(fis: FisState, e: Experiment) {
  // FIS's own calls (CloudTrail shows them invoked by fis.amazonaws.com), not the client's.
  return fis.sim.rdsSim.api({ region: e.region, ...(e.account !== 'default' ? { accountId: e.account } : {}) }, { caller: 'fis' });
}

/** Resolves every target an action uses (ARNs, tags, filters, AZ parameter, selection mode). */
export async function resolveTargets(fis: FisState, e: Experiment): Promise<Map<string, ResolvedResource[]>> {
  // Only targets of simulated actions are resolved: a not-simulated action is skipped, its targets are not looked for.
  const used = new Set<string>();
  for (const a of Object.values(e.template.actions))
    if (isSimulated(a.actionId)) for (const t of Object.values(a.targets ?? {})) used.add(t);
  const out = new Map<string, ResolvedResource[]>();
  for (const name of used) {
    const target = e.template.targets[name]!;
    const all = await candidates(fis, e, target);
    let picked = all;
    if (target.resourceArns?.length) {
      const missing = target.resourceArns.filter((arn) => !all.some((r) => r.arn === arn));
      if (missing.length > 0) throw new Error(`target ${name}: resources not found: ${missing.join(', ')}`);
      picked = all.filter((r) => target.resourceArns!.includes(r.arn));
    }
    const tags = Object.entries(target.resourceTags ?? {});
    picked = picked.filter((r) => tags.every(([k, v]) => r.tags[k] === v));
    for (const f of target.filters ?? [])
      picked = picked.filter((r) => f.values.some((v) => (r.attributes[f.path] ?? '').split(',').includes(v)));
    const azParam =
      target.parameters?.['availabilityZoneIdentifier'] ??
      target.parameters?.['availabilityZoneIdentifiers'] ??
      target.parameters?.['writerAvailabilityZoneIdentifiers'];
    if (azParam && azParam !== 'all') {
      const azs = azParam.split(',').map((s) => s.trim());
      picked = picked.filter((r) => r.availabilityZones.some((az) => azs.includes(az)));
      // The action acts on the named AZ only (e.g. a subnet set, an interrupted AZ), not the resource's other AZs.
      picked = picked.map((r) => ({ ...r, availabilityZones: r.availabilityZones.filter((az) => azs.includes(az)) }));
    }
    const mode = /^(ALL|COUNT|PERCENT)(?:\((\d+)\))?$/.exec(target.selectionMode)!;
    if (mode[1] === 'COUNT') picked = picked.slice(0, Number(mode[2]));
    if (mode[1] === 'PERCENT') picked = picked.slice(0, Math.max(1, Math.floor((picked.length * Number(mode[2])) / 100)));
    if (picked.length === 0) throw new Error(`target ${name} (${target.resourceType}) resolved to no resources`);
    out.set(
      name,
      picked.map((r) => ({ id: r.id, arn: r.arn, availabilityZones: r.availabilityZones })),
    );
  }
  return out;
}
