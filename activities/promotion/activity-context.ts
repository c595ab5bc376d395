/**
 * Heartbeat and cancellation of the current Temporal activity, or no-ops when the function runs
 * outside a worker (the bench drives the same functions directly).
 */
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { classifyAwsError } from '../aws/errors';

/** Heartbeat function and cancellation signal of the running activity, if any. */
export interface ActivityHooks {
  readonly heartbeat: (details?: unknown) => void;
  readonly signal?: AbortSignal;
}

/** The current activity's hooks, or no-ops outside an activity. */
export function activityHooks(): ActivityHooks {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return { heartbeat: () => undefined }; // not inside an activity (bench, direct calls)
  }
  return { heartbeat: (d) => ctx.heartbeat(d), signal: ctx.cancellationSignal };
}

/** Region encoded in an ARN (`arn:aws:rds:us-west-2:…`), if any. */
export function regionOfArn(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts.length > 4 && parts[3] ? parts[3] : undefined;
}

/** Cluster identifier at the end of a cluster ARN (`…:cluster:payments-usw2`). */
export function clusterIdOfArn(arn: string): string {
  const parts = arn.split(':');
  return parts[parts.length - 1] ?? arn;
}

/** A deterministic UUID (v4 layout) from a key, for idempotency tokens (SSM ClientToken). */
export function deterministicUuid(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Runs one read inside a poll loop, riding out throttling and 5xx answers (retryable by
 * `classifyAwsError`) with a short backoff on `clock`, so a transient error does not restart a
 * measured wait; anything else, or `attempts` failures in a row, is thrown.
 */
export async function readRiding<T>(
  read: () => Promise<T>,
  clock: { sleep(ms: number, signal?: AbortSignal): Promise<void> },
  opts: { readonly attempts?: number; readonly backoffMs?: number; readonly signal?: AbortSignal } = {},
): Promise<T> {
  const attempts = opts.attempts ?? 6;
  let delay = opts.backoffMs ?? 200;
  for (let i = 1; ; i++) {
    try {
      return await read();
    } catch (err) {
      if (i >= attempts || !classifyAwsError(err).retryable || (err as Error)?.name === 'AbortError') throw err;
      await clock.sleep(delay, opts.signal);
      delay = Math.min(delay * 2, 5000);
    }
  }
}

/** Which attempt of the current activity this is, and the details its previous attempt last heartbeated. */
export interface AttemptInfo {
  /** 1 for the first attempt (and outside a worker). */
  readonly attempt: number;
  /** The last heartbeat details the server kept from an earlier attempt, if any. */
  readonly previous?: Readonly<Record<string, unknown>>;
}

/** The current activity's attempt (1 outside a worker) and its previous attempt's last heartbeat details. */
export function attemptInfo(): AttemptInfo {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return { attempt: 1 }; // not inside an activity (bench, direct calls)
  }
  const d = ctx.info.heartbeatDetails as unknown;
  const previous = typeof d === 'object' && d !== null && !Array.isArray(d) ? (d as Record<string, unknown>) : undefined;
  return { attempt: ctx.info.attempt, ...(previous ? { previous } : {}) };
}
