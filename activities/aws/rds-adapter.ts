/**
 * `RdsApi` over `@aws-sdk/client-rds`: maps SDK shapes (PascalCase, `Date`) to the port's domain
 * types (camelCase, epoch ms). Global-cluster calls take cluster ARNs as aws-dr-api.md §1.1
 * requires; `FailoverGlobalCluster` never sends `AllowDataLoss` and `Switchover` together.
 */
import {
  BacktrackDBClusterCommand,
  CreateDBInstanceCommand,
  DBClusterNotFoundFault,
  DBInstanceNotFoundFault,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClusterBacktracksCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeEventsCommand,
  DescribeGlobalClustersCommand,
  FailoverDBClusterCommand,
  FailoverGlobalClusterCommand,
  GlobalClusterNotFoundFault,
  RemoveFromGlobalClusterCommand,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBClusterToPointInTimeCommand,
  SwitchoverGlobalClusterCommand,
  type DBCluster as SdkDbCluster,
  type DBClusterBacktrack as SdkBacktrack,
  type DBInstance as SdkDbInstance,
  type Event as SdkEvent,
  type GlobalCluster as SdkGlobalCluster,
  type RDSClient,
  type Tag,
} from '@aws-sdk/client-rds';
import { InvalidRequestError } from './errors';
import type { DbCluster, DbClusterBacktrack, DbInstance, GlobalCluster, RdsApi, RdsEvent } from './ports';

/** Thrown when an RDS answer lacks a field the port requires (an SDK/model mismatch, not a user error). */
export class RdsResponseShapeError extends Error {
  override readonly name = 'RdsResponseShapeError';
}

/** Epoch ms of an SDK `Date` (undefined stays undefined). */
export function ms(d: Date | undefined): number | undefined {
  return d === undefined ? undefined : d.getTime();
}

/** `[{Key, Value}]` → record (entries without a key are dropped). */
export function tagsToRecord(tags: readonly Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

/** record → `[{Key, Value}]`. */
export function recordToTags(tags: Readonly<Record<string, string>> | undefined): Tag[] {
  return Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === null) throw new RdsResponseShapeError(`RDS response lacks ${what}`);
  return value;
}

/** SDK `GlobalCluster` → port `GlobalCluster`. */
export function mapGlobalCluster(g: SdkGlobalCluster): GlobalCluster {
  const fs = g.FailoverState;
  return {
    globalClusterIdentifier: required(g.GlobalClusterIdentifier, 'GlobalCluster.GlobalClusterIdentifier'),
    globalClusterArn: g.GlobalClusterArn ?? '',
    status: g.Status ?? 'unknown',
    engine: g.Engine ?? '',
    ...(g.EngineVersion !== undefined ? { engineVersion: g.EngineVersion } : {}),
    ...(g.Endpoint !== undefined ? { endpoint: g.Endpoint } : {}),
    members: (g.GlobalClusterMembers ?? []).map((m) => ({
      dbClusterArn: m.DBClusterArn ?? '',
      isWriter: m.IsWriter === true,
      readers: m.Readers ?? [],
      ...(m.SynchronizationStatus !== undefined ? { synchronizationStatus: m.SynchronizationStatus } : {}),
    })),
    ...(fs?.Status !== undefined
      ? {
          failoverState: {
            status: fs.Status,
            ...(fs.FromDbClusterArn !== undefined ? { fromDbClusterArn: fs.FromDbClusterArn } : {}),
            ...(fs.ToDbClusterArn !== undefined ? { toDbClusterArn: fs.ToDbClusterArn } : {}),
            ...(fs.IsDataLossAllowed !== undefined ? { isDataLossAllowed: fs.IsDataLossAllowed } : {}),
          },
        }
      : {}),
  };
}

/** SDK `DBCluster` → port `DbCluster`. */
export function mapDbCluster(c: SdkDbCluster): DbCluster {
  const opt = <K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } =>
    (v === undefined || v === null ? {} : { [key]: v }) as { [P in K]?: V };
  return {
    dbClusterIdentifier: required(c.DBClusterIdentifier, 'DBCluster.DBClusterIdentifier'),
    dbClusterArn: c.DBClusterArn ?? '',
    status: c.Status ?? 'unknown',
    engine: c.Engine ?? '',
    ...opt('engineVersion', c.EngineVersion),
    ...opt('endpoint', c.Endpoint),
    ...opt('readerEndpoint', c.ReaderEndpoint),
    members: (c.DBClusterMembers ?? []).map((m) => ({
      dbInstanceIdentifier: m.DBInstanceIdentifier ?? '',
      isClusterWriter: m.IsClusterWriter === true,
    })),
    ...opt('globalClusterIdentifier', c.GlobalClusterIdentifier),
    ...opt('backtrackWindowSeconds', c.BacktrackWindow),
    ...opt('earliestRestorableTime', ms(c.EarliestRestorableTime)),
    ...opt('latestRestorableTime', ms(c.LatestRestorableTime)),
    ...opt('dbSubnetGroup', c.DBSubnetGroup),
    tags: tagsToRecord(c.TagList),
    ...opt('clusterCreateTime', ms(c.ClusterCreateTime)),
    ...opt('replicationSourceIdentifier', c.ReplicationSourceIdentifier),
  };
}

/** SDK `DBInstance` → port `DbInstance`. */
export function mapDbInstance(i: SdkDbInstance): DbInstance {
  return {
    dbInstanceIdentifier: required(i.DBInstanceIdentifier, 'DBInstance.DBInstanceIdentifier'),
    ...(i.DBInstanceArn !== undefined ? { dbInstanceArn: i.DBInstanceArn } : {}),
    ...(i.DBClusterIdentifier !== undefined ? { dbClusterIdentifier: i.DBClusterIdentifier } : {}),
    status: i.DBInstanceStatus ?? 'unknown',
    ...(i.AvailabilityZone !== undefined ? { availabilityZone: i.AvailabilityZone } : {}),
    ...(i.DBInstanceClass !== undefined ? { instanceClass: i.DBInstanceClass } : {}),
    tags: tagsToRecord(i.TagList),
  };
}

/** SDK `DBClusterBacktrack` → port `DbClusterBacktrack`. */
export function mapBacktrack(b: SdkBacktrack): DbClusterBacktrack {
  return {
    backtrackIdentifier: required(b.BacktrackIdentifier, 'DBClusterBacktrack.BacktrackIdentifier'),
    status: b.Status ?? 'unknown',
    backtrackTo: required(ms(b.BacktrackTo), 'DBClusterBacktrack.BacktrackTo'),
    ...(b.BacktrackedFrom !== undefined ? { backtrackedFrom: b.BacktrackedFrom.getTime() } : {}),
    ...(b.BacktrackRequestCreationTime !== undefined ? { backtrackRequestCreationTime: b.BacktrackRequestCreationTime.getTime() } : {}),
  };
}

function mapEvent(e: SdkEvent): RdsEvent {
  return {
    sourceIdentifier: e.SourceIdentifier ?? '',
    sourceType: e.SourceType ?? '',
    message: e.Message ?? '',
    eventCategories: e.EventCategories ?? [],
    date: e.Date?.getTime() ?? 0,
  };
}

/** Follows `Marker` pages until the last one. */
async function allPages<T>(page: (marker: string | undefined) => Promise<{ items: T[]; marker?: string }>): Promise<T[]> {
  const out: T[] = [];
  let marker: string | undefined;
  do {
    const r = await page(marker);
    out.push(...r.items);
    marker = r.marker;
  } while (marker);
  return out;
}

const meta = { $metadata: {} };

/** Builds the RDS port bound to `client` (whose region is `region`). */
export function createRdsAdapter(client: RDSClient, region: string): RdsApi {
  const globalOrDescribe = async (g: SdkGlobalCluster | undefined, id: string): Promise<GlobalCluster> =>
    g ? mapGlobalCluster(g) : api.describeGlobalCluster(id);

  const api: RdsApi = {
    region,

    async describeGlobalCluster(globalClusterIdentifier) {
      const r = await client.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: globalClusterIdentifier }));
      // match by identifier or ARN: an emulator may answer a list for an unknown identifier
      const g = r.GlobalClusters?.find(
        (x) => x.GlobalClusterIdentifier === globalClusterIdentifier || x.GlobalClusterArn === globalClusterIdentifier,
      );
      if (!g) {
        throw new GlobalClusterNotFoundFault({ message: `Global cluster ${globalClusterIdentifier} not found`, ...meta });
      }
      return mapGlobalCluster(g);
    },

    async describeDbCluster(dbClusterIdentifier) {
      const r = await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: dbClusterIdentifier }));
      const c = r.DBClusters?.find((x) => x.DBClusterIdentifier === dbClusterIdentifier || x.DBClusterArn === dbClusterIdentifier);
      if (!c) throw new DBClusterNotFoundFault({ message: `DBCluster ${dbClusterIdentifier} not found`, ...meta });
      return mapDbCluster(c);
    },

    async listDbClusters(filter) {
      const clusters = await allPages(async (Marker) => {
        const r = await client.send(new DescribeDBClustersCommand({ Marker, MaxRecords: 100 }));
        return { items: r.DBClusters ?? [], marker: r.Marker };
      });
      const want = Object.entries(filter?.tags ?? {});
      return clusters.map(mapDbCluster).filter((c) => want.every(([k, v]) => c.tags[k] === v));
    },

    async describeDbInstance(dbInstanceIdentifier) {
      const r = await client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: dbInstanceIdentifier }));
      const i = r.DBInstances?.find((x) => x.DBInstanceIdentifier === dbInstanceIdentifier || x.DBInstanceArn === dbInstanceIdentifier);
      if (!i) throw new DBInstanceNotFoundFault({ message: `DBInstance ${dbInstanceIdentifier} not found`, ...meta });
      return mapDbInstance(i);
    },

    async listDbInstances(filter) {
      const Filters = filter?.dbClusterIdentifier ? [{ Name: 'db-cluster-id', Values: [filter.dbClusterIdentifier] }] : undefined;
      const instances = await allPages(async (Marker) => {
        const r = await client.send(new DescribeDBInstancesCommand({ Marker, MaxRecords: 100, Filters }));
        return { items: r.DBInstances ?? [], marker: r.Marker };
      });
      return instances
        .map(mapDbInstance)
        .filter((i) => !filter?.dbClusterIdentifier || i.dbClusterIdentifier === filter.dbClusterIdentifier);
    },

    async switchoverGlobalCluster({ globalClusterIdentifier, targetDbClusterArn }) {
      const r = await client.send(
        new SwitchoverGlobalClusterCommand({
          GlobalClusterIdentifier: globalClusterIdentifier,
          TargetDbClusterIdentifier: targetDbClusterArn,
        }),
      );
      return globalOrDescribe(r.GlobalCluster, globalClusterIdentifier);
    },

    async failoverGlobalCluster({ globalClusterIdentifier, targetDbClusterArn, allowDataLoss }) {
      // AllowDataLoss and Switchover "can't be specified together" (aws-dr-api.md §1.1)
      const r = await client.send(
        new FailoverGlobalClusterCommand({
          GlobalClusterIdentifier: globalClusterIdentifier,
          TargetDbClusterIdentifier: targetDbClusterArn,
          ...(allowDataLoss ? { AllowDataLoss: true } : { Switchover: true }),
        }),
      );
      return globalOrDescribe(r.GlobalCluster, globalClusterIdentifier);
    },

    async removeFromGlobalCluster({ globalClusterIdentifier, dbClusterArn }) {
      const r = await client.send(
        new RemoveFromGlobalClusterCommand({ GlobalClusterIdentifier: globalClusterIdentifier, DbClusterIdentifier: dbClusterArn }),
      );
      return globalOrDescribe(r.GlobalCluster, globalClusterIdentifier);
    },

    async failoverDbCluster({ dbClusterIdentifier, targetDbInstanceIdentifier }) {
      const r = await client.send(
        new FailoverDBClusterCommand({
          DBClusterIdentifier: dbClusterIdentifier,
          ...(targetDbInstanceIdentifier !== undefined ? { TargetDBInstanceIdentifier: targetDbInstanceIdentifier } : {}),
        }),
      );
      return r.DBCluster ? mapDbCluster(r.DBCluster) : api.describeDbCluster(dbClusterIdentifier);
    },

    async backtrackDbCluster({ dbClusterIdentifier, backtrackTo }) {
      const r = await client.send(
        new BacktrackDBClusterCommand({ DBClusterIdentifier: dbClusterIdentifier, BacktrackTo: new Date(backtrackTo) }),
      );
      return mapBacktrack(r);
    },

    async describeDbClusterBacktracks({ dbClusterIdentifier, backtrackIdentifier }) {
      const items = await allPages(async (Marker) => {
        const r = await client.send(
          new DescribeDBClusterBacktracksCommand({
            DBClusterIdentifier: dbClusterIdentifier,
            ...(backtrackIdentifier !== undefined ? { BacktrackIdentifier: backtrackIdentifier } : {}),
            Marker,
          }),
        );
        return { items: r.DBClusterBacktracks ?? [], marker: r.Marker };
      });
      return items.map(mapBacktrack);
    },

    async restoreDbClusterToPointInTime(input) {
      // A request with neither or both time options is our own mistake: refused before sending, never retried.
      if ((input.restoreToTime === undefined) === !input.useLatestRestorableTime)
        throw new InvalidRequestError(
          `restore of ${input.dbClusterIdentifier}: give exactly one of restoreToTime or useLatestRestorableTime`,
        );
      const r = await client.send(
        new RestoreDBClusterToPointInTimeCommand({
          SourceDBClusterIdentifier: input.sourceDbClusterIdentifier,
          DBClusterIdentifier: input.dbClusterIdentifier,
          ...(input.useLatestRestorableTime ? { UseLatestRestorableTime: true } : { RestoreToTime: new Date(input.restoreToTime!) }),
          ...(input.dbSubnetGroupName !== undefined ? { DBSubnetGroupName: input.dbSubnetGroupName } : {}),
          ...(input.vpcSecurityGroupIds !== undefined ? { VpcSecurityGroupIds: [...input.vpcSecurityGroupIds] } : {}),
          Tags: recordToTags(input.tags),
        }),
      );
      return mapDbCluster(required(r.DBCluster, 'RestoreDBClusterToPointInTime.DBCluster'));
    },

    async restoreDbClusterFromSnapshot(input) {
      const r = await client.send(
        new RestoreDBClusterFromSnapshotCommand({
          SnapshotIdentifier: input.snapshotIdentifier,
          DBClusterIdentifier: input.dbClusterIdentifier,
          Engine: input.engine,
          ...(input.dbSubnetGroupName !== undefined ? { DBSubnetGroupName: input.dbSubnetGroupName } : {}),
          Tags: recordToTags(input.tags),
        }),
      );
      return mapDbCluster(required(r.DBCluster, 'RestoreDBClusterFromSnapshot.DBCluster'));
    },

    async createDbInstance(input) {
      const r = await client.send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: input.dbInstanceIdentifier,
          DBClusterIdentifier: input.dbClusterIdentifier,
          Engine: input.engine,
          DBInstanceClass: input.dbInstanceClass,
          ...(input.availabilityZone !== undefined ? { AvailabilityZone: input.availabilityZone } : {}),
          Tags: recordToTags(input.tags),
        }),
      );
      return mapDbInstance(required(r.DBInstance, 'CreateDBInstance.DBInstance'));
    },

    async deleteDbInstance({ dbInstanceIdentifier, skipFinalSnapshot }) {
      const r = await client.send(
        new DeleteDBInstanceCommand({ DBInstanceIdentifier: dbInstanceIdentifier, SkipFinalSnapshot: skipFinalSnapshot }),
      );
      return mapDbInstance(required(r.DBInstance, 'DeleteDBInstance.DBInstance'));
    },

    async deleteDbCluster({ dbClusterIdentifier, skipFinalSnapshot }) {
      const r = await client.send(
        new DeleteDBClusterCommand({ DBClusterIdentifier: dbClusterIdentifier, SkipFinalSnapshot: skipFinalSnapshot }),
      );
      return mapDbCluster(required(r.DBCluster, 'DeleteDBCluster.DBCluster'));
    },

    async describeEvents({ sourceIdentifier, startTime }) {
      const events = await allPages(async (Marker) => {
        const r = await client.send(
          new DescribeEventsCommand({
            ...(sourceIdentifier !== undefined ? { SourceIdentifier: sourceIdentifier, SourceType: 'db-cluster' } : {}),
            ...(startTime !== undefined ? { StartTime: new Date(startTime) } : {}),
            MaxRecords: 100,
            Marker,
          }),
        );
        return { items: r.Events ?? [], marker: r.Marker };
      });
      return events.map(mapEvent).sort((a, b) => a.date - b.date);
    },
  };
  return api;
}
