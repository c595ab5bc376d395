/**
 * Running the database binaries of the real region pair on this machine: as the `postgres` user
 * when gameday runs as root (PostgreSQL refuses root), with a bounded time, failing with the
 * command's stderr. Also a free loopback port and a poll-until-ready helper.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';

/** Thrown when a database server of the region pair cannot be set up or driven. */
export class RegionPairError extends Error {
  override readonly name = 'RegionPairError';
}

/** uid/gid to run a server as: `postgres` when root, else the current user (empty). */
export interface ProcessOwner {
  readonly uid?: number;
  readonly gid?: number;
}

/** True when this process runs as root. */
export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The owner PostgreSQL runs as: the `postgres` user when root (it refuses root), else the caller. */
export function postgresOwner(): ProcessOwner {
  if (!isRoot()) return {};
  try {
    return {
      uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
      gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
    };
  } catch {
    throw new RegionPairError(
      'running as root needs a `postgres` user to run PostgreSQL as; run scripts/setup.sh (apt package postgresql)',
    );
  }
}

/** Runs `cmd args` as `owner`, resolving stdout; rejects with stderr on failure or after `timeoutMs`. */
export function run(
  cmd: string,
  args: readonly string[],
  owner: ProcessOwner & { cwd?: string } = {},
  timeoutMs = 120_000,
): Promise<string> {
  return new Promise((res, rej) => {
    execFile(cmd, [...args], { ...owner, timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) rej(new RegionPairError(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else res(stdout);
    });
  });
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => res(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** Polls `probe` every 100 ms until it resolves; rejects naming `what` after `timeoutMs` wall ms. */
export async function waitFor<T>(what: string, probe: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return await probe();
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new RegionPairError(`${what} not ready within ${timeoutMs} ms: ${last instanceof Error ? last.message : String(last)}`);
}
