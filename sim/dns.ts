/**
 * The simulated DNS resolver clients of a service use: a busy recursive resolver that caches each
 * record for its TTL and re-asks the Route 53 name servers the moment the cached answer expires
 * (other clients keep asking). So after Route 53 starts answering with the secondary (its health
 * check failed), clients see the secondary at the next expiry: up to one TTL later. Each record's
 * refresh phase is drawn from the world's RNG at seed. A change of the cached answer is in the
 * ground-truth log (`dns` / `resolver-answer-changed`, with the regions). Not an AWS API: the
 * port's calls are counted under the `dns` service.
 */
import type { DnsApi } from '../activities/aws/ports';
import type { Runbook } from '../runbooks/schema';
import type { SimAws } from './index';
import { SimAwsError, type SimWorld } from './world';

interface Cached {
  region: string;
  values: string[];
  expiresAt: number;
}

const norm = (n: string): string => n.toLowerCase().replace(/\.$/, '');

/** The simulated recursive resolver (see the module doc). */
export class DnsResolverSim {
  private readonly cache = new Map<string, Cached>();

  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {}

  /** Starts caching the runbook's record (steady state: the primary's answer). */
  seed(rb: Runbook): void {
    const name = rb.route53?.recordName;
    if (!name || this.cache.has(norm(name))) return;
    const now = this.world.now();
    const a = this.sim.route53Sim.answer(name);
    if (!a) return;
    // The answer was fetched some time within the last TTL: it expires at a random phase of it.
    const expiresAt = now + Math.max(1, Math.round(this.world.between(0, a.ttlSeconds * 1000)));
    this.cache.set(norm(name), { region: a.region, values: a.values, expiresAt });
    this.world.schedule(expiresAt, () => this.refresh(norm(name), expiresAt));
  }

  /** The region of the answer clients get now (for tests); undefined for an unknown name. */
  answerRegion(name: string): string | undefined {
    this.world.advance();
    return this.cache.get(norm(name))?.region;
  }

  /** The DnsApi port. */
  api(): DnsApi {
    return {
      resolve: (name) =>
        this.world.call('default', 'dns', 'resolve', () => {
          const c = this.cache.get(norm(name));
          if (!c) throw new SimAwsError('ENOTFOUND', `queryCname ENOTFOUND ${name}`, 404);
          return { name, values: [...c.values] };
        }),
    };
  }

  private refresh(name: string, at: number): void {
    const c = this.cache.get(name)!;
    const a = this.sim.route53Sim.answer(name);
    if (a) {
      if (a.region !== c.region) {
        this.world.record({
          service: 'dns',
          resource: name,
          event: 'resolver-answer-changed',
          at,
          detail: { from: c.region, to: a.region, values: a.values },
        });
      }
      c.region = a.region;
      c.values = a.values;
    }
    c.expiresAt = at + (a?.ttlSeconds ?? 60) * 1000;
    this.world.schedule(c.expiresAt, () => this.refresh(name, c.expiresAt));
  }
}
