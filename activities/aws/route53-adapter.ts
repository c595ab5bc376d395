/**
 * `Route53Api` over `@aws-sdk/client-route-53` (global service; the client is built for the
 * partition's home region by the factory). Record names are compared without the trailing dot
 * and case-insensitively, as DNS does.
 */
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  GetHealthCheckStatusCommand,
  ListResourceRecordSetsCommand,
  type ChangeInfo as SdkChangeInfo,
  type ResourceRecordSet as SdkRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import type { ChangeInfo, HealthCheckStatus, ResourceRecordSet, Route53Api } from './ports';

/** DNS name in canonical form: lower case, no trailing dot, `\052` unescaped to `*`. */
export function canonicalDnsName(name: string): string {
  return name.replace(/\\052/g, '*').replace(/\.$/, '').toLowerCase();
}

/** SDK record set → port record set. */
export function mapRecordSet(r: SdkRecordSet): ResourceRecordSet {
  return {
    name: canonicalDnsName(r.Name ?? ''),
    type: r.Type ?? '',
    ...(r.SetIdentifier !== undefined ? { setIdentifier: r.SetIdentifier } : {}),
    ...(r.Weight !== undefined ? { weight: r.Weight } : {}),
    ...(r.Failover !== undefined ? { failover: r.Failover as 'PRIMARY' | 'SECONDARY' } : {}),
    ...(r.Region !== undefined ? { region: r.Region } : {}),
    ...(r.TTL !== undefined ? { ttl: r.TTL } : {}),
    ...(r.ResourceRecords !== undefined ? { values: r.ResourceRecords.map((v) => v.Value ?? '') } : {}),
    ...(r.AliasTarget !== undefined
      ? {
          aliasTarget: {
            dnsName: r.AliasTarget.DNSName ?? '',
            hostedZoneId: r.AliasTarget.HostedZoneId ?? '',
            evaluateTargetHealth: r.AliasTarget.EvaluateTargetHealth === true,
          },
        }
      : {}),
    ...(r.HealthCheckId !== undefined ? { healthCheckId: r.HealthCheckId } : {}),
  };
}

/** Port record set → SDK record set (alias records carry no TTL and no values). */
export function toSdkRecordSet(r: ResourceRecordSet): SdkRecordSet {
  return {
    Name: r.name,
    Type: r.type as SdkRecordSet['Type'],
    ...(r.setIdentifier !== undefined ? { SetIdentifier: r.setIdentifier } : {}),
    ...(r.weight !== undefined ? { Weight: r.weight } : {}),
    ...(r.failover !== undefined ? { Failover: r.failover } : {}),
    ...(r.region !== undefined ? { Region: r.region as SdkRecordSet['Region'] } : {}),
    ...(r.aliasTarget === undefined && r.ttl !== undefined ? { TTL: r.ttl } : {}),
    ...(r.aliasTarget === undefined && r.values !== undefined ? { ResourceRecords: r.values.map((Value) => ({ Value })) } : {}),
    ...(r.aliasTarget !== undefined
      ? {
          AliasTarget: {
            DNSName: r.aliasTarget.dnsName,
            HostedZoneId: r.aliasTarget.hostedZoneId,
            EvaluateTargetHealth: r.aliasTarget.evaluateTargetHealth,
          },
        }
      : {}),
    ...(r.healthCheckId !== undefined ? { HealthCheckId: r.healthCheckId } : {}),
  };
}

/** SDK `ChangeInfo` → port `ChangeInfo` (the id without its `/change/` prefix). */
export function mapChangeInfo(c: SdkChangeInfo | undefined): ChangeInfo {
  return {
    id: (c?.Id ?? '').replace(/^\/change\//, ''),
    status: c?.Status === 'INSYNC' ? 'INSYNC' : 'PENDING',
    submittedAt: c?.SubmittedAt?.getTime() ?? 0,
  };
}

/** True for a Route 53 checker report that counts as healthy (`Success: …`). */
export function isHealthyReport(status: string | undefined): boolean {
  return /^success/i.test(status ?? '');
}

/** Builds the Route 53 port bound to `client`. */
export function createRoute53Adapter(client: Route53Client): Route53Api {
  return {
    async listResourceRecordSets({ hostedZoneId, name }) {
      const want = name === undefined ? undefined : canonicalDnsName(name);
      const out: ResourceRecordSet[] = [];
      let start: { StartRecordName?: string; StartRecordType?: SdkRecordSet['Type']; StartRecordIdentifier?: string } =
        name === undefined ? {} : { StartRecordName: name };
      for (;;) {
        const r = await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: hostedZoneId, ...start }));
        const page = (r.ResourceRecordSets ?? []).map(mapRecordSet);
        // records come sorted by name; once past the wanted name, stop
        let passed = false;
        for (const rec of page) {
          if (want === undefined || rec.name === want) out.push(rec);
          else if (out.length > 0) passed = true;
        }
        if (!r.IsTruncated || passed || !r.NextRecordName) break;
        start = {
          StartRecordName: r.NextRecordName,
          ...(r.NextRecordType !== undefined ? { StartRecordType: r.NextRecordType } : {}),
          ...(r.NextRecordIdentifier !== undefined ? { StartRecordIdentifier: r.NextRecordIdentifier } : {}),
        };
        if (want !== undefined && canonicalDnsName(r.NextRecordName) !== want) break;
      }
      return out;
    },

    async changeResourceRecordSets({ hostedZoneId, changes, comment }) {
      const r = await client.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: hostedZoneId,
          ChangeBatch: {
            ...(comment !== undefined ? { Comment: comment } : {}),
            Changes: changes.map((c) => ({ Action: c.action, ResourceRecordSet: toSdkRecordSet(c.recordSet) })),
          },
        }),
      );
      return mapChangeInfo(r.ChangeInfo);
    },

    async getChange(changeId) {
      const r = await client.send(new GetChangeCommand({ Id: changeId }));
      return mapChangeInfo(r.ChangeInfo);
    },

    async getHealthCheckStatus(healthCheckId): Promise<HealthCheckStatus> {
      const r = await client.send(new GetHealthCheckStatusCommand({ HealthCheckId: healthCheckId }));
      const observations = (r.HealthCheckObservations ?? []).map((o) => ({
        region: o.Region ?? '',
        status: o.StatusReport?.Status ?? '',
      }));
      const healthyCount = observations.filter((o) => isHealthyReport(o.status)).length;
      return { healthCheckId, healthy: healthyCount * 2 > observations.length, observations };
    },
  };
}
