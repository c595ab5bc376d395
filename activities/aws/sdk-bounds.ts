/**
 * Bounds on every AWS SDK call, applied where the clients are built (`client-factory.ts`, and
 * inside the FIS and ARC adapters, which build their own clients):
 * - HTTP timeouts: a connection must be made within `connectionTimeout` and the socket may stay
 *   silent at most `requestTimeout`, so an endpoint that accepts and never answers fails the call
 *   (a retryable `TimeoutError`) instead of holding the activity until Temporal's timeout;
 * - cancellation: each `send` made inside an activity carries the activity's
 *   `Context.current().cancellationSignal` as `abortSignal`, so a cancelled activity (abort,
 *   heartbeat timeout, worker shutdown) stops its HTTP request at once.
 */
import { Context } from '@temporalio/activity';

/** HTTP timeouts of the SDK clients, ms. */
export interface AwsHttpTimeouts {
  /** Time to establish the TCP (and TLS) connection. */
  readonly connectionTimeout: number;
  /** Longest silence on the socket once the request is sent. */
  readonly requestTimeout: number;
}

/** Defaults: 5 s to connect, 30 s of silence (AWS control-plane calls answer in well under a second). */
export const DEFAULT_AWS_HTTP_TIMEOUTS: AwsHttpTimeouts = { connectionTimeout: 5_000, requestTimeout: 30_000 };

/** NodeHttpHandler options as the client constructors take them (plain options, no handler instance). */
export interface RequestHandlerOptions {
  readonly connectionTimeout: number;
  readonly requestTimeout: number;
  readonly socketTimeout: number;
  readonly throwOnRequestTimeout: boolean;
}

/**
 * The `requestHandler` client option with `t`. Current @smithy/node-http-handler (4.x) only warns
 * on `requestTimeout` unless `throwOnRequestTimeout` is set, and bounds socket silence with
 * `socketTimeout`; the FIS client's pinned 2.x handler bounds socket silence with
 * `requestTimeout` and ignores the other two. Both get a bound this way.
 */
export function requestHandlerOptions(t: AwsHttpTimeouts = DEFAULT_AWS_HTTP_TIMEOUTS): RequestHandlerOptions {
  return {
    connectionTimeout: t.connectionTimeout,
    requestTimeout: t.requestTimeout,
    socketTimeout: t.requestTimeout,
    throwOnRequestTimeout: true,
  };
}

/** The running activity's cancellation signal; `undefined` outside an activity (CLI tools, tests). */
export function activityCancellationSignal(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined; // not inside an activity: nothing to cancel with
  }
}

/** Anything with an SDK v3 `send(command, options?, cb?)`. */
interface Sendable {
  send(...args: never[]): unknown;
}

/**
 * Makes `client.send` pass the running activity's cancellation signal as `abortSignal` (unless
 * the caller gave options of its own). Returns the same client.
 */
export function withActivityCancellation<C extends Sendable>(client: C): C {
  const send = (client.send as (...args: unknown[]) => unknown).bind(client);
  const bound = (command: unknown, options?: unknown, cb?: unknown): unknown => {
    const signal = activityCancellationSignal();
    if (signal === undefined || typeof options === 'function' || options !== undefined) return send(command, options, cb);
    // A signal of its own per call: the pinned FIS client's handler sets `onabort` (overwriting
    // any other call's), the newer handlers add a listener; either way each call is reached.
    return send(command, { abortSignal: AbortSignal.any([signal]) });
  };
  (client as unknown as { send: typeof bound }).send = bound;
  return client;
}
