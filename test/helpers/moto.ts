/**
 * Starts a real moto server (`.tools/venv/bin/moto_server`, installed by `scripts/setup.sh`) on a
 * free loopback port for adapter contract tests, and stops it again. Fake credentials are set in
 * the test process only (`useFakeAwsCredentials`), never in the shell.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort } from './net';

/** A running moto server. */
export interface MotoServer {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly port: number;
  /** Resets every moto backend (`POST /moto-api/reset`), between tests. */
  reset(): Promise<void>;
  /** Stops the server process and waits for it to exit. */
  stop(): Promise<void>;
}

/** Thrown when moto is not installed or does not answer in time. */
export class MotoStartError extends Error {
  override readonly name = 'MotoStartError';
}

const MOTO_BIN = resolve(__dirname, '../../.tools/venv/bin/moto_server');

async function answers(endpoint: string): Promise<boolean> {
  try {
    const r = await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(1000) });
    return r.ok;
  } catch {
    return false; // not listening yet
  }
}

/** Sets fake AWS credentials in this process's env (moto accepts any) and returns an undo. */
export function useFakeAwsCredentials(): () => void {
  const keys = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION'] as const;
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_SESSION_TOKEN = 'testing';
  delete process.env.AWS_PROFILE;
  process.env.AWS_REGION = 'us-east-1';
  return () => {
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  };
}

/** Starts moto on 127.0.0.1 and resolves once it answers HTTP. */
export async function startMoto(opts: { readonly timeoutMs?: number } = {}): Promise<MotoServer> {
  if (!existsSync(MOTO_BIN)) {
    throw new MotoStartError(`moto_server not found at ${MOTO_BIN}; run \`npm run setup\` (scripts/setup.sh) to install it`);
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(MOTO_BIN, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'true' },
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let exited = false;
  const exitedPromise = new Promise<void>((res) => child.once('exit', () => ((exited = true), res())));

  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  while (!(await answers(endpoint))) {
    if (exited) throw new MotoStartError(`moto_server exited before answering on ${endpoint}: ${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new MotoStartError(`moto_server did not answer on ${endpoint} in time: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    endpoint,
    port,
    async reset() {
      const r = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!r.ok) throw new MotoStartError(`moto reset failed: HTTP ${r.status}`);
    },
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}
