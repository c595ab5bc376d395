/**
 * `gameday iam-policy`: the policies are scoped to the runbook's own resources, regions and tags,
 * follow `--scenario`, pass the parliament IAM linter (Duo Labs; installed by scripts/setup.sh),
 * and the action list names every command the adapters can send. (Which commands the adapter
 * tests actually send is checked at the end of each adapter test file.)
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GAMEDAY_METRIC_NAMESPACE } from '../activities/measurement';
import { OWNER_TAG as RESTORE_OWNER_TAG, OWNER_VALUE, TEMP_CLUSTER_PREFIX } from '../activities/restore/identifiers';
import { ADAPTER_COMMANDS, DRILL_RESOURCE_PREFIX, METRIC_NAMESPACE, OWNER_TAG } from '../lib/iam/aws-actions';
import { generateIamPolicies, type IamPolicies, type PolicyDocument } from '../lib/iam/iam-policy';
import { loadRunbookByName } from '../runbooks/load';

const ROOT = resolve(__dirname, '..');
const PARLIAMENT = join(ROOT, '.tools/venv/bin/parliament');

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function gameday(args: readonly string[]): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/gameday.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

const actionsOf = (p: PolicyDocument): string[] => p.Statement.flatMap((s) => s.Action);
const statementWith = (p: PolicyDocument, action: string) => p.Statement.find((s) => s.Action.includes(action));

describe('gameday iam-policy', () => {
  it('prints the payments worker policy scoped to its clusters, zone, alarms, parameter, secret, regions and tags', async () => {
    const r = await gameday(['--json', 'iam-policy', '--runbook', 'payments-prod']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const p = JSON.parse(r.stdout) as IamPolicies;
    expect(p.playbooks).toEqual(['preflight', 'region-promotion', 'az-loss', 'restore-verification']);
    const w = p.worker;
    expect(actionsOf(w).every((a) => !a.includes('*'))).toBe(true);

    expect(statementWith(w, 'rds:SwitchoverGlobalCluster')!.Resource).toEqual([
      'arn:aws:rds::111122223333:global-cluster:payments-global',
      'arn:aws:rds:us-east-1:111122223333:cluster:payments-use1',
      'arn:aws:rds:us-west-2:111122223333:cluster:payments-usw2',
    ]);
    expect(statementWith(w, 'rds:SwitchoverGlobalCluster')!.Condition).toEqual({
      StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'us-west-2'] },
    });
    expect(statementWith(w, 'route53:ChangeResourceRecordSets')).toMatchObject({
      Resource: 'arn:aws:route53:::hostedzone/Z0PAYMENTS0001',
      Condition: { 'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['db.payments.example.com'] } },
    });
    expect(statementWith(w, 'ssm:PutParameter')!.Resource).toEqual([
      'arn:aws:ssm:us-east-1:111122223333:parameter/payments/prod/db-region',
      'arn:aws:ssm:us-west-2:111122223333:parameter/payments/prod/db-region',
    ]);
    expect(statementWith(w, 'secretsmanager:GetSecretValue')!.Resource).toBe(
      'arn:aws:secretsmanager:us-east-1:111122223333:secret:gameday/payments-canary-AbCdEf',
    );
    expect(statementWith(w, 'cloudwatch:DescribeAlarms')!.Resource).toEqual(
      expect.arrayContaining([
        'arn:aws:cloudwatch:us-east-1:111122223333:alarm:payments-error-rate-critical',
        'arn:aws:cloudwatch:us-west-2:111122223333:alarm:payments-usw2-5xx',
      ]),
    );
    // required tags become conditions where the action takes them; deletes only touch gameday's own clusters
    expect(statementWith(w, 'elasticache:TestFailover')!.Condition!.StringEquals).toMatchObject({ 'aws:ResourceTag/gameday': 'allowed' });
    expect(statementWith(w, 'rds:DeleteDBCluster')!.Condition!.StringEquals).toMatchObject({ 'aws:ResourceTag/gameday:owner': 'gameday' });
    expect(statementWith(w, 'iam:PassRole')).toMatchObject({
      Resource: 'arn:aws:iam::111122223333:role/gameday-fis',
      Condition: { StringEquals: { 'iam:PassedToService': 'fis.amazonaws.com' } },
    });

    expect(p.fisRole!.roleArn).toBe('arn:aws:iam::111122223333:role/gameday-fis');
    expect(statementWith(p.fisRole!.permissions, 'rds:FailoverDBCluster')!.Resource).toBe(
      'arn:aws:rds:us-east-1:111122223333:cluster:payments-use1',
    );
    expect(statementWith(p.fisRole!.permissions, 'ec2:StopInstances')!.Condition!.StringEquals).toMatchObject({
      'aws:ResourceTag/gameday': 'allowed',
    });
  });

  it('--scenario narrows the worker policy to those playbooks (plus preflight)', async () => {
    const r = await gameday(['--json', 'iam-policy', '--runbook', 'payments-prod', '--scenario', 'region-promotion']);
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout) as IamPolicies;
    expect(p.playbooks).toEqual(['preflight', 'region-promotion']);
    expect(p.fisRole).toBeUndefined();
    expect(actionsOf(p.worker)).toContain('rds:SwitchoverGlobalCluster');
    expect(
      actionsOf(p.worker).filter((a) => a.startsWith('fis:') || a === 'rds:RestoreDBClusterToPointInTime' || a === 'iam:PassRole'),
    ).toEqual([]);

    const human = await gameday(['iam-policy', '--runbook', 'analytics-prod', '--scenario', 'backtrack-drill']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^# analytics-prod: playbooks preflight, backtrack-drill\n\n## Worker role: /);
    expect(human.stdout).toContain('"rds:BacktrackDBCluster"');
    expect(human.stdout).not.toContain('sts:AssumeRole');

    const cross = await gameday(['--json', 'iam-policy', '--runbook', 'analytics-prod', '--worker-account', '999988887777']);
    expect(statementWith((JSON.parse(cross.stdout) as IamPolicies).worker, 'sts:AssumeRole')!.Resource).toBe(
      'arn:aws:iam::444455556666:role/gameday-*',
    );
  });

  it('exits 2 with one line naming the argument for a bad runbook or scenario', async () => {
    const cases: [string[], string][] = [
      [['iam-policy'], 'gameday: --runbook <name|file> is required, e.g. --runbook payments-prod\n'],
      [['iam-policy', '--runbook', 'nope-prod'], 'gameday: --runbook: nope-prod: runbook: no runbook named "nope-prod"'],
      [
        ['iam-policy', '--runbook', 'orders-prod', '--scenario', 'chaos'],
        'gameday: --scenario: expected one of preflight, region-promotion',
      ],
      [
        ['iam-policy', '--runbook', 'orders-prod', '--scenario', 'az-loss'],
        'gameday: --scenario: the runbook does not enable az-loss: it needs a fis section (roleArn, targetTag); this runbook enables preflight, region-promotion\n',
      ],
    ];
    for (const [args, message] of cases) {
      const r = await gameday(args);
      expect({ code: r.code, lines: r.stderr.trimEnd().split('\n').length }).toEqual({ code: 2, lines: 1 });
      expect(r.stderr).toContain(message);
    }
  });
});

describe('policy lint (parliament)', () => {
  it('finds nothing in any generated policy but the FIS role pass, which is pinned to one role and to FIS', () => {
    expect(existsSync(PARLIAMENT) ? 'installed' : `missing ${PARLIAMENT}: run scripts/setup.sh`).toBe('installed');
    const findings: string[] = [];
    for (const name of ['payments-prod', 'orders-prod', 'analytics-prod']) {
      const p = generateIamPolicies(loadRunbookByName(name));
      const docs: [string, PolicyDocument][] = [
        [`${name} worker`, p.worker],
        ...(p.fisRole ? [[`${name} fis role`, p.fisRole.permissions] as [string, PolicyDocument]] : []),
      ];
      for (const [label, doc] of docs) {
        const r = spawnSync(PARLIAMENT, ['--json', '--minimum_severity', 'LOW', '--include-community-auditors'], {
          input: JSON.stringify(doc),
          encoding: 'utf8',
        });
        // exit 1 = findings (listed on stdout, one JSON object a line); anything else is a broken run
        expect({ label, ran: r.status === 0 || r.status === 1, stderr: r.stderr }).toEqual({ label, ran: true, stderr: '' });
        for (const line of r.stdout.split('\n').filter(Boolean)) {
          const f = JSON.parse(line) as { issue: string; location: { actions?: string[] } };
          const passRoleOnly = f.issue === 'PERMISSIONS_MANAGEMENT_ACTIONS' && f.location.actions?.join() === 'iam:passrole';
          if (!passRoleOnly) findings.push(`${label}: ${line}`);
        }
      }
    }
    expect(findings).toEqual([]);
  });

  it('reports a wrong policy (the linter is live): an action on a resource type it does not take', () => {
    const bad = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['rds:SwitchoverGlobalCluster'], Resource: 'arn:aws:s3:::bucket' }],
    };
    const r = spawnSync(PARLIAMENT, ['--json'], { input: JSON.stringify(bad), encoding: 'utf8' });
    expect(r.stdout).toContain('RESOURCE_MISMATCH');
  });
});

describe('the action list', () => {
  it('names every command the adapters construct', () => {
    const dir = join(ROOT, 'activities/aws');
    const prefix: Record<string, string> = {
      rds: 'rds',
      route53: 'route53',
      arc: 'route53-recovery-cluster',
      fis: 'fis',
      cloudwatch: 'cloudwatch',
      ssm: 'ssm',
      elasticache: 'elasticache',
      secrets: 'secretsmanager',
      autoscaling: 'autoscaling',
    };
    const constructed = readdirSync(dir)
      .filter((f) => f.endsWith('-adapter.ts'))
      .flatMap((f) => {
        const service = prefix[f.replace(/-adapter\.ts$/, '')]!;
        return [...readFileSync(join(dir, f), 'utf8').matchAll(/new (\w+)Command\(/g)].map((m) => `${service}:${m[1]}`);
      });
    expect(constructed.length).toBeGreaterThan(40);
    expect(constructed.filter((k) => !ADAPTER_COMMANDS[k])).toEqual([]);
  });

  it('uses the same tag, prefix and namespace as the activities', () => {
    expect(OWNER_TAG).toEqual({ key: RESTORE_OWNER_TAG, value: OWNER_VALUE });
    expect(DRILL_RESOURCE_PREFIX).toBe(TEMP_CLUSTER_PREFIX);
    expect(METRIC_NAMESPACE).toBe(GAMEDAY_METRIC_NAMESPACE);
  });
});
