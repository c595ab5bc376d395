/**
 * The FIS template library: every template renders and validates for every example runbook it
 * applies to, templates that do not apply say which runbook field is missing, a table of broken
 * templates is rejected with the right JSON paths, and the diff shows changed leaves.
 */
import { listRunbookFiles, loadRunbookFile, runbookName, validateRunbookObject } from '../runbooks/load';
import type { Runbook } from '../runbooks/schema';
import {
  FisTemplateError,
  diffFisTemplates,
  listFisTemplateNames,
  renderFisTemplate,
  renderFisTemplateObject,
  renderValidFisTemplate,
  validateFisTemplate,
  type RenderedFisTemplate,
} from '../runbooks/fis-templates';
import { parseIsoDuration, toIsoDuration } from '../runbooks/fis-catalog';

const runbooks = listRunbookFiles().map((f) => ({ name: runbookName(f), rb: loadRunbookFile(f) }));
const payments = runbooks.find((r) => r.name === 'payments-prod')!.rb;

/** orders-prod with a fis section: Aurora but no ElastiCache, no ASGs. */
function ordersWithFis(): Runbook {
  const orders = runbooks.find((r) => r.name === 'orders-prod')!.rb;
  return validateRunbookObject({
    ...orders,
    alarms: { ...orders.alarms, stopConditions: ['orders-error-rate-critical'] },
    fis: { roleArn: 'arn:aws:iam::111122223333:role/gameday-fis', targetTag: { key: 'gameday', value: 'allowed' } },
  });
}

function firstAzOf(rb: Runbook): string {
  const member = rb.aurora?.members.find((m) => m.region === rb.aurora?.primaryRegion);
  return member?.instances?.[0]?.az ?? `${rb.blastRadius.regions[0]}a`;
}

describe('template library', () => {
  const cases = [...runbooks, { name: 'orders-prod+fis', rb: ordersWithFis() }];
  const applicable: string[] = [];
  for (const { name, rb } of cases) {
    for (const template of listFisTemplateNames()) {
      it(`${template} × ${name}: renders and validates, or says why it does not apply`, () => {
        const az = firstAzOf(rb);
        let rendered: RenderedFisTemplate;
        try {
          rendered = renderFisTemplate(template, rb, { az });
        } catch (err) {
          expect(err).toBeInstanceOf(FisTemplateError);
          // Not applicable: the message names the runbook field to add.
          expect((err as FisTemplateError).message).toMatch(/runbook|fis\.|aurora|elasticache|blastRadius/);
          return;
        }
        applicable.push(`${template}×${name}`);
        expect(validateFisTemplate(rendered, rb)).toEqual([]);
        expect(rendered.input.tags).toMatchObject({ 'gameday-managed': 'true', 'gameday-template': template, 'gameday-az': az });
        expect(rendered.input.stopConditions.length).toBeGreaterThan(0);
        expect(JSON.stringify(rendered.input)).not.toMatch(/\{\{|\$gameday|\$requires/);
      });
    }
  }

  it('every template applies to payments-prod', () => {
    for (const t of listFisTemplateNames()) expect(() => renderValidFisTemplate(t, payments, { az: 'us-east-1a' })).not.toThrow();
  });

  it('AZ power interruption carries the scenario action set with the AZ filled in', () => {
    const r = renderValidFisTemplate('az-power-interruption', payments, { az: 'us-east-1b' });
    const actionIds = Object.values(r.input.actions)
      .map((a) => a.actionId)
      .sort();
    expect(actionIds).toEqual([
      'aws:ebs:pause-volume-io',
      'aws:ec2:asg-insufficient-instance-capacity-error',
      'aws:ec2:stop-instances',
      'aws:elasticache:replicationgroup-interrupt-az-power',
      'aws:network:disrupt-connectivity',
      'aws:rds:failover-db-cluster',
    ]);
    expect(r.input.targets.DisruptRds).toMatchObject({
      resourceArns: ['arn:aws:rds:us-east-1:111122223333:cluster:payments-use1'],
      parameters: { writerAvailabilityZoneIdentifiers: 'us-east-1b' },
    });
    expect(r.input.targets.ElasticacheImpact?.parameters).toEqual({ availabilityZoneIdentifier: 'us-east-1b' });
    expect(r.input.stopConditions).toEqual([
      { source: 'aws:cloudwatch:alarm', value: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:payments-error-rate-critical' },
    ]);
    expect(r.region).toBe('us-east-1');
  });

  it('drops the optional ElastiCache and ASG parts for a runbook without them, with the reason', () => {
    const r = renderValidFisTemplate('az-power-interruption', ordersWithFis(), { az: 'eu-west-1a' });
    expect(Object.keys(r.input.actions)).not.toContain('Pause-ElastiCache');
    expect(Object.keys(r.input.actions)).not.toContain('Pause-ASG-Scaling');
    expect(r.omitted.join('\n')).toMatch(/elasticache\.replicationGroups/);
    expect(r.omitted.join('\n')).toMatch(/fis\.autoScalingGroups/);
  });

  it('refuses an AZ outside the blast radius and a runbook without fis', () => {
    expect(() => renderFisTemplate('aurora-failover', payments, { az: 'eu-west-1a' })).toThrow(
      /--az: .*outside the runbook's blastRadius\.regions/,
    );
    expect(() => renderFisTemplate('aurora-failover', payments, { az: 'useast1' })).toThrow(/not an AZ name/);
    const orders = runbooks.find((r) => r.name === 'orders-prod')!.rb;
    expect(() => renderFisTemplate('aurora-failover', orders, { az: 'eu-west-1a' })).toThrow(/runbook\.fis: .*no fis section/);
  });

  it('rejects unknown placeholders and unknown needs at render time', () => {
    expect(() => renderFisTemplateObject('t', { description: '{{nope}}' }, payments, { az: 'us-east-1a' })).toThrow(
      /t: \$\.description: unknown placeholder \{\{nope\}\}/,
    );
    expect(() => renderFisTemplateObject('t', { $gameday: { requires: ['dynamo'] } }, payments, { az: 'us-east-1a' })).toThrow(
      /unknown need "dynamo"/,
    );
  });
});

describe('broken templates are rejected with the JSON path and the fix', () => {
  const base = (): RenderedFisTemplate => renderValidFisTemplate('az-power-interruption', payments, { az: 'us-east-1a' });
  // The table breaks templates on purpose, so it writes through an untyped view of the input.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Mutable = { -readonly [K in keyof RenderedFisTemplate['input']]: any };
  const table: { name: string; mutate: (t: Mutable) => void; path: string; message: RegExp }[] = [
    {
      name: 'bad action id',
      mutate: (t) => (t.actions['Failover-RDS'].actionId = 'aws:rds:failover-cluster'),
      path: '$.actions.Failover-RDS.actionId',
      message: /unknown action id .*aws:rds actions are aws:rds:failover-db-cluster/,
    },
    {
      name: 'wrong target resource type',
      mutate: (t) => (t.targets.DisruptRds.resourceType = 'aws:rds:db'),
      path: '$.targets.DisruptRds.resourceType',
      message: /needs resource type aws:rds:cluster/,
    },
    {
      name: 'unknown resource type',
      mutate: (t) => (t.targets.DisruptSubnet.resourceType = 'aws:ec2:subnets'),
      path: '$.targets.DisruptSubnet.resourceType',
      message: /unknown resource type/,
    },
    {
      name: 'missing required action parameter',
      mutate: (t) => delete t.actions['Pause-ElastiCache'].parameters.duration,
      path: '$.actions.Pause-ElastiCache.parameters.duration',
      message: /needs parameter duration/,
    },
    {
      name: 'missing required target parameter',
      mutate: (t) => delete t.targets.ElasticacheImpact.parameters,
      path: '$.targets.ElasticacheImpact.parameters',
      message: /needs parameter availabilityZoneIdentifier/,
    },
    {
      name: 'bad ISO-8601 duration',
      mutate: (t) => (t.actions['Pause-Network-Connectivity'].parameters.duration = '30m'),
      path: '$.actions.Pause-Network-Connectivity.parameters.duration',
      message: /not an ISO-8601 duration; write e\.g\. "PT10M"/,
    },
    {
      name: 'duration out of range',
      mutate: (t) => (t.actions['Pause-ElastiCache'].parameters.duration = 'PT13H'),
      path: '$.actions.Pause-ElastiCache.parameters.duration',
      message: /outside .*range 1 min–12 h/,
    },
    {
      name: 'unknown parameter',
      mutate: (t) => (t.actions['Failover-RDS'].parameters = { force: 'true' }),
      path: '$.actions.Failover-RDS.parameters.force',
      message: /has no parameter "force"/,
    },
    {
      name: 'startAfter an unknown action',
      mutate: (t) => (t.actions['Pause-EBS-IO'].startAfter = ['Stop-Instance']),
      path: '$.actions.Pause-EBS-IO.startAfter[0]',
      message: /unknown action "Stop-Instance"/,
    },
    {
      name: 'startAfter cycle',
      mutate: (t) => (t.actions['Stop-Instances'].startAfter = ['Pause-EBS-IO']),
      path: '$.actions.Stop-Instances.startAfter',
      message: /cycle/,
    },
    {
      name: 'action target key wrong',
      mutate: (t) => (t.actions['Failover-RDS'].targets = { Cluster: 'DisruptRds' }),
      path: '$.actions.Failover-RDS.targets.Cluster',
      message: /no target key "Cluster"; use Clusters/,
    },
    {
      name: 'action target not defined',
      mutate: (t) => (t.actions['Failover-RDS'].targets = { Clusters: 'Rds' }),
      path: '$.actions.Failover-RDS.targets.Clusters',
      message: /not defined in \$\.targets/,
    },
    {
      name: 'stop condition alarm not in the runbook',
      mutate: (t) =>
        (t.stopConditions = [
          { source: 'aws:cloudwatch:alarm', value: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:some-other-alarm' },
        ]),
      path: '$.stopConditions[0].value',
      message: /not one of the runbook's alarms\.stopConditions/,
    },
    {
      name: 'no stop condition',
      mutate: (t) => (t.stopConditions = [{ source: 'none' }]),
      path: '$.stopConditions[0].source',
      message: /no brake/,
    },
    {
      name: 'target ARN outside the blast radius (other cluster)',
      mutate: (t) => (t.targets.DisruptRds.resourceArns = ['arn:aws:rds:us-east-1:111122223333:cluster:billing-use1']),
      path: '$.targets.DisruptRds.resourceArns[0]',
      message: /outside the blast radius: not a resource the runbook names/,
    },
    {
      name: 'target ARN in another account',
      mutate: (t) => (t.targets.DisruptRds.resourceArns = ['arn:aws:rds:us-east-1:999999999999:cluster:payments-use1']),
      path: '$.targets.DisruptRds.resourceArns[0]',
      message: /account 999999999999 is outside blastRadius\.accounts/,
    },
    {
      name: 'target without the blast-radius tag',
      mutate: (t) => (t.targets.StopInstances.resourceTags = { team: 'payments' }),
      path: '$.targets.StopInstances.resourceTags',
      message: /outside the blast radius: resourceTags must include gameday=allowed/,
    },
    {
      name: 'target selecting everything',
      mutate: (t) => delete t.targets.DisruptSubnet.resourceTags,
      path: '$.targets.DisruptSubnet',
      message: /every aws:ec2:subnet in the account; outside the blast radius/,
    },
    {
      name: 'AZ in another region',
      mutate: (t) => (t.targets.DisruptSubnet.parameters.availabilityZoneIdentifier = 'us-west-2a'),
      path: '$.targets.DisruptSubnet.parameters.availabilityZoneIdentifier',
      message: /not in the template's region us-east-1/,
    },
    {
      name: 'ARNs combined with tags',
      mutate: (t) => (t.targets.DisruptRds.resourceTags = { gameday: 'allowed' }),
      path: '$.targets.DisruptRds.resourceArns',
      message: /cannot combine resourceArns with resourceTags/,
    },
    {
      name: 'bad selection mode',
      mutate: (t) => (t.targets.StopInstances.selectionMode = 'SOME'),
      path: '$.targets.StopInstances.selectionMode',
      message: /ALL, COUNT\(n\) or PERCENT\(n\)/,
    },
    {
      name: 'boolean parameter',
      mutate: (t) => (t.actions['Stop-Instances'].parameters.completeIfInstancesTerminated = 'yes'),
      path: '$.actions.Stop-Instances.parameters.completeIfInstancesTerminated',
      message: /"true" or "false"/,
    },
  ];

  it.each(table)('$name → $path', ({ mutate, path, message }) => {
    const t = base();
    const input = JSON.parse(JSON.stringify(t.input)) as Mutable;
    mutate(input);
    const issues = validateFisTemplate({ ...t, input }, payments);
    const hit = issues.find((i) => i.path === path);
    expect({ path: hit?.path, issues: issues.map((i) => `${i.path}: ${i.message}`) }).toMatchObject({ path });
    expect(hit!.message).toMatch(message);
    expect(hit!.template).toBe('az-power-interruption');
  });

  it('cross-region template refuses a region outside the blast radius', () => {
    const t = renderValidFisTemplate('cross-region-connectivity', payments, { az: 'us-east-1a' });
    const input = JSON.parse(JSON.stringify(t.input));
    input.actions['Disrupt-Cross-Region'].parameters.region = 'eu-west-1';
    const issues = validateFisTemplate({ ...t, input }, payments);
    expect(issues.map((i) => i.path)).toContain('$.actions.Disrupt-Cross-Region.parameters.region');
  });
});

describe('diff and durations', () => {
  it('is empty for the same template and lists changed leaves otherwise', () => {
    const a = renderValidFisTemplate('aurora-failover', payments, { az: 'us-east-1a' });
    const b = renderValidFisTemplate('aurora-failover', payments, { az: 'us-east-1b' });
    expect(diffFisTemplates(a.input, JSON.parse(JSON.stringify(a.input)))).toEqual([]);
    const d = diffFisTemplates(b.input, a.input);
    expect(d).toContain('~ $.targets.AuroraCluster.parameters.writerAvailabilityZoneIdentifiers: "us-east-1a" → "us-east-1b"');
    expect(diffFisTemplates(a.input, undefined)[0]).toMatch(/^\+ \$\.actions/);
  });

  it('parses and formats ISO-8601 durations', () => {
    expect(parseIsoDuration('PT10M')).toBe(600_000);
    expect(parseIsoDuration('PT1H30M')).toBe(5_400_000);
    expect(parseIsoDuration('PT0.5S')).toBe(500);
    expect(parseIsoDuration('P1D')).toBe(86_400_000);
    for (const bad of ['10m', 'PT', 'P', 'PT10', 'P1M', 'PT-1M', '']) expect(parseIsoDuration(bad)).toBeUndefined();
    expect(toIsoDuration(90_000)).toBe('PT1M30S');
    expect(toIsoDuration(3_600_000)).toBe('PT1H');
  });
});
