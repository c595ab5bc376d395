/**
 * Binds a real region pair to an Aurora global cluster of the simulated AWS, so the sim's control
 * plane drives real databases:
 * - the primary's region impaired (`region-impaired`) → the primary is lost for real (replication
 *   link and writer endpoint cut, server stopped hard);
 * - a failover's write fencing (`cluster-writes-blocked`) or a detach (`global-detach-requested`)
 *   → the replication link is cut (what is in flight is lost);
 * - the secondary promoted (`global-promotion-complete`, `cluster-detached`) → `pg_promote()` /
 *   `STOP SLAVE` + `read_only = 0` on the standby; after a failover the writer endpoint moves to it,
 *   after a detach it stays on the old primary (the application is not reconfigured: a split brain).
 * The canary connects through {@link RealPairBinding.connector}: the global writer endpoint goes
 * to the pair's writer endpoint, a cluster endpoint to that cluster's real server.
 *
 * Real operations are asynchronous and run in order; `settled()` waits for them and rethrows the
 * first failure (a real-plane error never passes silently).
 */
import type { CanaryConnector, CanaryStore, CanaryTarget } from '../../activities/canary/canary-store';
import { createSqlCanaryConnector } from '../../activities/canary/sql-connector';
import type { SimAws } from '../index';
import type { GroundTruthEvent } from '../world';
import type { PairEndpoint, RegionPair } from './region-pair';

/** Which global cluster and members of the sim the pair stands for. */
export interface RealPairBindingOptions {
  readonly pair: RegionPair;
  readonly globalClusterId: string;
  readonly primary: { readonly arn: string; readonly id: string; readonly region: string };
  readonly secondary: { readonly arn: string; readonly id: string; readonly region: string };
}

/** A live binding (see the module doc). */
export interface RealPairBinding {
  /** Canary connector onto the real servers, resolving the sim's endpoint names. */
  readonly connector: CanaryConnector;
  /** Real operations done so far, in order, with their wall times. */
  readonly operations: readonly { readonly what: string; readonly at: number }[];
  /** Waits for the queued real operations; rejects with the first that failed. */
  settled(): Promise<void>;
  /** Stops following the sim. */
  unbind(): void;
}

/** Binds `opts.pair` to the sim (see the module doc). */
export function bindRegionPair(sim: SimAws, opts: RealPairBindingOptions): RealPairBinding {
  const { pair, primary, secondary } = opts;
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown;
  let lost = false;
  let cut = false;
  let promoted = false;
  let swapped = false; // the real roles changed (the promotion finished)
  const operations: { what: string; at: number }[] = [];
  const queue = (what: string, op: () => Promise<unknown>): void => {
    chain = chain.then(async () => {
      if (failure) return;
      try {
        await op();
        operations.push({ what, at: Date.now() });
      } catch (err) {
        failure = err;
      }
    });
  };
  const onEvent = (e: GroundTruthEvent): void => {
    const d = e.detail ?? {};
    if (e.event === 'region-impaired' && e.resource === primary.region && !lost && !promoted) {
      lost = cut = true;
      queue('lose-region', () => pair.loseRegion());
    } else if (
      (e.event === 'cluster-writes-blocked' && e.resource === primary.id && !cut) ||
      (e.event === 'global-detach-requested' && d.cluster === secondary.arn && !cut)
    ) {
      cut = true;
      queue('cut-replication', () => pair.detachStandby());
    } else if (e.event === 'global-promotion-complete' && d.newWriter === secondary.arn && !promoted) {
      promoted = true;
      queue('promote', async () => {
        await pair.promoteStandby();
        swapped = true;
      });
      queue('repoint-writer', async () => pair.repointWriter());
    } else if (e.event === 'cluster-detached' && e.resource === secondary.id && !promoted) {
      promoted = true;
      queue('promote', async () => {
        await pair.promoteStandby();
        swapped = true;
      });
    }
  };
  const unbind = sim.world.log.onRecord(onEvent);
  const sql = createSqlCanaryConnector({ secrets: () => ({ getDbCredentials: async () => pair.credentials }) });
  const endpointOf = (endpoint: string): PairEndpoint => {
    if (/^[^.]+\.global-/.test(endpoint)) return pair.writerEndpoint;
    const arn = sim.rdsSim.resolveEndpoint(endpoint);
    if (arn !== primary.arn && arn !== secondary.arn)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${endpoint}`), { name: 'UnknownHost' });
    const m = pair.members();
    return (arn === secondary.arn) === swapped ? m.primary : m.standby;
  };
  const connector: CanaryConnector = {
    async connect(target: CanaryTarget): Promise<CanaryStore> {
      const at = endpointOf(target.endpoint);
      return sql.connect({ ...target, engine: pair.engine, endpoint: at.host, port: at.port, database: pair.database });
    },
  };
  return {
    connector,
    operations,
    async settled() {
      await chain;
      if (failure) throw failure;
    },
    unbind,
  };
}
