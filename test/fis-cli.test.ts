/**
 * `gameday fis validate FILE…` and `gameday fis import` as users run them (`node bin/gameday.js`):
 * arbitrary template files judged with the kind of each refusal, `--json` output, imports rendered
 * against a runbook before anything is written, and bad input as one line on stderr with exit 2.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const CORPUS = join('test', 'fixtures', 'fis-corpus');
const RUNBOOK = join(CORPUS, 'corpus-runbook.yaml');
const valid = (name: string): string => join(CORPUS, 'valid', `${name}.json`);
const dir = mkdtempSync(join(tmpdir(), 'gameday-fis-cli-'));

function gameday(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/gameday.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn' },
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

function brokenFile(): string {
  const doc = JSON.parse(readFileSync(join(ROOT, valid('ec2-stop-wait-terminate-chain')), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  doc.actions.Hold.startafter = doc.actions.Hold.startAfter;
  delete doc.actions.Hold.startAfter;
  doc.stopConditions = [{ source: 'none' }];
  doc.actions.Stop.description = 'stop in <YOUR REGION>';
  const file = join(dir, 'broken.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

describe('gameday fis validate FILE…', () => {
  it('accepts valid files from anywhere (exit 0), saying when policy was not checked', async () => {
    const r = await gameday(['fis', 'validate', valid('eks-pod-network-latency-container'), valid('az-power-with-report')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`ok      ${valid('eks-pod-network-latency-container')}`);
    expect(r.stderr).toContain('policy not checked (no --runbook)');
  });

  it('refuses a broken file with one line per issue, naming its kind, and exit 2', async () => {
    const file = brokenFile();
    const r = await gameday(['fis', 'validate', file, '--runbook', RUNBOOK]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`INVALID ${file} (us-east-1)`);
    expect(r.stdout).toContain(
      '$.actions.Hold.startafter: not valid FIS: unknown field "startafter"; FIS field names are case-sensitive: write "startAfter"',
    );
    expect(r.stdout).toContain('$.actions.Stop.description: unfilled placeholder: "<YOUR REGION>"');
    expect(r.stdout).toMatch(
      /\$\.stopConditions\[0\]\.source: refused by gameday policy \[stop-condition-required\]: .*fis\.policy\.requireStopCondition: false/,
    );
    expect(r.stderr.trim().split('\n')).toEqual(['gameday: 1 of 1 template file(s) refused; see the issues above']);
  });

  it('--json gives every file with its issues and notes', async () => {
    const r = await gameday([
      '--json',
      'fis',
      'validate',
      valid('elasticache-former-action-name'),
      join(dir, 'missing.json'),
      '--runbook',
      RUNBOOK,
    ]);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout) as {
      valid: boolean;
      policyChecked: boolean;
      files: { valid: boolean; issues: { kind: string; message: string }[]; notes: unknown[] }[];
    };
    expect(out).toMatchObject({ valid: false, policyChecked: true });
    expect(out.files.map((f) => f.valid)).toEqual([true, false]);
    expect(out.files[0]!.notes).toHaveLength(1);
    expect(out.files[1]!.issues[0]).toMatchObject({ kind: 'fis', message: 'file not found; check the path' });
  });

  it('bad arguments: one line naming the argument and the fix, exit 2, no stack trace', async () => {
    const r = await gameday(['fis', 'validate', valid('ec2-reboot-instances'), '--region', 'mars-1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('gameday: --region: "mars-1" is not a region code; pass one such as us-east-1');
    const i = await gameday(['fis', 'import', valid('ec2-reboot-instances'), '--runbook', RUNBOOK]);
    expect(i.code).toBe(2);
    expect(i.stderr.trim()).toMatch(/^gameday: --name <name> is required: .*\(e\.g\. --name eks-pod-cpu\)$/);
    expect(i.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('gameday fis import', () => {
  it('writes a template that renders and validates for the runbook, with the runbook values as placeholders', async () => {
    const r = await gameday([
      'fis',
      'import',
      valid('ecs-task-network-chain'),
      '--name',
      'ecs-chain',
      '--runbook',
      RUNBOOK,
      '--az',
      'us-east-1a',
      '--dir',
      dir,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`as ${join(dir, 'ecs-chain.json')}`);
    const lib = JSON.parse(readFileSync(join(dir, 'ecs-chain.json'), 'utf8')) as Record<string, unknown>;
    expect(lib).toMatchObject({
      roleArn: '{{roleArn}}',
      stopConditions: '{{stopConditions}}',
      tags: '{{tags}}',
      $gameday: { importedFrom: 'ecs-task-network-chain.json' },
    });
    const again = await gameday([
      'fis',
      'import',
      valid('ecs-task-network-chain'),
      '--name',
      'ecs-chain',
      '--runbook',
      RUNBOOK,
      '--az',
      'us-east-1a',
      '--dir',
      dir,
    ]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists; pick another name or pass --force');
  });

  it('writes nothing when the template is refused by the runbook policy', async () => {
    const r = await gameday([
      'fis',
      'import',
      valid('api-internal-error-ec2'),
      '--name',
      'api-errors',
      '--runbook',
      'payments-prod',
      '--az',
      'us-east-1a',
      '--dir',
      dir,
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/refused by gameday policy \[blast-radius\]: .*add it to fis\.policy\.allowedArns/);
    expect(existsSync(join(dir, 'api-errors.json'))).toBe(false);
  });
});
