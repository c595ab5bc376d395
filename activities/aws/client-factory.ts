/**
 * Builds `AwsClients` for real AWS (or an AWS emulator such as moto / LocalStack via `endpoint`).
 * One SDK client per (service, region, account), created on first use and cached for the life of
 * the worker. Credentials come from the standard Node provider chain (env, `AWS_PROFILE`, SSO,
 * web identity, ECS/IMDS); a runbook account can be reached by assuming a role
 * (`roleArnForAccount`). SDK retries are kept low (`maxAttempts` 2) because Temporal's activity
 * retry policy owns the retry budget (house style: no SDK retries stacked on Temporal retries).
 */
import { AwsQueryProtocol } from '@aws-sdk/core/protocols';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { createArcAdapter } from './arc-adapter';
import { requestHandlerOptions, withActivityCancellation, type AwsHttpTimeouts, type RequestHandlerOptions } from './sdk-bounds';
import { createAutoScalingAdapter } from './autoscaling-adapter';
import { createCloudWatchAdapter } from './cloudwatch-adapter';
import { createDnsAdapter } from './dns-adapter';
import { createEc2Adapter } from './ec2-adapter';
import { createElbV2Adapter } from './elbv2-adapter';
import { createElastiCacheAdapter } from './elasticache-adapter';
import { createFisAdapter } from './fis-adapter';
import type {
  ArcRoutingControlApi,
  AutoScalingApi,
  AwsClients,
  AwsTarget,
  CloudWatchApi,
  DnsApi,
  Ec2Api,
  ElastiCacheApi,
  ElbV2Api,
  FisApi,
  RdsApi,
  Route53Api,
  SecretsApi,
  SsmApi,
} from './ports';
import { createRdsAdapter } from './rds-adapter';
import { createRoute53Adapter } from './route53-adapter';
import { createSecretsAdapter } from './secrets-adapter';
import { createSsmAdapter } from './ssm-adapter';

/** Options of {@link createSdkAwsClients}. */
export interface SdkAwsClientsOptions {
  /**
   * Endpoint override for every service except ARC (whose cluster endpoints come from the
   * runbook), e.g. `http://127.0.0.1:5000` for moto. With an override, CloudWatch speaks the
   * awsQuery protocol, the one emulators implement. @default the AWS endpoints
   */
  readonly endpoint?: string;
  /** Role to assume for an account named by a runbook; `undefined` = use the base credentials. @default none */
  readonly roleArnForAccount?: (accountId: string) => string | undefined;
  /** SDK attempts per call (1 = no SDK retry). @default 2 */
  readonly maxAttempts?: number;
  /** Base credentials. @default fromNodeProviderChain() (env, AWS_PROFILE, SSO, IMDS, …) */
  readonly credentials?: AwsCredentialIdentityProvider;
  /** Session name of assumed roles (shows in CloudTrail). @default 'gameday' */
  readonly roleSessionName?: string;
  /** HTTP connection and request timeouts of every client. @default DEFAULT_AWS_HTTP_TIMEOUTS (5 s, 30 s) */
  readonly timeouts?: AwsHttpTimeouts;
  /** DNS servers the scenarios resolve records with (e.g. `['10.0.0.2']`). @default the system resolver */
  readonly dnsServers?: readonly string[];
}

/** Common SDK client settings for one (region, account). */
export interface SdkClientConfig {
  readonly region: string;
  readonly endpoint?: string;
  readonly maxAttempts: number;
  readonly credentials: AwsCredentialIdentityProvider;
  /** NodeHttpHandler options: connection and request timeouts (`sdk-bounds.ts`). */
  readonly requestHandler: RequestHandlerOptions;
}

/** Route 53 is global: its control plane is signed for the partition's home region. */
export function route53HomeRegion(region: string | undefined): string {
  if (region?.startsWith('cn-')) return 'cn-northwest-1';
  if (region?.startsWith('us-gov-')) return 'us-gov-west-1';
  return 'us-east-1';
}

/**
 * Real-AWS `AwsClients`: region-aware ports over cached SDK v3 clients. `mode` is `'real'`.
 */
export function createSdkAwsClients(opts: SdkAwsClientsOptions = {}): AwsClients {
  const maxAttempts = opts.maxAttempts ?? 2;
  const base = opts.credentials ?? fromNodeProviderChain();
  const credentialsByAccount = new Map<string, AwsCredentialIdentityProvider>();
  const ports = new Map<string, unknown>();

  const credentialsFor = (accountId: string | undefined): AwsCredentialIdentityProvider => {
    if (accountId === undefined) return base;
    const roleArn = opts.roleArnForAccount?.(accountId);
    if (roleArn === undefined) return base;
    let provider = credentialsByAccount.get(roleArn);
    if (!provider) {
      provider = fromTemporaryCredentials({
        masterCredentials: base,
        params: { RoleArn: roleArn, RoleSessionName: opts.roleSessionName ?? 'gameday', DurationSeconds: 3600 },
        clientConfig: {
          maxAttempts,
          requestHandler: requestHandlerOptions(opts.timeouts),
          ...(opts.endpoint !== undefined ? { endpoint: opts.endpoint, region: 'us-east-1' } : {}),
        },
      });
      credentialsByAccount.set(roleArn, provider);
    }
    return provider;
  };

  const configFor = (region: string, accountId: string | undefined): SdkClientConfig => ({
    region,
    maxAttempts,
    credentials: credentialsFor(accountId),
    requestHandler: requestHandlerOptions(opts.timeouts),
    ...(opts.endpoint !== undefined ? { endpoint: opts.endpoint } : {}),
  });

  /** One port per (service, region, account), built on first use. */
  const cached = <T>(service: string, region: string, accountId: string | undefined, build: () => T): T => {
    const key = `${service}|${region}|${accountId ?? ''}`;
    let port = ports.get(key) as T | undefined;
    if (port === undefined) {
      port = build();
      ports.set(key, port);
    }
    return port;
  };

  return {
    mode: 'real',
    rds(t: AwsTarget): RdsApi {
      return cached('rds', t.region, t.accountId, () =>
        createRdsAdapter(withActivityCancellation(new RDSClient(configFor(t.region, t.accountId))), t.region),
      );
    },
    route53(t?: Partial<AwsTarget>): Route53Api {
      const region = route53HomeRegion(t?.region);
      return cached('route53', region, t?.accountId, () =>
        createRoute53Adapter(withActivityCancellation(new Route53Client(configFor(region, t?.accountId)))),
      );
    },
    arc(t: AwsTarget & { readonly clusterEndpoints?: readonly string[] }): ArcRoutingControlApi {
      const endpoints = t.clusterEndpoints ?? [];
      return cached('arc', t.region, `${t.accountId ?? ''}|${endpoints.join(',')}`, () =>
        createArcAdapter({
          clusterEndpoints: endpoints,
          defaultRegion: t.region,
          maxAttempts,
          credentials: credentialsFor(t.accountId),
          requestHandler: requestHandlerOptions(opts.timeouts),
        }),
      );
    },
    fis(t: AwsTarget): FisApi {
      return cached('fis', t.region, t.accountId, () => createFisAdapter(configFor(t.region, t.accountId)));
    },
    cloudwatch(t: AwsTarget): CloudWatchApi {
      return cached('cloudwatch', t.region, t.accountId, () =>
        createCloudWatchAdapter(
          withActivityCancellation(
            new CloudWatchClient({
              ...configFor(t.region, t.accountId),
              // moto / LocalStack implement CloudWatch's awsQuery protocol only
              ...(opts.endpoint !== undefined ? { protocol: AwsQueryProtocol } : {}),
            }),
          ),
        ),
      );
    },
    ssm(t: AwsTarget): SsmApi {
      return cached('ssm', t.region, t.accountId, () =>
        createSsmAdapter(withActivityCancellation(new SSMClient(configFor(t.region, t.accountId)))),
      );
    },
    elasticache(t: AwsTarget): ElastiCacheApi {
      return cached('elasticache', t.region, t.accountId, () =>
        createElastiCacheAdapter(withActivityCancellation(new ElastiCacheClient(configFor(t.region, t.accountId)))),
      );
    },
    secrets(t: AwsTarget): SecretsApi {
      return cached('secrets', t.region, t.accountId, () =>
        createSecretsAdapter(withActivityCancellation(new SecretsManagerClient(configFor(t.region, t.accountId)))),
      );
    },
    autoscaling(t: AwsTarget): AutoScalingApi {
      return cached('autoscaling', t.region, t.accountId, () =>
        createAutoScalingAdapter(withActivityCancellation(new AutoScalingClient(configFor(t.region, t.accountId))), t.region),
      );
    },
    ec2(t: AwsTarget): Ec2Api {
      return cached('ec2', t.region, t.accountId, () => createEc2Adapter(new EC2Client(configFor(t.region, t.accountId))));
    },
    elbv2(t: AwsTarget): ElbV2Api {
      return cached('elbv2', t.region, t.accountId, () =>
        createElbV2Adapter(new ElasticLoadBalancingV2Client(configFor(t.region, t.accountId))),
      );
    },
    dns(): DnsApi {
      return cached('dns', '', undefined, () => createDnsAdapter(opts.dnsServers));
    },
  };
}
