/**
 * `CloudWatchApi` over `@aws-sdk/client-cloudwatch`. `DescribeAlarms` always asks for metric and
 * composite alarms (without `AlarmTypes` CloudWatch returns metric alarms only); `GetMetricData`
 * is paged until `NextToken` is empty and returned oldest first.
 */
import { DescribeAlarmsCommand, GetMetricDataCommand, PutMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { AlarmState, AlarmStateValue, CloudWatchApi } from './ports';

/** `DescribeAlarms` accepts at most 100 names per call. */
const ALARM_NAMES_PER_CALL = 100;
/** `PutMetricData` accepts at most 1000 metrics per call. */
const DATUMS_PER_CALL = 1000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function toStateValue(v: string | undefined): AlarmStateValue {
  return v === 'OK' || v === 'ALARM' ? v : 'INSUFFICIENT_DATA';
}

const dims = (d: Readonly<Record<string, string>>) => Object.entries(d).map(([Name, Value]) => ({ Name, Value }));

/** Builds the CloudWatch port bound to `client`. */
export function createCloudWatchAdapter(client: CloudWatchClient): CloudWatchApi {
  return {
    async describeAlarms(alarmNames) {
      const out: AlarmState[] = [];
      for (const names of chunks([...new Set(alarmNames)], ALARM_NAMES_PER_CALL)) {
        let NextToken: string | undefined;
        do {
          const r = await client.send(
            new DescribeAlarmsCommand({ AlarmNames: names, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], NextToken }),
          );
          for (const a of [...(r.MetricAlarms ?? []), ...(r.CompositeAlarms ?? [])]) {
            out.push({
              alarmName: a.AlarmName ?? '',
              stateValue: toStateValue(a.StateValue),
              ...(a.StateReason !== undefined ? { stateReason: a.StateReason } : {}),
              ...(a.StateUpdatedTimestamp !== undefined ? { stateUpdatedAt: a.StateUpdatedTimestamp.getTime() } : {}),
            });
          }
          NextToken = r.NextToken;
        } while (NextToken);
      }
      return out;
    },

    async putMetricData(namespace, data) {
      for (const batch of chunks(data, DATUMS_PER_CALL)) {
        await client.send(
          new PutMetricDataCommand({
            Namespace: namespace,
            MetricData: batch.map((d) => ({
              MetricName: d.metricName,
              Value: d.value,
              Unit: d.unit,
              Dimensions: dims(d.dimensions),
              ...(d.timestamp !== undefined ? { Timestamp: new Date(d.timestamp) } : {}),
            })),
          }),
        );
      }
    },

    async getMetricData(q) {
      const points: [number, number][] = [];
      let NextToken: string | undefined;
      do {
        const r = await client.send(
          new GetMetricDataCommand({
            StartTime: new Date(q.startTime),
            EndTime: new Date(q.endTime),
            ScanBy: 'TimestampAscending',
            NextToken,
            MetricDataQueries: [
              {
                Id: 'm0',
                ReturnData: true,
                MetricStat: {
                  Metric: { Namespace: q.namespace, MetricName: q.metricName, Dimensions: dims(q.dimensions) },
                  Period: q.periodSeconds,
                  Stat: q.stat,
                },
              },
            ],
          }),
        );
        for (const res of r.MetricDataResults ?? []) {
          if (res.Id !== 'm0') continue;
          const ts = res.Timestamps ?? [];
          const vs = res.Values ?? [];
          for (let i = 0; i < Math.min(ts.length, vs.length); i++) points.push([ts[i]!.getTime(), vs[i]!]);
        }
        NextToken = r.NextToken;
      } while (NextToken);
      points.sort((a, b) => a[0] - b[0]);
      return { timestamps: points.map((p) => p[0]), values: points.map((p) => p[1]) };
    },
  };
}
