/**
 * The steps of `preflightWorkflow`, bound to their dependencies: each name is a function in the
 * file of the same name. All read-only. Each check returns `PreflightCheck[]`: a missing resource or
 * a drifted topology is a failed check saying what was expected and what was found, never an
 * activity failure; only transient errors (throttling, 5xx) throw, so Temporal retries them.
 */
import type { ActivityDeps } from '../deps';
import { loadRunbook } from './load-runbook';
import { checkBlastRadius } from './check-blast-radius';
import { checkAuroraTopology } from './check-aurora-topology';
import { checkReplicationLag } from './check-replication-lag';
import { checkTrafficRouting } from './check-traffic-routing';
import { checkAlarms } from './check-alarms';
import { checkCacheGroups } from './check-cache-groups';
import { checkAppConfiguration } from './check-app-configuration';

type Args<F> = F extends (deps: ActivityDeps, input: infer I) => unknown ? I : never;

/** Binds the preflight activities to `deps`. */
export function createPreflightActivities(deps: ActivityDeps) {
  return {
    /** Loads and validates a runbook by name (or inline YAML where allowed). No AWS call. */
    loadRunbook: (input: Args<typeof loadRunbook>) => loadRunbook(deps, input),
    /** The account, every region and the clusters' tags lie within the blast radius. */
    checkBlastRadius: (input: Args<typeof checkBlastRadius>) => checkBlastRadius(deps, input),
    /** The global cluster, its members, writer region, clusters and instances are as the runbook says. */
    checkAuroraTopology: (input: Args<typeof checkAuroraTopology>) => checkAuroraTopology(deps, input),
    /** Each secondary's replication lag over the last 5 minutes is within the RPO target. */
    checkReplicationLag: (input: Args<typeof checkReplicationLag>) => checkReplicationLag(deps, input),
    /** Route 53 records or ARC routing controls send traffic to the primary region; health checks healthy. */
    checkTrafficRouting: (input: Args<typeof checkTrafficRouting>) => checkTrafficRouting(deps, input),
    /** Health and stop-condition alarms exist and are OK. */
    checkAlarms: (input: Args<typeof checkAlarms>) => checkAlarms(deps, input),
    /** ElastiCache replication groups exist and are available. */
    checkCacheGroups: (input: Args<typeof checkCacheGroups>) => checkCacheGroups(deps, input),
    /** The app configuration parameter points at the primary region. */
    checkAppConfiguration: (input: Args<typeof checkAppConfiguration>) => checkAppConfiguration(deps, input),
  };
}
