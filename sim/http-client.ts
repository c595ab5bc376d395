/**
 * Client of a sim server (`sim/server.ts`): the same `AwsClients`, `CanaryConnector` and scaled
 * `Clock` a worker would get from an in-process `SimAws`, over HTTP. Each port is a Proxy, so a
 * method added to a port later works without touching this file. Errors the simulated AWS
 * answered are rethrown as `SimAwsError` (same `name`, `httpStatus`, `retryable`); an unreachable
 * server surfaces as a retryable `SimServerUnreachable`.
 */
import { Agent, request as httpRequest } from 'node:http';
import type { AwsClients, AwsTarget } from '../activities/aws/ports';
import type { CanaryConnector, CanaryStore, CanaryTarget } from '../activities/canary/canary-store';
import { scaledClock, type Clock, type ScaledClockSpec } from '../lib/clock';
import type { Runbook } from '../runbooks/schema';
import type { RdsSim } from './rds';
import type { SimControlTarget, SimErrorBody, SimService } from './server';
import { SimAwsError, type FaultSpec, type GroundTruthEvent, type SimApiCallRecord } from './world';

/** Methods of `T`, each returning a promise of its JSON-serialisable result. */
export type Remote<T> = {
  [K in keyof T as T[K] extends (...a: never[]) => unknown ? K : never]: T[K] extends (...a: infer A) => infer R
    ? (...a: A) => Promise<Awaited<R>>
    : never;
};

/** One recorded API call of the simulated AWS. */
export type SimApiCall = SimApiCallRecord;

/** Control API of a sim server: ground truth, faults, seeding and the simulators' control methods. */
export interface SimControl {
  readonly url: string;
  clockSpec(): Promise<ScaledClockSpec>;
  /** The ground-truth log, oldest first. */
  log(): Promise<GroundTruthEvent[]>;
  apiCalls(): Promise<SimApiCall[]>;
  addFault(spec: FaultSpec): Promise<number>;
  /** Removes one fault, or every fault when `id` is omitted. */
  clearFaults(id?: number): Promise<void>;
  seed(input: { readonly runbookDir: string } | { readonly runbook: Runbook | Record<string, unknown> }): Promise<number>;
  /** Calls any control method of a simulator, e.g. `invoke('rds', 'impairRegion', 'us-east-1')`. */
  invoke(target: SimControlTarget, method: string, ...args: unknown[]): Promise<unknown>;
  /** Typed control of the RDS simulator (`setReplicationLag`, `impairRegion`, `setWriterRegion`, …). */
  readonly rds: Remote<RdsSim>;
}

/** What `connectSim` returns: everything a worker needs in sim mode. */
export interface SimConnection {
  readonly aws: AwsClients;
  readonly canary: CanaryConnector;
  readonly clock: Clock;
  readonly control: SimControl;
}

/** Keep-alive connections to the sim server (node http beats fetch per call, which matters at 600 canary ops/s). */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** Sends one request; resolves `result`, rejects with a `SimAwsError` for an `error` answer. */
function request(base: string, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise<unknown>((resolve, reject) => {
    const unreachable = (e: Error): void =>
      reject(new SimAwsError('SimServerUnreachable', `sim server ${base} unreachable: ${e.message}`, 503, true));
    const req = httpRequest(
      `${base}${path}`,
      {
        method,
        agent,
        headers: text === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', unreachable);
        res.on('end', () => {
          let payload: { result?: unknown; error?: SimErrorBody };
          try {
            payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof payload;
          } catch (e) {
            return reject(
              new SimAwsError(
                'SimServerUnreachable',
                `sim server ${base} answered non-JSON (HTTP ${res.statusCode}): ${(e as Error).message}`,
                502,
                true,
              ),
            );
          }
          if (payload.error) {
            return reject(new SimAwsError(payload.error.name, payload.error.message, payload.error.httpStatus, payload.error.retryable));
          }
          resolve(payload.result);
        });
      },
    );
    req.on('error', unreachable);
    req.end(text);
  });
}

/** A Proxy whose every method `m(...args)` becomes `send(m, args)`; `then` stays undefined so it is not a thenable. */
function proxyOf<T extends object>(send: (method: string, args: unknown[]) => Promise<unknown>, fixed: Record<string, unknown> = {}): T {
  return new Proxy(fixed, {
    get(target, prop) {
      if (typeof prop !== 'string' || prop === 'then' || prop === 'toJSON') return undefined;
      if (prop in target) return target[prop];
      return (...args: unknown[]) => send(prop, args);
    },
  }) as T;
}

/** Connects to a sim server at `url` (e.g. `http://127.0.0.1:4566`); fails if it does not answer. */
export async function connectSim(url: string): Promise<SimConnection> {
  const base = url.replace(/\/+$/, '');
  const spec = (await request(base, 'GET', '/clock')) as ScaledClockSpec;
  const clock = scaledClock(spec);

  const port = <T extends object>(service: SimService, target: Partial<AwsTarget> = {}): T =>
    proxyOf<T>(
      (method, args) => request(base, 'POST', '/call', { service, method, target, args }),
      service === 'rds' ? { region: target.region } : {},
    );

  const aws: AwsClients = {
    mode: 'sim',
    rds: (t) => port('rds', t),
    route53: (t) => port('route53', t),
    arc: (t) => port('arc', t),
    fis: (t) => port('fis', t),
    cloudwatch: (t) => port('cloudwatch', t),
    ssm: (t) => port('ssm', t),
    elasticache: (t) => port('elasticache', t),
    secrets: (t) => port('secrets', t),
    autoscaling: (t) => port('autoscaling', t),
    ec2: (t) => port('ec2', t),
    elbv2: (t) => port('elbv2', t),
    dns: () => port('dns'),
  };

  const canary: CanaryConnector = {
    async connect(target: CanaryTarget): Promise<CanaryStore> {
      await request(base, 'POST', '/canary', { op: 'connect', target });
      return proxyOf<CanaryStore>((op, args) => request(base, 'POST', '/canary', { op, target, args }), {
        close: async () => undefined,
      });
    },
  };

  const invoke = (target: SimControlTarget, method: string, ...args: unknown[]): Promise<unknown> =>
    request(base, 'POST', '/control', { target, method, args });

  const control: SimControl = {
    url: base,
    clockSpec: async () => (await request(base, 'GET', '/clock')) as ScaledClockSpec,
    log: async () => (await request(base, 'GET', '/log')) as GroundTruthEvent[],
    apiCalls: async () => (await request(base, 'GET', '/api-calls')) as SimApiCall[],
    addFault: async (spec) => ((await request(base, 'POST', '/faults', spec)) as { id: number }).id,
    clearFaults: async (id) => {
      await request(base, 'DELETE', id === undefined ? '/faults' : `/faults?id=${id}`);
    },
    seed: async (input) => ((await request(base, 'POST', '/seed', input)) as { seeded: number }).seeded,
    invoke,
    rds: proxyOf<Remote<RdsSim>>((method, args) => invoke('rds', method, ...args)),
  };

  return { aws, canary, clock, control };
}
