/**
 * One runbook per benchmark run, each with its own global cluster, Route 53 record, health checks
 * and SSM parameter, so every run starts from a fresh topology in one long-lived sim server (a
 * promotion moves the writer; a detach leaves a standalone cluster behind). Approval is off (no
 * human time in the figures) and there is no write fencing (a step outside the RTO path: its
 * effect on the sim is set with `POST /config` `fencing`, see sim/server-config.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { PromotionMode } from '../../contracts/promotion';

/** The ids of one run's runbook. */
export interface BenchRunbook {
  readonly name: string;
  readonly globalClusterId: string;
  readonly primary: { readonly region: string; readonly clusterId: string; readonly arn: string };
  readonly secondary: { readonly region: string; readonly clusterId: string; readonly arn: string };
  readonly hostedZoneId: string;
  readonly parameter: string;
  readonly canaryTable: string;
}

const ACCOUNT = '111122223333';

/**
 * Writes the runbook of run `i` of `mode` into `dir` and returns its ids; `tag` (a few lowercase
 * letters or digits) keeps the ids, hence the workflow ids `promote-<global>`, apart from earlier
 * benchmark invocations on the same server.
 */
export function writeBenchRunbook(dir: string, tag: string, mode: PromotionMode, i: number): BenchRunbook {
  const id = `bench-${tag}-${mode}-${i}`;
  const use1 = `${id}-use1`;
  const usw2 = `${id}-usw2`;
  const hostedZoneId = `Z0${tag.toUpperCase()}${mode.toUpperCase()}${String(i).padStart(4, '0')}`;
  const parameter = `/bench/${id}/db-region`;
  const runbook = {
    service: id,
    environment: 'bench',
    tier: 'tier0',
    account: ACCOUNT,
    blastRadius: { accounts: [ACCOUNT], regions: ['us-east-1', 'us-west-2'], requiredTags: { gameday: 'allowed' } },
    aurora: {
      globalClusterId: `${id}-global`,
      engine: 'postgres',
      primaryRegion: 'us-east-1',
      members: [
        { region: 'us-east-1', clusterId: use1, instances: [{ id: `${use1}-a`, az: 'us-east-1a' }] },
        { region: 'us-west-2', clusterId: usw2, instances: [{ id: `${usw2}-a`, az: 'us-west-2a' }] },
      ],
    },
    route53: {
      hostedZoneId,
      recordName: `db.${id}.example.com`,
      routing: { policy: 'failover', primarySetId: use1, secondarySetId: usw2 },
      healthChecks: { 'us-east-1': `hc-${use1}`, 'us-west-2': `hc-${usw2}` },
    },
    alarms: { health: { 'us-east-1': [`${use1}-5xx`], 'us-west-2': [`${usw2}-5xx`] } },
    canary: {
      endpoint: `${id}-global.global-bench.global.rds.amazonaws.com`,
      database: 'bench',
      secretArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:gameday/bench-canary-AbCdEf`,
    },
    appReconfiguration: { kind: 'ssm-parameter', name: parameter },
    approval: { required: false, timeout: '15m', approvers: [] },
  };
  writeFileSync(join(dir, `${id}.yaml`), stringify(runbook));
  return {
    name: id,
    globalClusterId: `${id}-global`,
    primary: { region: 'us-east-1', clusterId: use1, arn: `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:${use1}` },
    secondary: { region: 'us-west-2', clusterId: usw2, arn: `arn:aws:rds:us-west-2:${ACCOUNT}:cluster:${usw2}` },
    hostedZoneId,
    parameter,
    canaryTable: 'bench.gameday_canary',
  };
}
