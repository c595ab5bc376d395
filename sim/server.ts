/**
 * HTTP front of a simulated AWS, so the sim outlives a worker restart: a worker (or the CLI, a
 * test, a benchmark) connects with `connectSim(url)` from `sim/http-client.ts`.
 *
 * JSON over node http; every timestamp is epoch ms, so JSON is lossless.
 * - `POST /call {service, method, target, args}` → `sim.<service>(target).<method>(...args)`
 * - `POST /canary {op, target, args}` → the canary data plane (`connect`, `ensureTable`, `write`, …)
 * - `GET /clock` → the `ScaledClockSpec`; `GET /log` → ground truth; `GET /api-calls`
 * - `POST /faults` (a `FaultSpec`) → `{id}`; `DELETE /faults[?id=N]`
 * - `POST /control {target, method, args}` → a control method of a service simulator
 *   (`rds.setReplicationLag`, `rds.impairRegion`, `rds.setWriterRegion`, …)
 * - `POST /seed {runbookDir} | {runbook}` → seeds more runbooks
 * - `POST /config` → operation durations, Route 53 propagation, replication lags, fencing effect (`sim/server-config.ts`); `GET /config`
 * Answers are `{result}` or `{error: {name, message, httpStatus, retryable}}` (HTTP 200 for errors
 * the simulated AWS answered, 400/404 for a malformed request to the server itself).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listRunbookFiles, loadRunbookFile, validateRunbookObject } from '../runbooks/load';
import type { SimAws } from './index';
import type { FaultSpec } from './world';
import { applySimConfig, readSimConfig } from './server-config';

/** Services reachable through `POST /call` (the `AwsClients` methods). */
export const SIM_SERVICES = [
  'rds',
  'route53',
  'arc',
  'fis',
  'cloudwatch',
  'ssm',
  'elasticache',
  'secrets',
  'autoscaling',
  'ec2',
  'elbv2',
  'dns',
] as const;
/** A service of the simulated AWS reachable over HTTP. */
export type SimService = (typeof SIM_SERVICES)[number];

/** Simulators reachable through `POST /control` (`<target>Sim`, and `canary`). */
export const SIM_CONTROL_TARGETS = [...SIM_SERVICES, 'canary'] as const;
/** A simulator whose control methods are reachable over HTTP. */
export type SimControlTarget = (typeof SIM_CONTROL_TARGETS)[number];

/** Canary operations reachable through `POST /canary`. */
export const CANARY_OPS = ['connect', 'ensureTable', 'write', 'presentSeqs', 'rows', 'newest', 'deleteRun', 'query'] as const;

/** The error payload of a failed call. */
export interface SimErrorBody {
  readonly name: string;
  readonly message: string;
  readonly httpStatus: number;
  readonly retryable: boolean;
}

/** Options of `startSimServer`. */
export interface SimServerOptions {
  readonly sim: SimAws;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

/** A running sim server. */
export interface SimServer {
  /** e.g. `http://127.0.0.1:4566` */
  readonly url: string;
  close(): Promise<void>;
}

/** A request the server itself refuses (bad path, unknown service or method, bad JSON). */
class BadRequest extends Error {
  override readonly name = 'SimBadRequest';
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function toErrorBody(e: unknown): SimErrorBody {
  const x = e as { name?: unknown; message?: unknown; httpStatus?: unknown; retryable?: unknown };
  return {
    name: typeof x?.name === 'string' ? x.name : 'Error',
    message: typeof x?.message === 'string' ? x.message : String(e),
    httpStatus: typeof x?.httpStatus === 'number' ? x.httpStatus : 500,
    retryable: x?.retryable === true,
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  if (chunks.length === 0) return {};
  try {
    const v = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw new BadRequest(`request body must be a JSON object: ${(e as Error).message}`);
  }
}

function argsOf(body: Record<string, unknown>): unknown[] {
  if (body.args === undefined) return [];
  if (!Array.isArray(body.args)) throw new BadRequest('args must be an array');
  return body.args;
}

/** A callable own-or-prototype method, never a private-by-convention or inherited Object method. */
function methodOf(obj: object, name: unknown, what: string): (...a: unknown[]) => unknown {
  if (typeof name !== 'string' || name.startsWith('_') || name === 'constructor' || name in Object.prototype) {
    throw new BadRequest(`${what}: method must be a method name, got ${JSON.stringify(name)}`);
  }
  const fn = (obj as Record<string, unknown>)[name];
  if (typeof fn !== 'function') throw new BadRequest(`${what} has no method ${name}`, 404);
  return (fn as (...a: unknown[]) => unknown).bind(obj);
}

/** Starts the HTTP server over `sim`; resolves once it listens. */
export async function startSimServer(opts: SimServerOptions): Promise<SimServer> {
  const { sim } = opts;
  const host = opts.host ?? '127.0.0.1';

  const route = async (req: IncomingMessage, signal: AbortSignal): Promise<unknown> => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const key = `${req.method} ${url.pathname}`;
    switch (key) {
      case 'GET /health':
        return { ok: true };
      case 'GET /clock':
        return sim.world.clockSpec;
      case 'GET /log':
        return sim.world.log.all();
      case 'GET /api-calls':
        return sim.world.apiCalls;
      case 'POST /faults': {
        const spec = (await readJson(req)) as unknown as FaultSpec;
        if (!['throttle', '5xx', 'latency', 'hang'].includes(spec.kind)) {
          throw new BadRequest(`fault kind must be one of throttle, 5xx, latency, hang; got ${JSON.stringify(spec.kind)}`);
        }
        return { id: sim.world.faults.add(spec) };
      }
      case 'DELETE /faults': {
        const id = url.searchParams.get('id');
        if (id === null) sim.world.faults.clear();
        else sim.world.faults.remove(Number(id));
        return { ok: true };
      }
      case 'POST /call': {
        const body = await readJson(req);
        const service = body.service as SimService;
        if (!SIM_SERVICES.includes(service))
          throw new BadRequest(`service must be one of ${SIM_SERVICES.join(', ')}, got ${JSON.stringify(body.service)}`);
        const target = (body.target ?? {}) as { region: string };
        const port: object =
          service === 'rds' ? sim.rdsSim.api(target, { signal }) : (sim[service] as (t: unknown) => object).call(sim, target);
        return methodOf(port, body.method, service)(...argsOf(body));
      }
      case 'POST /canary': {
        const body = await readJson(req);
        const op = body.op as (typeof CANARY_OPS)[number];
        if (!CANARY_OPS.includes(op)) throw new BadRequest(`op must be one of ${CANARY_OPS.join(', ')}`);
        const store = await sim.canary.connect(body.target as never);
        if (op === 'connect') return null;
        return methodOf(store, op, 'canary')(...argsOf(body));
      }
      case 'POST /control': {
        const body = await readJson(req);
        const target = body.target as SimControlTarget;
        if (!SIM_CONTROL_TARGETS.includes(target)) throw new BadRequest(`target must be one of ${SIM_CONTROL_TARGETS.join(', ')}`);
        const obj = target === 'canary' ? sim.canary : (sim as unknown as Record<string, object>)[`${target}Sim`]!;
        const name = body.method;
        if (name === 'api' || name === 'seed')
          throw new BadRequest(`${target}.${String(name)} is not a control method; use /call or /seed`);
        return methodOf(obj, name, target)(...argsOf(body));
      }
      case 'GET /config':
        return readSimConfig(sim);
      case 'POST /config': {
        const body = await readJson(req);
        try {
          return applySimConfig(sim, body);
        } catch (e) {
          throw new BadRequest((e as Error).message);
        }
      }
      case 'POST /seed': {
        const body = await readJson(req);
        if (typeof body.runbookDir === 'string') {
          const files = listRunbookFiles(body.runbookDir);
          for (const f of files) sim.seedFromRunbook(loadRunbookFile(f));
          return { seeded: files.length };
        }
        if (body.runbook !== undefined) {
          sim.seedFromRunbook(validateRunbookObject(body.runbook, 'POST /seed runbook'));
          return { seeded: 1 };
        }
        throw new BadRequest('seed needs runbookDir (a folder of runbook files) or runbook (a runbook object)');
      }
      default:
        throw new BadRequest(`no route ${key}`, 404);
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const ac = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) ac.abort(new Error('client went away'));
    });
    let status = 200;
    let payload: unknown;
    try {
      payload = { result: await route(req, ac.signal) };
    } catch (e) {
      if (e instanceof BadRequest) status = e.status;
      payload = { error: toErrorBody(e) };
    }
    if (res.destroyed) return;
    const text = JSON.stringify(payload);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      // Only a failure to write the response lands here; the connection is dropped.
      res.destroy(e instanceof Error ? e : new Error(String(e)));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
