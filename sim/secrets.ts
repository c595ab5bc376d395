/**
 * Simulated Secrets Manager: holds fake database credentials for the canary secret ARNs named by
 * the runbooks. `getDbCredentials` of an unknown ARN, or of an ARN in another region than the
 * port's, answers `ResourceNotFoundException` like the real service.
 */
import type { AwsTarget, DbCredentials, SecretsApi } from '../activities/aws/ports';
import type { Runbook } from '../runbooks/schema';
import type { SimAws } from './index';
import { SimAwsError, type SimWorld } from './world';

/** Simulated Secrets Manager holding fake canary credentials per secret ARN. */
export class SecretsSim {
  private readonly secrets = new Map<string, DbCredentials>();

  constructor(
    readonly world: SimWorld,
    readonly sim: SimAws,
  ) {}

  /** Stores seeded, fake credentials for `rb.canary.secretArn`; idempotent. */
  seed(rb: Runbook): void {
    if (rb.canary && !this.secrets.has(rb.canary.secretArn)) {
      this.putSecret(rb.canary.secretArn, { username: `${rb.service}_canary`, password: this.fakePassword() });
    }
  }

  /** Control: stores (or replaces) a secret's credentials. */
  putSecret(arn: string, creds: DbCredentials): void {
    this.secrets.set(arn, creds);
  }

  /** The `SecretsApi` bound to one region/account. */
  api(target: Partial<AwsTarget> = {}): SecretsApi {
    const region = target.region ?? 'us-east-1';
    return {
      getDbCredentials: (secretArn) =>
        this.world.call(target.accountId ?? '000000000000', 'secretsmanager', 'getDbCredentials', () => {
          this.world.assertRegionReachable('secretsmanager', region);
          const creds = this.secrets.get(secretArn);
          const arnRegion = secretArn.split(':')[3];
          if (!creds || arnRegion !== region) {
            throw new SimAwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.", 400, false);
          }
          return { ...creds };
        }),
    };
  }

  private fakePassword(): string {
    const abc = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    return Array.from({ length: 24 }, () => abc[Math.floor(this.world.rng() * abc.length)]).join('');
  }
}
