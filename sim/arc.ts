/**
 * The simulated ARC routing-control data plane: one state (`On | Off`) per routing control ARN,
 * seeded On for the runbook's primary region and Off elsewhere. Updates apply at once (the data
 * plane is synchronous) and are recorded; Route 53 RECOVERY_CONTROL health checks follow them.
 * `injectError` makes the next calls fail with an ARC-specific error (`ConflictException`,
 * `EndpointTemporarilyUnavailableException`, …) that the generic fault kinds do not cover.
 */
import type { ArcRoutingControlApi, AwsTarget, RoutingControlState } from '../activities/aws/ports';
import type { Runbook } from '../runbooks/schema';
import type { SimAws } from './index';
import { declaredPrimaryRegion } from './region-health';
import { SimAwsError, type SimWorld } from './world';

/** Messages AWS gives for the ARC errors that can be injected. */
const ARC_ERRORS: Readonly<Record<string, { message: string; status: number }>> = {
  ConflictException: { message: 'There was a conflict with this request. Try again.', status: 409 },
  EndpointTemporarilyUnavailableException: { message: "The cluster endpoint isn't available. Try another cluster endpoint.", status: 503 },
  ThrottlingException: { message: 'Rate exceeded', status: 429 },
  InternalServerException: { message: 'There was an unexpected error during processing of the request.', status: 500 },
  AccessDeniedException: { message: 'You do not have sufficient access to perform this action.', status: 403 },
};

interface InjectedError {
  readonly name: string;
  remaining: number;
  /** Only calls through a client bound to this cluster endpoint fail; undefined = every client. */
  readonly endpoint?: string;
}

/** The simulated ARC routing-control data plane. */
export class ArcSim {
  private readonly controls = new Map<string, 'On' | 'Off'>();
  private injected: InjectedError[] = [];

  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {}

  /** Creates the runbook's routing controls: On for the primary region, Off for the others. */
  seed(rb: Runbook): void {
    const routing = rb.route53?.routing;
    if (routing?.policy !== 'arc') return;
    const primary = declaredPrimaryRegion(rb);
    for (const [region, arn] of Object.entries(routing.routingControls)) {
      if (!this.controls.has(arn)) this.controls.set(arn, region === primary ? 'On' : 'Off');
    }
  }

  /** Current state of a routing control (undefined for an unknown ARN); no API accounting. */
  state(routingControlArn: string): 'On' | 'Off' | undefined {
    return this.controls.get(routingControlArn);
  }

  /**
   * Makes the next `count` calls fail with `name` (an ARC error name). With `endpoint`, only calls
   * through a client whose first cluster endpoint is that one fail (to test trying the next endpoint).
   */
  injectError(name: keyof typeof ARC_ERRORS | string, count = 1, endpoint?: string): void {
    this.injected.push({ name, remaining: count, endpoint });
  }

  /** The ARC data-plane port; `clusterEndpoints` (from the runbook) selects which injected errors apply. */
  api(target?: Partial<AwsTarget> & { readonly clusterEndpoints?: readonly string[] }): ArcRoutingControlApi {
    const account = target?.accountId ?? 'default';
    const endpoint = target?.clusterEndpoints?.[0];
    const call = <T>(op: string, fn: () => T): Promise<T> =>
      this.world.call(account, 'arc', op, () => {
        this.throwInjected(endpoint);
        return fn();
      });
    return {
      getRoutingControlState: (arn) =>
        call('getRoutingControlState', (): RoutingControlState => ({ routingControlArn: arn, state: this.control(arn) })),
      updateRoutingControlStates: (input) =>
        call('updateRoutingControlStates', () => {
          if (input.entries.length === 0)
            throw new SimAwsError('ValidationException', 'UpdateRoutingControlStateEntries must contain at least one entry', 400);
          for (const e of input.entries) {
            this.control(e.routingControlArn);
            if (e.state !== 'On' && e.state !== 'Off') {
              throw new SimAwsError(
                'ValidationException',
                `RoutingControlState ${String(e.state)} for ${e.routingControlArn} is invalid: expected On or Off`,
                400,
              );
            }
          }
          const at = this.world.now();
          for (const e of input.entries) {
            if (this.controls.get(e.routingControlArn) === e.state) continue;
            this.controls.set(e.routingControlArn, e.state);
            this.world.record({
              service: 'arc',
              resource: e.routingControlArn,
              event: 'routing-control-updated',
              at,
              detail: { state: e.state },
            });
          }
        }),
    };
  }

  private control(arn: string): 'On' | 'Off' {
    const state = this.controls.get(arn);
    if (!state) throw new SimAwsError('ResourceNotFoundException', `Routing control ${arn} not found`, 404);
    return state;
  }

  private throwInjected(endpoint: string | undefined): void {
    const hit = this.injected.find((i) => i.remaining > 0 && (i.endpoint === undefined || i.endpoint === endpoint));
    if (!hit) return;
    hit.remaining -= 1;
    this.injected = this.injected.filter((i) => i.remaining > 0);
    const known = ARC_ERRORS[hit.name] ?? { message: `Injected ${hit.name}`, status: 400 };
    throw new SimAwsError(hit.name, known.message, known.status, hit.name === 'ThrottlingException');
  }
}
