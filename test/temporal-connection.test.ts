/**
 * Temporal connection settings (lib/temporal-connection.ts): how the profile file, the TEMPORAL_*
 * variables and the CLI flags combine, and the worker and the CLI as users run them against a
 * TLS / mTLS front of the real dev server (test/helpers/tls-proxy.ts), from a profile file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadTemporalConnection, TemporalConnectionError } from '../lib/temporal-connection';
import { makeTestCertificates, startTlsProxy, TEST_SERVER_NAME, type TestCertificates, type TlsProxy } from './helpers/tls-proxy';

const ROOT = resolve(__dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'gameday-conn-'));
const DEV = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';

/** The environment of a child process: this one's, without any Temporal connection variable. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', XDG_CONFIG_HOME: dir, ...extra };
  for (const k of Object.keys(env)) if (k.startsWith('TEMPORAL_') && !(k in extra)) delete env[k];
  return env;
}

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function gameday(args: readonly string[], env: Record<string, string>): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/gameday.js'), ...args], {
      cwd: ROOT,
      env: cleanEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

function toml(text: string): string {
  const file = join(dir, `temporal-${randomUUID().slice(0, 8)}.toml`);
  writeFileSync(file, text);
  return file;
}

function expectOneLine(r: Ran, code: number, ...needles: string[]): void {
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code, stderr: expect.stringMatching(/^gameday: .+\n$/) });
  for (const n of needles) expect(r.stderr).toContain(n);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('loadTemporalConnection', () => {
  const certs = { ca: join(dir, 'ca.pem'), crt: join(dir, 'c.pem'), key: join(dir, 'c.key') };
  beforeAll(() => {
    for (const f of Object.values(certs)) writeFileSync(f, '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
  });

  it('defaults to the local dev server without TLS when nothing is configured', () => {
    const c = loadTemporalConnection({ env: { HOME: dir } });
    expect(c.options).toEqual({ address: '127.0.0.1:7233' });
    expect(c.namespace).toBe('default');
    expect(c.tlsMode).toBe('off');
  });

  it('reads a profile, lets TEMPORAL_* variables override it and the flags override both', () => {
    const file = toml(
      `[profile.prod]\naddress = "prod.example:7233"\nnamespace = "prod-ns"\n[profile.prod.tls]\nserver_ca_cert_path = "${certs.ca}"\nserver_name = "temporal.internal"\nclient_cert_path = "${certs.crt}"\nclient_key_path = "${certs.key}"\n`,
    );
    const fromFile = loadTemporalConnection({ env: { TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod' } });
    expect(fromFile.options.address).toBe('prod.example:7233');
    expect(fromFile.namespace).toBe('prod-ns');
    expect(fromFile.tlsMode).toBe('mtls');
    expect(fromFile.options.tls).toMatchObject({ serverNameOverride: 'temporal.internal' });
    expect(fromFile.origin.address).toBe(`address of profile "prod" in ${file}`);

    const env = {
      TEMPORAL_CONFIG_FILE: file,
      TEMPORAL_PROFILE: 'prod',
      TEMPORAL_NAMESPACE: 'env-ns',
      TEMPORAL_ADDRESS: 'env.example:7233',
    };
    const fromEnv = loadTemporalConnection({ env });
    expect([fromEnv.options.address, fromEnv.namespace, fromEnv.origin.namespace]).toEqual([
      'env.example:7233',
      'env-ns',
      'TEMPORAL_NAMESPACE',
    ]);

    const fromFlags = loadTemporalConnection({ env, overrides: { address: 'flag.example:7233', namespace: 'flag-ns' } });
    expect([fromFlags.options.address, fromFlags.namespace, fromFlags.origin.address]).toEqual([
      'flag.example:7233',
      'flag-ns',
      '--address',
    ]);
    expect(fromFlags.tlsMode).toBe('mtls');
  });

  it('turns TLS on for an API key (Temporal Cloud) and keeps the key out of the description', () => {
    const c = loadTemporalConnection({
      env: { HOME: dir, TEMPORAL_ADDRESS: 'us-east-1.aws.api.temporal.io:7233', TEMPORAL_API_KEY: 'secret-key' },
    });
    expect(c.options).toMatchObject({ apiKey: 'secret-key', tls: true });
    expect(c.tlsMode).toBe('tls');
    expect(JSON.stringify(c.origin)).not.toContain('secret-key');
  });

  it('names the variable or the profile key of a missing certificate file, and the fix', () => {
    const missing = join(dir, 'nope.pem');
    expect(() =>
      loadTemporalConnection({ env: { HOME: dir, TEMPORAL_TLS_CLIENT_CERT_PATH: missing, TEMPORAL_TLS_CLIENT_KEY_PATH: certs.key } }),
    ).toThrow(
      new TemporalConnectionError(
        `TEMPORAL_TLS_CLIENT_CERT_PATH: file ${missing} not found; point it at the PEM file of the client certificate`,
        'tls-file-missing',
      ),
    );
    const file = toml(`[profile.default]\naddress = "x:7233"\n[profile.default.tls]\nserver_ca_cert_path = "${missing}"\n`);
    expect(() => loadTemporalConnection({ env: { TEMPORAL_CONFIG_FILE: file } })).toThrow(
      `tls.server_ca_cert_path of profile "default" in ${file}: file ${missing} not found; point it at the PEM file of the CA that signed the server certificate`,
    );
  });

  it('refuses a client certificate without its key, a missing config file and an unknown profile', () => {
    expect(() => loadTemporalConnection({ env: { HOME: dir, TEMPORAL_TLS_CLIENT_CERT_PATH: certs.crt } })).toThrow(
      /^TEMPORAL_TLS_CLIENT_CERT_PATH is set but no client key is; set TEMPORAL_TLS_CLIENT_KEY_PATH/,
    );
    expect(() => loadTemporalConnection({ env: { TEMPORAL_CONFIG_FILE: join(dir, 'none.toml') } })).toThrow(
      /^TEMPORAL_CONFIG_FILE: Temporal config file .*none\.toml not found/,
    );
    const file = toml('[profile.default]\naddress = "x:7233"\n');
    expect(() => loadTemporalConnection({ env: { TEMPORAL_CONFIG_FILE: file }, overrides: { profile: 'staging' } })).toThrow(
      `--profile: no profile "staging" in ${file}; add a [profile.staging] table there or name an existing profile`,
    );
    expect(() => loadTemporalConnection({ env: { TEMPORAL_CONFIG_FILE: toml('[profile.default]\nadress = "typo:7233"\n') } })).toThrow(
      /not a valid Temporal config file .*adress/,
    );
  });
});

describe('worker and CLI through a TLS front of the dev server, from a profile file', () => {
  let certs: TestCertificates;
  let mtls: TlsProxy;
  let tlsOnly: TlsProxy;
  let worker: ChildProcess | undefined;
  let profiles: string;
  const taskQueue = `test-tls-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    certs = makeTestCertificates();
    mtls = await startTlsProxy({ target: DEV, certs, requireClientCert: true });
    tlsOnly = await startTlsProxy({ target: DEV, certs });
    const tlsTable = (extra: string): string => `server_ca_cert_path = "${certs.caCert}"\nserver_name = "${TEST_SERVER_NAME}"\n${extra}`;
    const client = `client_cert_path = "${certs.clientCert}"\nclient_key_path = "${certs.clientKey}"\n`;
    profiles = toml(
      [
        `[profile.mtls]\naddress = "${mtls.address}"\nnamespace = "default"\n[profile.mtls.tls]\n${tlsTable(client)}`,
        `[profile.far]\naddress = "127.0.0.1:1"\n[profile.far.tls]\n${tlsTable(client)}`,
        `[profile.nocert]\naddress = "${mtls.address}"\n[profile.nocert.tls]\n${tlsTable('')}`,
        `[profile.badcert]\naddress = "${mtls.address}"\n[profile.badcert.tls]\n${tlsTable(`client_cert_path = "${join(certs.dir, 'gone.pem')}"\nclient_key_path = "${certs.clientKey}"\n`)}`,
        `[profile.wrongca]\naddress = "${tlsOnly.address}"\n[profile.wrongca.tls]\nserver_ca_cert_path = "${certs.otherCaCert}"\nserver_name = "${TEST_SERVER_NAME}"\n`,
        `[profile.plain]\naddress = "${tlsOnly.address}"\n`,
      ].join('\n'),
    );
  });
  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((done) => worker!.once('exit', done));
      worker.kill('SIGTERM');
      await exited;
    }
    await mtls?.close();
    await tlsOnly?.close();
  });

  it('runs a playbook end to end over mTLS: worker.ts and the CLI both read the profile', async () => {
    const env = { TEMPORAL_CONFIG_FILE: profiles, TEMPORAL_PROFILE: 'mtls' };
    let stderr = '';
    worker = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'worker.ts'], {
      cwd: ROOT,
      env: cleanEnv({ ...env, GAMEDAY_AWS: 'sim', GAMEDAY_TASK_QUEUE: taskQueue, LOG_LEVEL: 'info' }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    worker.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));

    const r = await gameday(['--json', '--task-queue', taskQueue, 'start', 'preflightWorkflow', '--runbook', 'payments-prod'], env);
    expect({ code: r.code, stderr: r.code === 0 ? '' : `${r.stderr}\nworker:\n${stderr}` }).toEqual({ code: 0, stderr: '' });
    expect((JSON.parse(r.stdout) as { result: { runbook: string; ready: boolean } }).result).toMatchObject({
      runbook: 'payments-prod',
      ready: true,
    });
    expect(stderr).toContain(`"temporal":"${mtls.address} namespace default (mTLS; profile \\"mtls\\" of ${profiles})"`);
    // Both processes came through the proxy with the client certificate; none went around it.
    expect(mtls.accepted.length).toBeGreaterThanOrEqual(2);
    expect(mtls.accepted.every((a) => a.clientCn === 'gameday-worker')).toBe(true);
  });

  it('--address overrides the profile address and keeps its TLS settings', async () => {
    const r = await gameday(['--profile', 'far', '--config-file', profiles, '--address', mtls.address, 'runs'], {});
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('exit 2 naming the profile key when a certificate file is missing', async () => {
    const r = await gameday(['runs'], { TEMPORAL_CONFIG_FILE: profiles, TEMPORAL_PROFILE: 'badcert' });
    expectOneLine(r, 2, `tls.client_cert_path of profile "badcert" in ${profiles}: file ${join(certs.dir, 'gone.pem')} not found`);
  });

  it('exit 2 naming the variable when a certificate file from TEMPORAL_TLS_* is missing', async () => {
    const r = await gameday(['runs'], {
      TEMPORAL_CONFIG_FILE: profiles,
      TEMPORAL_PROFILE: 'mtls',
      TEMPORAL_TLS_CLIENT_KEY_PATH: join(certs.dir, 'no.key'),
    });
    expectOneLine(
      r,
      2,
      `gameday: TEMPORAL_TLS_CLIENT_KEY_PATH: file ${join(certs.dir, 'no.key')} not found; point it at the PEM file of the client private key`,
    );
  });

  it('exit 2 when the server refuses: no client certificate for an mTLS server', async () => {
    const refusedBefore = mtls.refused.length;
    const r = await gameday(['runs'], { TEMPORAL_CONFIG_FILE: profiles, TEMPORAL_PROFILE: 'nocert' });
    expectOneLine(
      r,
      2,
      `cannot connect to Temporal at ${mtls.address} (from address of profile "nocert" in ${profiles}): the server requires a client certificate (mTLS)`,
      'set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH',
    );
    expect(mtls.refused.length).toBeGreaterThan(refusedBefore);
  });

  it('exit 2 naming the CA setting when the server certificate is not trusted', async () => {
    const r = await gameday(['runs'], { TEMPORAL_CONFIG_FILE: profiles, TEMPORAL_PROFILE: 'wrongca' });
    expectOneLine(
      r,
      2,
      "the server's certificate is not signed by a CA this client trusts",
      `set tls.server_ca_cert_path of profile "wrongca" in ${profiles}`,
    );
  });

  it('exit 2 when TLS is off but the server expects it, and when nothing listens', async () => {
    const plain = await gameday(['runs'], { TEMPORAL_CONFIG_FILE: profiles, TEMPORAL_PROFILE: 'plain' });
    expectOneLine(plain, 2, 'the server expects TLS and this connection has TLS off', 'set TEMPORAL_TLS=true');
    const far = await gameday(['--address', '127.0.0.1:1', 'runs'], {});
    expectOneLine(far, 2, 'cannot connect to Temporal at 127.0.0.1:1 (from --address): nothing listens there (connection refused)');
  });

  it('the worker exits 1 with the same one-line reason, without a stack', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'worker.ts'], {
      cwd: ROOT,
      env: cleanEnv({ TEMPORAL_CONFIG_FILE: profiles, TEMPORAL_PROFILE: 'nocert', GAMEDAY_AWS: 'sim', GAMEDAY_TASK_QUEUE: taskQueue }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    expect(code).toBe(1);
    expect(stderr).toContain('worker failed: cannot connect to Temporal at');
    expect(stderr).toContain('the server requires a client certificate (mTLS)');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
