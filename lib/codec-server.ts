/**
 * The codec server Temporal's Web UI (and the `temporal` CLI's `--codec-endpoint`) calls to show
 * gameday's encrypted payloads in clear, as Temporal documents it: `POST /decode` and
 * `POST /encode` with `{"payloads":[{"metadata":{k: base64}, "data": base64}]}`, CORS for the UI's
 * origin (with the `X-Namespace`, `Content-Type` and `Authorization` headers the UI sends), and an
 * optional bearer token. The key never leaves this process; only people who can reach the server
 * (bound to 127.0.0.1 by default) see decoded payloads.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Payload, PayloadCodec } from '@temporalio/common';

/** Settings of {@link createCodecServer}. */
export interface CodecServerOptions {
  /** Origins allowed to call (the Web UI's, e.g. `http://localhost:8233`); `*` allows any. */
  readonly corsOrigins: readonly string[];
  /** When set, every encode/decode request must carry `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Largest request body accepted. @default 4 MiB (Temporal's gRPC message limit) */
  readonly maxBodyBytes?: number;
}

/** A payload as proto JSON: metadata values and data base64. */
interface JsonPayload {
  metadata?: Record<string, string> | null;
  data?: string | null;
}

function fromJson(p: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    ...(p.data ? { data: Buffer.from(p.data, 'base64') } : {}),
  };
}

function toJson(p: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]),
    ),
    ...(p.data ? { data: Buffer.from(p.data).toString('base64') } : {}),
  };
}

async function readBody(req: IncomingMessage, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw Object.assign(new Error(`request body larger than ${max} bytes`), { status: 413 });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function cors(req: IncomingMessage, res: ServerResponse, origins: readonly string[]): void {
  const origin = req.headers.origin;
  if (origin && (origins.includes('*') || origins.includes(origin))) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
    res.setHeader('Access-Control-Max-Age', '600');
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** An HTTP server (not yet listening) that encodes and decodes payloads with `codec`. */
export function createCodecServer(codec: PayloadCodec, opts: CodecServerOptions): Server {
  const max = opts.maxBodyBytes ?? 4 * 1024 * 1024;
  return createServer((req, res) => {
    cors(req, res, opts.corsOrigins);
    if (req.method === 'OPTIONS') {
      res.writeHead(204);
      res.end();
      return;
    }
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || (path !== '/encode' && path !== '/decode')) {
      send(res, 404, { error: 'POST /encode or POST /decode' });
      return;
    }
    if (opts.token !== undefined && req.headers.authorization !== `Bearer ${opts.token}`) {
      send(res, 401, { error: 'missing or wrong Authorization: Bearer token' });
      return;
    }
    void (async () => {
      try {
        const body = JSON.parse(await readBody(req, max)) as { payloads?: JsonPayload[] };
        if (!Array.isArray(body.payloads)) {
          send(res, 400, { error: 'expected {"payloads":[…]}' });
          return;
        }
        const input = body.payloads.map(fromJson);
        const out = path === '/encode' ? await codec.encode(input) : await codec.decode(input);
        send(res, 200, { payloads: out.map(toJson) });
      } catch (err) {
        const status = (err as { status?: number }).status ?? 400;
        send(res, status, { error: err instanceof Error ? err.message : String(err) });
      }
    })();
  });
}
