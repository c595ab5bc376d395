/** `npm run region-pair` (scripts/region-pair.ts): start a real pair in the background, see it stream, stop it; bad options exit 2. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

const ROOT = join(__dirname, '..');
const script = (...args: string[]) =>
  spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'scripts/region-pair.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 150_000,
  });

afterAll(() => {
  script('stop', '--engine', 'postgres'); // a failed assertion must not leave the pair running
});

test('start → the standby streams behind the writer endpoint → stop removes it', async () => {
  const started = script('start', '--engine', 'postgres', '--lag-ms', '200');
  expect(started.status).toBe(0);
  const state = JSON.parse(started.stdout) as { writerEndpoint: { port: number }; standby: { port: number } };
  const c = new Client({
    host: '127.0.0.1',
    port: state.writerEndpoint.port,
    user: 'canary',
    password: 'gameday-pair-pw',
    database: 'postgres',
  });
  await c.connect();
  try {
    const r = await c.query<{ rec: boolean; state: string }>(
      'SELECT pg_is_in_recovery() AS rec, (SELECT state FROM pg_stat_replication LIMIT 1) AS state',
    );
    expect(r.rows[0]).toEqual({ rec: false, state: 'streaming' });
  } finally {
    await c.end();
  }
  const stopped = script('stop', '--engine', 'postgres');
  expect(stopped.status).toBe(0);
  // The state file goes once the servers and proxies are down (the process then exits).
  expect(existsSync(join(ROOT, '.region-pair/postgres.json'))).toBe(false);
  const listening = execFileSync('ss', ['-ltn']).toString();
  expect(listening).not.toContain(`:${state.standby.port} `);
  expect(listening).not.toContain(`:${state.writerEndpoint.port} `);
});

test('a bad option exits 2 naming the option and the fix', () => {
  const r = script('start', '--engine', 'oracle');
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('--engine must be postgres or mariadb (got "oracle")');
});
