/**
 * The FIS catalog and the two judgements on a corpus of our own: every valid template (one or more
 * of each catalog action, in the styles published templates use) passes with no refusal, and each
 * broken variant is refused at the right JSON path with the right kind of message: "not valid FIS"
 * (what CreateExperimentTemplate would refuse), "refused by gameday policy" (naming the rule and how
 * to change it) or "unfilled placeholder".
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FIS_ACTIONS, FIS_CATALOG_SOURCE, FIS_RENAMED_ACTIONS, FIS_RESOURCE_TYPES, lookupFisAction } from '../runbooks/fis-catalog';
import { FIS_TEMPLATE_DIR, formatFisIssue, listFisTemplateNames, loadFisTemplateFile } from '../runbooks/fis-templates';
import { judgeFisDocument } from '../runbooks/fis-templates/validate';
import { findPlaceholders } from '../runbooks/fis-templates/placeholders';
import { loadRunbookFile, validateRunbookObject } from '../runbooks/load';
import type { Runbook } from '../runbooks/schema';

const CORPUS = join(__dirname, 'fixtures', 'fis-corpus');
const VALID = join(CORPUS, 'valid');
const runbook = loadRunbookFile(join(CORPUS, 'corpus-runbook.yaml'));
const files = readdirSync(VALID)
  .filter((f) => f.endsWith('.json'))
  .sort();
// Corpus documents are edited on purpose below, so they are read as untyped JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;
const read = (name: string): Doc => JSON.parse(readFileSync(join(VALID, `${name}.json`), 'utf8')) as Doc;

describe('the FIS catalog', () => {
  it('holds every action of the reference (50) and names its source and date', () => {
    expect(Object.keys(FIS_ACTIONS)).toHaveLength(50);
    expect(FIS_CATALOG_SOURCE.actions).toMatch(/fis-actions-reference/);
    expect(FIS_CATALOG_SOURCE.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const [id, spec] of Object.entries(FIS_ACTIONS)) {
      expect(id).toMatch(/^aws:[a-z0-9]+:[a-z0-9-]+$/);
      for (const type of Object.values(spec.targets)) expect(FIS_RESOURCE_TYPES).toContain(type);
    }
  });

  it('knows renamed actions under their former names', () => {
    expect(FIS_RENAMED_ACTIONS['aws:elasticache:interrupt-cluster-az-power']).toBe('aws:elasticache:replicationgroup-interrupt-az-power');
    expect(lookupFisAction('aws:elasticache:interrupt-cluster-az-power')).toMatchObject({
      currentId: 'aws:elasticache:replicationgroup-interrupt-az-power',
      formerId: 'aws:elasticache:interrupt-cluster-az-power',
    });
  });

  it('has every action the template library uses', () => {
    const used = listFisTemplateNames().flatMap((name) =>
      Object.values(loadFisTemplateFile(name).actions as Record<string, { actionId: string }>).map((a) => `${name}: ${a.actionId}`),
    );
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((u) => !lookupFisAction(u.split(': ')[1]!))).toEqual([]);
    expect(FIS_TEMPLATE_DIR).toMatch(/runbooks[/\\]fis$/);
  });
});

describe('corpus of valid templates', () => {
  it('has at least 30 templates and uses every action of the catalog', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
    const used = new Set(
      files.flatMap((f) => Object.values(read(f.replace(/\.json$/, '')).actions as Record<string, Doc>).map((a) => a.actionId)),
    );
    expect(Object.keys(FIS_ACTIONS).filter((id) => !used.has(id))).toEqual([]);
  });

  it.each(files)('%s passes FIS validity, placeholders and the corpus runbook policy', (file) => {
    const judgement = judgeFisDocument(file, read(file.replace(/\.json$/, '')), { runbook });
    expect(judgement.issues.map(formatFisIssue)).toEqual([]);
    expect(judgement.region).toBe('us-east-1');
  });

  it('says, without refusing, that a former action name was renamed', () => {
    const j = judgeFisDocument('x', read('elasticache-former-action-name'), { runbook });
    expect(j.notes).toEqual([
      expect.objectContaining({
        path: '$.actions.Power.actionId',
        message: expect.stringMatching(/renamed aws:elasticache:replicationgroup-interrupt-az-power/),
      }),
    ]);
  });

  it('judges FIS validity alone when no runbook is given (a stop condition "none" is valid FIS)', () => {
    const doc = read('ec2-reboot-instances');
    doc.stopConditions = [{ source: 'none' }];
    expect(judgeFisDocument('x', doc).issues).toEqual([]);
    expect(judgeFisDocument('x', doc, { runbook }).issues).toEqual([
      expect.objectContaining({ kind: 'policy', rule: 'stop-condition-required', path: '$.stopConditions[0].source' }),
    ]);
  });
});

interface Broken {
  readonly name: string;
  readonly base: string;
  readonly mutate: (d: Doc) => void;
  readonly path: string;
  readonly kind: 'fis' | 'policy' | 'placeholder';
  readonly message: RegExp;
  readonly rule?: string;
  readonly runbook?: Runbook;
}

const strictRunbook = validateRunbookObject({
  ...runbook,
  fis: {
    ...runbook.fis!,
    policy: { ...runbook.fis!.policy, allowedActions: ['aws:ec2:reboot-instances', 'aws:fis:wait'], maxDuration: 'PT10M' },
  },
});

const broken: Broken[] = [
  {
    name: 'action-level key typo startafter',
    base: 'ec2-stop-wait-terminate-chain',
    mutate: (d) => ((d.actions.Hold.startafter = d.actions.Hold.startAfter), delete d.actions.Hold.startAfter),
    path: '$.actions.Hold.startafter',
    kind: 'fis',
    message: /unknown field "startafter"; FIS field names are case-sensitive: write "startAfter"/,
  },
  {
    name: 'unknown top-level field',
    base: 'az-power-with-report',
    mutate: (d) => (d.experimentReportConfig = d.experimentReportConfiguration),
    path: '$.experimentReportConfig',
    kind: 'fis',
    message: /unknown field "experimentReportConfig"; FIS accepts .*experimentReportConfiguration/,
  },
  {
    name: 'experimentOptions value',
    base: 'az-power-with-report',
    mutate: (d) => (d.experimentOptions.emptyTargetResolutionMode = 'ignore'),
    path: '$.experimentOptions.emptyTargetResolutionMode',
    kind: 'fis',
    message: /expected "fail" or "skip", got "ignore"/,
  },
  {
    name: 'description over 512 characters',
    base: 'ec2-reboot-instances',
    mutate: (d) => (d.description = 'x'.repeat(513)),
    path: '$.description',
    kind: 'fis',
    message: /513 characters; FIS allows at most 512/,
  },
  {
    name: 'unknown action id',
    base: 'eks-pod-delete-deployment',
    mutate: (d) => (d.actions.Delete.actionId = 'aws:eks:delete-pod'),
    path: '$.actions.Delete.actionId',
    kind: 'fis',
    message: /unknown action id "aws:eks:delete-pod"; aws:eks actions are .*aws:eks:pod-delete/,
  },
  {
    name: 'EKS pod target selected by ARN',
    base: 'eks-pod-cpu-stress-label',
    mutate: (d) => (d.targets.Checkout.resourceArns = ['arn:aws:eks:us-east-1:111122223333:cluster/payments-eks']),
    path: '$.targets.Checkout.resourceArns',
    kind: 'fis',
    message: /aws:eks:pod targets are selected by parameters \(clusterIdentifier, namespace, selectorType, selectorValue/,
  },
  {
    name: 'EKS pod target without selectorValue',
    base: 'eks-pod-blackhole-redis',
    mutate: (d) => delete d.targets.Workers.parameters.selectorValue,
    path: '$.targets.Workers.parameters.selectorValue',
    kind: 'fis',
    message: /resource type aws:eks:pod needs parameter selectorValue/,
  },
  {
    name: 'EKS pod selectorType out of its enum',
    base: 'eks-pod-delete-deployment',
    mutate: (d) => (d.targets.Api.parameters.selectorType = 'label'),
    path: '$.targets.Api.parameters.selectorType',
    kind: 'fis',
    message: /expected one of labelSelector, deploymentName, podName, got "label"/,
  },
  {
    name: 'EKS pod action without its service account',
    base: 'eks-pod-cpu-stress-label',
    mutate: (d) => delete d.actions.Cpu.parameters.kubernetesServiceAccount,
    path: '$.actions.Cpu.parameters.kubernetesServiceAccount',
    kind: 'fis',
    message: /action aws:eks:pod-cpu-stress needs parameter kubernetesServiceAccount/,
  },
  {
    name: 'wrong resource type for the action',
    base: 'ecs-stop-task-service',
    mutate: (d) => (d.targets.Tasks.resourceType = 'aws:ecs:cluster'),
    path: '$.targets.Tasks.resourceType',
    kind: 'fis',
    message: /needs resource type aws:ecs:task for Tasks, but target Tasks is aws:ecs:cluster/,
  },
  {
    name: 'spot interruption notice shorter than 2 minutes',
    base: 'ec2-spot-interruptions',
    mutate: (d) => (d.actions.Interrupt.parameters.durationBeforeInterruption = 'PT1M'),
    path: '$.actions.Interrupt.parameters.durationBeforeInterruption',
    kind: 'fis',
    message: /PT1M is outside .*range 2 min–15 min/,
  },
  {
    name: 'Direct Connect disconnect shorter than 10 minutes',
    base: 'direct-connect-vif-disconnect',
    mutate: (d) => (d.actions.Disconnect.parameters.duration = 'PT5M'),
    path: '$.actions.Disconnect.parameters.duration',
    kind: 'fis',
    message: /outside .*range 10 min–12 h/,
  },
  {
    name: 'duration that is not ISO-8601',
    base: 'ecs-task-cpu-stress',
    mutate: (d) => (d.actions.Cpu.parameters.duration = '5m'),
    path: '$.actions.Cpu.parameters.duration',
    kind: 'fis',
    message: /"5m" is not an ISO-8601 duration; write e\.g\. "PT10M"/,
  },
  {
    name: 'documentParameters that is not a JSON object string',
    base: 'ssm-send-command-cpu-stress',
    mutate: (d) => (d.actions.CpuStress.parameters.documentParameters = { DurationSeconds: '300' }),
    path: '$.actions.CpuStress.parameters.documentParameters',
    kind: 'fis',
    message: /FIS parameters are strings; write "\{\\"DurationSeconds\\":\\"300\\"\}"/,
  },
  {
    name: 'ARN-only action targeted by tags',
    base: 'api-unavailable-and-capacity',
    mutate: (d) => ((d.targets.Role.resourceTags = { gameday: 'allowed' }), delete d.targets.Role.resourceArns),
    path: '$.targets.Role.resourceTags',
    kind: 'fis',
    message: /targets resources by resourceArns only, not by resourceTags/,
  },
  {
    name: 'tags-only action targeted by ARN',
    base: 'cross-region-transit-gateway-and-replication',
    mutate: (d) => ((d.targets.Buckets.resourceArns = ['arn:aws:s3:::payments-ledger']), delete d.targets.Buckets.resourceTags),
    path: '$.targets.Buckets.resourceArns',
    kind: 'fis',
    message: /targets resources by resourceTags only/,
  },
  {
    name: 'logSchemaVersion written as a string',
    base: 'az-power-with-report',
    mutate: (d) => (d.logConfiguration.logSchemaVersion = '2'),
    path: '$.logConfiguration.logSchemaVersion',
    kind: 'fis',
    message: /a whole number such as 2 \(not a string\)/,
  },
  {
    name: 'report data source that is not a dashboard ARN',
    base: 'az-power-with-report',
    mutate: (d) => (d.experimentReportConfiguration.dataSources.cloudWatchDashboards[0].dashboardIdentifier = 'payments-overview'),
    path: '$.experimentReportConfiguration.dataSources.cloudWatchDashboards[0].dashboardIdentifier',
    kind: 'fis',
    message: /expected a CloudWatch dashboard ARN/,
  },
  {
    name: 'unknown key inside the report outputs',
    base: 'az-power-with-report',
    mutate: (d) => (d.experimentReportConfiguration.outputs.s3Configuration.bucket = 'x'),
    path: '$.experimentReportConfiguration.outputs.s3Configuration.bucket',
    kind: 'fis',
    message: /unknown field "bucket"; FIS accepts bucketName, prefix here/,
  },
  {
    name: 'stop condition "none" with a value',
    base: 'ec2-reboot-instances',
    mutate: (d) => (d.stopConditions = [{ source: 'none', value: 'x' }]),
    path: '$.stopConditions[0].value',
    kind: 'fis',
    message: /a "none" stop condition takes no value/,
  },
  {
    name: 'placeholder <YOUR REGION> in an SSM document ARN',
    base: 'ssm-automation-az-outage-asg',
    mutate: (d) =>
      (d.actions.AzOutage.parameters.documentArn =
        'arn:aws:ssm:<YOUR REGION>::document/AWSResilienceHub-SimulateAzOutageInAsgTest_2020-07-23'),
    path: '$.actions.AzOutage.parameters.documentArn',
    kind: 'placeholder',
    message: /"<YOUR REGION>" \(<…>\) is a placeholder/,
  },
  {
    name: 'placeholder ${…} in the role ARN',
    base: 'ecs-task-kill-and-io',
    mutate: (d) => (d.roleArn = 'arn:aws:iam::${AWS_ACCOUNT_ID}:role/fis'),
    path: '$.roleArn',
    kind: 'placeholder',
    message: /"\$\{AWS_ACCOUNT_ID\}" \(\$\{…\}\) is a placeholder/,
  },
  {
    name: 'placeholder your_… in the report bucket',
    base: 'az-power-with-report',
    mutate: (d) => (d.experimentReportConfiguration.outputs.s3Configuration.bucketName = 'your_report_bucket'),
    path: '$.experimentReportConfiguration.outputs.s3Configuration.bucketName',
    kind: 'placeholder',
    message: /"your_report_bucket" \(your_…\) is a placeholder/,
  },
  {
    name: 'placeholder {{…}} in a stop condition',
    base: 'memorydb-pause-replication',
    mutate: (d) => (d.stopConditions[0].value = '{{stopAlarmArn}}'),
    path: '$.stopConditions[0].value',
    kind: 'placeholder',
    message: /"\{\{stopAlarmArn\}\}" \(\{\{…\}\}\) is a placeholder/,
  },
  {
    name: 'REPLACE_ME in a tag and the sample account in an ARN',
    base: 'dsql-connection-failure',
    mutate: (d) => ((d.tags.owner = 'REPLACE_ME'), (d.roleArn = 'arn:aws:iam::123456789012:role/fis')),
    path: '$.tags.owner',
    kind: 'placeholder',
    message: /"REPLACE_ME"/,
  },
  {
    name: 'policy: no stop condition',
    base: 'api-throttle-kinesis',
    mutate: (d) => (d.stopConditions = [{ source: 'none' }]),
    path: '$.stopConditions[0].source',
    kind: 'policy',
    rule: 'stop-condition-required',
    message: /no brake.*set fis\.policy\.requireStopCondition: false in runbook corpus-prod/,
  },
  {
    name: 'policy: action not allowed for the runbook',
    base: 'ec2-stop-wait-terminate-chain',
    mutate: () => undefined,
    runbook: strictRunbook,
    path: '$.actions.Terminate.actionId',
    kind: 'policy',
    rule: 'allowed-actions',
    message: /aws:ec2:terminate-instances is not among runbook corpus-prod's fis\.policy\.allowedActions .*add it there/,
  },
  {
    name: 'policy: duration beyond the runbook maximum',
    base: 'cross-region-route-table',
    mutate: () => undefined,
    runbook: strictRunbook,
    path: '$.actions.CutWest.parameters.duration',
    kind: 'policy',
    rule: 'max-duration',
    message: /PT20M is longer than runbook corpus-prod's fis\.policy\.maxDuration PT10M/,
  },
  {
    name: 'policy: cross-region isolation of a region outside the blast radius',
    base: 'cross-region-route-table',
    mutate: (d) => (d.actions.CutWest.parameters.region = 'eu-west-1'),
    path: '$.actions.CutWest.parameters.region',
    kind: 'policy',
    rule: 'blast-radius',
    message: /region eu-west-1 is outside blastRadius\.regions/,
  },
  {
    name: 'policy: IAM role target the runbook does not name',
    base: 'api-internal-error-ec2',
    mutate: (d) => (d.targets.Role.resourceArns = ['arn:aws:iam::111122223333:role/billing']),
    path: '$.targets.Role.resourceArns[0]',
    kind: 'policy',
    rule: 'blast-radius',
    message: /outside the blast radius.*add it to fis\.policy\.allowedArns/,
  },
  {
    name: 'policy: stop-condition alarm outside the runbook',
    base: 'lambda-invocation-faults',
    mutate: (d) => (d.stopConditions[0].value = 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:somebody-else'),
    path: '$.stopConditions[0].value',
    kind: 'policy',
    rule: 'stop-condition-alarms',
    message: /not one of the runbook's alarms\.stopConditions .*fis\.policy\.runbookAlarmsOnly: false/,
  },
];

describe('broken variants are refused at the right path with the right kind of message', () => {
  it('has at least 20 variants', () => expect(broken.length).toBeGreaterThanOrEqual(20));

  it.each(broken)('$name → $kind at $path', ({ base, mutate, path, kind, message, rule, runbook: rb }) => {
    const doc = read(base);
    mutate(doc);
    const { issues } = judgeFisDocument(`${base}.json`, doc, { runbook: rb ?? runbook });
    const hit = issues.find((i) => i.path === path && i.kind === kind);
    expect({ found: hit ? `${hit.kind} ${hit.path}` : undefined, all: issues.map(formatFisIssue) }).toMatchObject({
      found: `${kind} ${path}`,
    });
    expect(hit!.message).toMatch(message);
    if (rule) expect(hit!.rule).toBe(rule);
    const line = formatFisIssue(hit!);
    expect(line).toContain(
      { fis: 'not valid FIS: ', policy: `refused by gameday policy [${rule}]: `, placeholder: 'unfilled placeholder: ' }[kind],
    );
  });
});

describe('placeholders', () => {
  it('finds every common form in keys and values, with JSON paths', () => {
    const found = findPlaceholders({
      a: '{{x}}',
      b: ['<account-id>', 'ok', 'arn:aws:iam::XXXXXXXXXXXX:role/r'],
      c: { '${KEY}': 'your-cluster', d: 'CHANGE_ME', e: '__REGION__', f: 'i-0abcdEXAMPLE' },
      clean: 'arn:aws:iam::111122223333:role/gameday-fis',
      prose: 'Stop instances in a < 5 minute window > nothing',
    });
    expect(found.map((p) => `${p.path} ${p.text}`)).toEqual([
      '$.a {{x}}',
      '$.b[0] <account-id>',
      '$.b[2] XXXXXXXXXXXX',
      '$.c["${KEY}"] ${KEY}',
      '$.c["${KEY}"] your-cluster',
      '$.c.d CHANGE_ME',
      '$.c.e __REGION__',
      '$.c.f i-0abcdEXAMPLE',
    ]);
    expect(found[3]).toMatchObject({ inKey: true });
  });
});
