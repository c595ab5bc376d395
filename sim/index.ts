/**
 * The simulated AWS: implements `AwsClients` (and the canary data plane) over one `SimWorld`.
 * Each service lives in its own file as a `<Service>Sim` class holding that service's state;
 * siblings reach each other through this object (e.g. FIS AZ power interruption → RDS and
 * ElastiCache failovers). Seeded from runbook files (`seedFromRunbook`).
 */
import type { AwsClients, AwsTarget } from '../activities/aws/ports';
import type { Runbook } from '../runbooks/schema';
import { ArcSim } from './arc';
import { AutoScalingSim } from './autoscaling';
import { CanarySim } from './canary';
import { CloudWatchSim } from './cloudwatch';
import { DnsResolverSim } from './dns';
import { Ec2ApiSim } from './ec2-api';
import { ElbV2Sim } from './elbv2';
import { ElastiCacheSim } from './elasticache';
import { FisSim } from './fis';
import { RdsSim } from './rds';
import { Route53Sim } from './route53';
import { SecretsSim } from './secrets';
import { SsmSim } from './ssm';
import { SimWorld, type SimWorldOptions } from './world';
import { listRunbookFiles, loadRunbookFile } from '../runbooks/load';

/** Account id of simulated resources when a target names none. */
export const DEFAULT_SIM_ACCOUNT = '000000000000';

/** The simulated AWS: every port of `AwsClients` over one `SimWorld`, plus the canary. */
export class SimAws implements AwsClients {
  readonly mode = 'sim' as const;
  readonly world: SimWorld;
  readonly rdsSim: RdsSim;
  readonly route53Sim: Route53Sim;
  readonly arcSim: ArcSim;
  readonly fisSim: FisSim;
  readonly cloudwatchSim: CloudWatchSim;
  readonly ssmSim: SsmSim;
  readonly elasticacheSim: ElastiCacheSim;
  readonly secretsSim: SecretsSim;
  /** Auto Scaling port over the groups of `fisSim.ec2`. */
  readonly autoscalingSim: AutoScalingSim;
  /** EC2 API over the instances of `fisSim.ec2`. */
  readonly ec2Sim: Ec2ApiSim;
  /** Entry-point load balancers and target groups. */
  readonly elbv2Sim: ElbV2Sim;
  /** The recursive resolver clients use (TTL caching). */
  readonly dnsSim: DnsResolverSim;
  /** Canary data plane (implements `CanaryConnector`). */
  readonly canary: CanarySim;

  constructor(opts: SimWorldOptions = {}) {
    this.world = new SimWorld(opts);
    this.rdsSim = new RdsSim(this.world, this);
    this.route53Sim = new Route53Sim(this.world, this);
    this.arcSim = new ArcSim(this.world, this);
    this.fisSim = new FisSim(this.world, this);
    this.cloudwatchSim = new CloudWatchSim(this.world, this);
    this.ssmSim = new SsmSim(this.world, this);
    this.elasticacheSim = new ElastiCacheSim(this.world, this);
    this.secretsSim = new SecretsSim(this.world, this);
    this.autoscalingSim = new AutoScalingSim(this.world, this);
    this.ec2Sim = new Ec2ApiSim(this.world, this);
    this.elbv2Sim = new ElbV2Sim(this.world, this);
    this.dnsSim = new DnsResolverSim(this.world, this);
    this.canary = new CanarySim(this.world, this);
  }

  rds(t: AwsTarget) {
    return this.rdsSim.api(t);
  }
  route53(t?: Partial<AwsTarget>) {
    return this.route53Sim.api(t);
  }
  arc(t: AwsTarget & { readonly clusterEndpoints?: readonly string[] }) {
    return this.arcSim.api(t);
  }
  fis(t: AwsTarget) {
    return this.fisSim.api(t);
  }
  cloudwatch(t: AwsTarget) {
    return this.cloudwatchSim.api(t);
  }
  ssm(t: AwsTarget) {
    return this.ssmSim.api(t);
  }
  elasticache(t: AwsTarget) {
    return this.elasticacheSim.api(t);
  }
  secrets(t: AwsTarget) {
    return this.secretsSim.api(t);
  }
  autoscaling(t: AwsTarget) {
    return this.autoscalingSim.api(t);
  }
  ec2(t: AwsTarget) {
    return this.ec2Sim.api(t);
  }
  elbv2(t: AwsTarget) {
    return this.elbv2Sim.api(t);
  }
  dns() {
    return this.dnsSim.api();
  }

  /** Creates every resource a runbook names, in a healthy steady state. */
  seedFromRunbook(rb: Runbook): void {
    this.rdsSim.seed(rb);
    this.route53Sim.seed(rb);
    this.arcSim.seed(rb);
    this.cloudwatchSim.seed(rb);
    this.ssmSim.seed(rb);
    this.elasticacheSim.seed(rb);
    this.secretsSim.seed(rb);
    this.fisSim.seed(rb);
    this.elbv2Sim.seed(rb);
    this.dnsSim.seed(rb);
    this.canary.seed(rb);
  }

  close(): void {
    this.world.close();
  }
}

/** A simulated AWS seeded with every runbook file (`*.yaml`) in `dir`; throws on an invalid runbook. */
export function createSimFromRunbookDir(dir: string, opts: SimWorldOptions = {}): SimAws {
  const sim = new SimAws(opts);
  for (const file of listRunbookFiles(dir)) sim.seedFromRunbook(loadRunbookFile(file));
  return sim;
}
