/**
 * `ArcRoutingControlApi` over the ARC data plane (`@aws-sdk/client-route53-recovery-cluster`).
 * A cluster has five regional endpoints; AWS's guidance (aws-dr-api.md §5.3) is one client per
 * endpoint, tried in sequence. An endpoint is skipped on `EndpointTemporarilyUnavailableException`,
 * `ConflictException`, throttling, 5xx and network errors; any other error (AccessDenied,
 * ValidationException, ResourceNotFoundException) is the answer and is thrown at once. The
 * endpoint that answered last is tried first next time.
 */
import {
  GetRoutingControlStateCommand,
  Route53RecoveryClusterClient,
  UpdateRoutingControlStatesCommand,
} from '@aws-sdk/client-route53-recovery-cluster';
import { requestHandlerOptions, withActivityCancellation, type RequestHandlerOptions } from './sdk-bounds';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { classifyAwsError } from './errors';
import type { ArcRoutingControlApi, RoutingControlState } from './ports';

/** Thrown when an ARC port is asked for without cluster endpoints. */
export class ArcEndpointsMissingError extends Error {
  override readonly name = 'ArcEndpointsMissingError';
}

/** The minimal client surface the adapter needs (a `Route53RecoveryClusterClient`). */
export interface ArcClientLike {
  send: Route53RecoveryClusterClient['send'];
}

/** Options of {@link createArcAdapter}. */
export interface ArcAdapterOptions {
  /** Cluster endpoints, e.g. `https://host-xxxx.route53-recovery-cluster.us-west-2.amazonaws.com/v1`. */
  readonly clusterEndpoints: readonly string[];
  /** Region used when an endpoint URL does not name one. */
  readonly defaultRegion: string;
  /** @default 2 */
  readonly maxAttempts?: number;
  readonly credentials?: AwsCredentialIdentityProvider;
  /** NodeHttpHandler options (timeouts). @default requestHandlerOptions() of sdk-bounds */
  readonly requestHandler?: RequestHandlerOptions;
  /** Builds the client of one endpoint (tests inject here). @default new Route53RecoveryClusterClient */
  readonly clientFor?: (endpoint: string, region: string) => ArcClientLike;
}

/** Region named in an ARC cluster endpoint URL, if any. */
export function regionOfArcEndpoint(endpoint: string): string | undefined {
  return /\.([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+)\.amazonaws\.com/.exec(endpoint)?.[1];
}

/** True when the next cluster endpoint should be tried after `err`. */
export function shouldTryNextArcEndpoint(err: unknown): boolean {
  const c = classifyAwsError(err);
  return c.category === 'throttle' || c.category === 'transient' || c.type === 'ConflictException';
}

/** Builds the ARC routing-control port over one client per cluster endpoint. */
export function createArcAdapter(opts: ArcAdapterOptions): ArcRoutingControlApi {
  const endpoints = [...opts.clusterEndpoints];
  const clients = new Map<string, ArcClientLike>();
  let preferred = 0;

  const clientAt = (i: number): ArcClientLike => {
    const endpoint = endpoints[i]!;
    let c = clients.get(endpoint);
    if (!c) {
      const region = regionOfArcEndpoint(endpoint) ?? opts.defaultRegion;
      c = opts.clientFor
        ? opts.clientFor(endpoint, region)
        : withActivityCancellation(
            new Route53RecoveryClusterClient({
              region,
              endpoint,
              maxAttempts: opts.maxAttempts ?? 2,
              requestHandler: opts.requestHandler ?? requestHandlerOptions(),
              ...(opts.credentials ? { credentials: opts.credentials } : {}),
            }),
          );
      clients.set(endpoint, c);
    }
    return c;
  };

  /** Runs `call` against each endpoint in turn, starting with the last one that answered. */
  const onAnyEndpoint = async <T>(call: (client: ArcClientLike) => Promise<T>): Promise<T> => {
    if (endpoints.length === 0) {
      throw new ArcEndpointsMissingError(
        'ARC routing control needs the cluster endpoints: set arc.clusterEndpoints in the runbook ' +
          '(from `aws route53-recovery-control-config describe-cluster`)',
      );
    }
    let lastError: unknown;
    for (let n = 0; n < endpoints.length; n++) {
      const i = (preferred + n) % endpoints.length;
      try {
        const result = await call(clientAt(i));
        preferred = i;
        return result;
      } catch (err) {
        if (!shouldTryNextArcEndpoint(err)) throw err;
        lastError = err;
      }
    }
    throw lastError;
  };

  return {
    async getRoutingControlState(routingControlArn): Promise<RoutingControlState> {
      const r = await onAnyEndpoint((c) => c.send(new GetRoutingControlStateCommand({ RoutingControlArn: routingControlArn })));
      return {
        routingControlArn: r.RoutingControlArn ?? routingControlArn,
        state: r.RoutingControlState === 'On' ? 'On' : 'Off',
      };
    },

    async updateRoutingControlStates({ entries, safetyRulesToOverride }) {
      await onAnyEndpoint((c) =>
        c.send(
          new UpdateRoutingControlStatesCommand({
            UpdateRoutingControlStateEntries: entries.map((e) => ({
              RoutingControlArn: e.routingControlArn,
              RoutingControlState: e.state,
            })),
            ...(safetyRulesToOverride !== undefined && safetyRulesToOverride.length > 0
              ? { SafetyRulesToOverride: [...safetyRulesToOverride] }
              : {}),
          }),
        ),
      );
    },
  };
}
