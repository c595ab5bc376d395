/**
 * The runbook format: every example runbook is accepted, and each kind of bad input is rejected
 * with the field path and the line it is on (what `gameday validate` prints).
 */
import { formatIssue, listRunbookFiles, loadRunbookFile, parseRunbook, RunbookValidationError, type RunbookIssue } from '../runbooks/load';

const BASE = `service: demo
environment: test
tier: tier1
account: "111122223333"
blastRadius:
  accounts: ["111122223333"]
  regions: [us-east-1, us-west-2]
aurora:
  globalClusterId: demo-global
  engine: postgres
  primaryRegion: us-east-1
  members:
    - region: us-east-1
      clusterId: demo-use1
    - region: us-west-2
      clusterId: demo-usw2
canary:
  endpoint: demo.cluster-abc.us-east-1.rds.amazonaws.com
  database: demo
  secretArn: arn:aws:secretsmanager:us-east-1:111122223333:secret:demo-canary-AbCdEf
`;

/** BASE with one exact substring replaced (fails loudly if the substring is absent). */
function edit(from: string, to: string): string {
  if (!BASE.includes(from)) throw new Error(`test bug: "${from}" not in BASE`);
  return BASE.replace(from, to);
}

function issuesOf(text: string): RunbookIssue[] {
  try {
    parseRunbook(text, 'bad.yaml');
  } catch (err) {
    if (err instanceof RunbookValidationError) return [...err.issues];
    throw err;
  }
  throw new Error('expected the runbook to be rejected');
}

describe('runbook schema', () => {
  it.each(listRunbookFiles().map((f) => [f]))('accepts the example %s', (file) => {
    const rb = loadRunbookFile(file);
    expect(rb.blastRadius.accounts).toContain(rb.account);
  });

  it('accepts the minimal base runbook and applies defaults', () => {
    const rb = parseRunbook(BASE, 'base.yaml');
    expect(rb.approval).toEqual({ required: true, timeout: '15m', approvers: [] });
    expect(rb.canary?.table).toBe('gameday_canary');
  });

  const cases: { what: string; text: string; path: string; line: number; message: RegExp }[] = [
    { what: 'wrong type (tier as a number)', text: edit('tier: tier1', 'tier: 1'), path: 'tier', line: 3, message: /tier0|expected/ },
    {
      what: 'wrong type (account as a number)',
      text: edit('account: "111122223333"', 'account: 111122223333'),
      path: 'account',
      line: 4,
      message: /expected/,
    },
    {
      what: 'unknown field',
      text: edit('  engine: postgres', '  engine: postgres\n  engin: mysql'),
      path: 'aurora',
      line: 9,
      message: /unknown field "engin"/,
    },
    {
      what: 'inline password',
      text: BASE + '  password: hunter2\n',
      path: 'canary.password',
      line: 21,
      message: /inline password is not allowed.*secretArn/,
    },
    {
      what: 'missing regions',
      text: edit('  regions: [us-east-1, us-west-2]\n', ''),
      path: 'blastRadius.regions',
      line: 6,
      message: /expected array|Required|received undefined/i,
    },
    {
      what: 'empty regions',
      text: edit('regions: [us-east-1, us-west-2]', 'regions: []'),
      path: 'blastRadius.regions',
      line: 7,
      message: /at least one allowed region/,
    },
    {
      what: 'region outside the allowed list',
      text: edit('    - region: us-west-2', '    - region: eu-west-1'),
      path: 'aurora.members.1.region',
      line: 15,
      message: /eu-west-1 is outside blastRadius.regions/,
    },
    {
      what: 'not a region',
      text: edit('primaryRegion: us-east-1', 'primaryRegion: virginia'),
      path: 'aurora.primaryRegion',
      line: 11,
      message: /AWS region/,
    },
    {
      what: 'account outside blastRadius',
      text: edit('account: "111122223333"', 'account: "999999999999"'),
      path: 'account',
      line: 4,
      message: /999999999999 is outside blastRadius.accounts/,
    },
    {
      what: 'bad duration',
      text: edit('tier: tier1', 'tier: tier1\ntargets: { rpo: 5 seconds }'),
      path: 'targets.rpo',
      line: 4,
      message: /duration/,
    },
  ];

  it.each(cases)('rejects $what at $path (line $line)', ({ text, path, line, message }) => {
    const issues = issuesOf(text);
    const hit = issues.find((i) => i.path === path);
    expect(hit).toBeDefined();
    expect(hit!.line).toBe(line);
    expect(hit!.message).toMatch(message);
    expect(formatIssue(hit!)).toBe(`bad.yaml:${line}: ${path}: ${hit!.message}`);
  });

  it('rejects YAML syntax errors with the line', () => {
    const issues = issuesOf(edit('  database: demo', '  database: [demo'));
    expect(issues[0]!.message).toMatch(/^YAML syntax/);
    expect(issues[0]!.line).toBeGreaterThanOrEqual(19);
  });
});
