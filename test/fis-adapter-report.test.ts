/**
 * The FIS adapter sends the optional CreateExperimentTemplate fields end to end through the pinned
 * SDK: `experimentOptions` and `logConfiguration` by the SDK's serializer, and
 * `experimentReportConfiguration` (unknown to 3.523.0) by the adapter's serialize middleware. The
 * wire body is captured by a request handler standing in for AWS.
 */
import { Readable } from 'node:stream';
import { FisClient } from '@aws-sdk/client-fis';
import { createFisAdapter } from '../activities/aws/fis-adapter';
import type { FisExperimentTemplateInput } from '../activities/aws/ports';
import type { FisTemplateOptionalFields } from '../runbooks/fis-templates';

interface Sent {
  readonly method: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly contentLength?: string;
}

function capturingClient(sent: Sent[]): FisClient {
  return new FisClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (req: { method: string; path: string; body?: string; headers: Record<string, string> }) => {
        sent.push({
          method: req.method,
          path: req.path,
          body: JSON.parse(req.body ?? '{}') as Record<string, unknown>,
          ...(req.headers['content-length'] ? { contentLength: req.headers['content-length'] } : {}),
        });
        const body = JSON.stringify({
          experimentTemplate: { id: 'EXT123', description: 'x', roleArn: 'r', targets: {}, actions: {}, stopConditions: [] },
        });
        return { response: { statusCode: 200, headers: { 'content-type': 'application/json' }, body: Readable.from([Buffer.from(body)]) } };
      },
    } as never,
  });
}

const report = {
  outputs: { s3Configuration: { bucketName: 'payments-gameday-reports', prefix: 'az/' } },
  dataSources: { cloudWatchDashboards: [{ dashboardIdentifier: 'arn:aws:cloudwatch::111122223333:dashboard/payments' }] },
  preExperimentDuration: 'PT10M',
  postExperimentDuration: 'PT5M',
};
const input: FisExperimentTemplateInput & FisTemplateOptionalFields = {
  description: 'with report',
  roleArn: 'arn:aws:iam::111122223333:role/gameday-fis',
  targets: {},
  actions: { Wait: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' } } },
  stopConditions: [{ source: 'none' }],
  experimentOptions: { accountTargeting: 'single-account', emptyTargetResolutionMode: 'skip' },
  logConfiguration: { logSchemaVersion: 2, s3Configuration: { bucketName: 'payments-gameday-logs', prefix: 'fis/' } },
  experimentReportConfiguration: report,
};

describe('FIS adapter: optional template fields on the wire', () => {
  it('create sends experimentOptions, logConfiguration and experimentReportConfiguration, with a matching content length', async () => {
    const sent: Sent[] = [];
    const t = await createFisAdapter(capturingClient(sent)).createExperimentTemplate({ ...input, clientToken: 'tok-1' });
    expect(t.id).toBe('EXT123');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'POST', path: '/experimentTemplates' });
    expect(sent[0]!.body).toMatchObject({
      clientToken: 'tok-1',
      experimentOptions: { accountTargeting: 'single-account', emptyTargetResolutionMode: 'skip' },
      logConfiguration: { logSchemaVersion: 2, s3Configuration: { bucketName: 'payments-gameday-logs', prefix: 'fis/' } },
      experimentReportConfiguration: report,
    });
    expect(Number(sent[0]!.contentLength)).toBe(Buffer.byteLength(JSON.stringify(sent[0]!.body)));
  });

  it('update sends the report configuration and only the options UpdateExperimentTemplate takes', async () => {
    const sent: Sent[] = [];
    await createFisAdapter(capturingClient(sent)).updateExperimentTemplate('EXT123', input);
    expect(sent[0]).toMatchObject({ method: 'PATCH', path: '/experimentTemplates/EXT123' });
    expect(sent[0]!.body.experimentReportConfiguration).toEqual(report);
    expect(sent[0]!.body.experimentOptions).toEqual({ emptyTargetResolutionMode: 'skip' });
  });

  it('sends no report field when the template has none', async () => {
    const sent: Sent[] = [];
    const { experimentReportConfiguration: _none, ...plain } = input;
    await createFisAdapter(capturingClient(sent)).createExperimentTemplate({ ...plain, clientToken: 'tok-2' });
    expect(sent[0]!.body).not.toHaveProperty('experimentReportConfiguration');
  });
});
