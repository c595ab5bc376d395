/**
 * Error classification (aws-dr-api.md §0.3, §10) for real SDK exception classes, the sim's
 * `SimAwsError` and plain/network errors, and the `ApplicationFailure` built from them.
 */
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { InvalidReplicationGroupStateFault, APICallRateForCustomerExceededFault } from '@aws-sdk/client-elasticache';
import {
  DBClusterAlreadyExistsFault,
  DBClusterNotFoundFault,
  InvalidDBClusterStateFault,
  InvalidGlobalClusterStateFault,
  GlobalClusterNotFoundFault,
} from '@aws-sdk/client-rds';
import { InvalidChangeBatch, PriorRequestNotComplete } from '@aws-sdk/client-route-53';
import { EndpointTemporarilyUnavailableException } from '@aws-sdk/client-route53-recovery-cluster';
import { IdempotentParameterMismatch } from '@aws-sdk/client-ssm';
import { classifyAwsError, redactSecrets, toApplicationFailure, withAwsErrors, type AwsErrorCategory } from '../activities/aws/errors';
import { PollFailedError, PollTimeoutError } from '../activities/aws/poll';
import { SimAwsError } from '../sim/world';

/** An error shaped like an SDK ServiceException with a given name and status. */
function awsLike(name: string, httpStatusCode = 400, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode }, ...extra });
}

describe('classifyAwsError: table by err.name', () => {
  const table: [string, number, AwsErrorCategory, boolean][] = [
    // throttling (SDK list + rate limits the SDK does not retry)
    ['Throttling', 400, 'throttle', true],
    ['ThrottlingException', 400, 'throttle', true],
    ['TooManyRequestsException', 429, 'throttle', true],
    ['PriorRequestNotComplete', 400, 'throttle', true],
    ['RequestLimitExceeded', 400, 'throttle', true],
    ['APICallRateForCustomerExceededFault', 400, 'throttle', true],
    ['AutomationExecutionLimitExceededException', 400, 'throttle', true],
    // transient
    ['InternalFailure', 500, 'transient', true],
    ['ServiceUnavailable', 503, 'transient', true],
    ['TimeoutError', 0, 'transient', true],
    ['RequestTimeout', 408, 'transient', true],
    ['InternalServerException', 500, 'transient', true],
    ['EndpointTemporarilyUnavailableException', 503, 'transient', true],
    ['SomethingNew', 502, 'transient', true],
    // busy: Invalid*StateFault and friends, retried after read-before-write
    ['InvalidDBClusterStateFault', 400, 'busy', true],
    ['InvalidDBInstanceStateFault', 400, 'busy', true],
    ['InvalidGlobalClusterStateFault', 400, 'busy', true],
    ['InvalidReplicationGroupStateFault', 400, 'busy', true],
    ['InvalidCacheClusterStateFault', 400, 'busy', true],
    ['TestFailoverNotAvailableFault', 400, 'busy', true],
    ['InsufficientDBClusterCapacityFault', 403, 'busy', true],
    // not found
    ['DBClusterNotFoundFault', 404, 'not-found', false],
    ['GlobalClusterNotFoundFault', 404, 'not-found', false],
    ['DBInstanceNotFoundFault', 404, 'not-found', false],
    ['ReplicationGroupNotFoundFault', 404, 'not-found', false],
    ['NodeGroupNotFoundFault', 404, 'not-found', false],
    ['ResourceNotFoundException', 404, 'not-found', false],
    ['ParameterNotFound', 400, 'not-found', false],
    ['NoSuchHostedZone', 404, 'not-found', false],
    ['NoSuchHealthCheck', 404, 'not-found', false],
    ['AutomationExecutionNotFoundException', 400, 'not-found', false],
    // conflicts
    ['ConflictException', 409, 'conflict', true],
    ['HealthCheckVersionMismatch', 409, 'conflict', true],
    ['DBClusterAlreadyExistsFault', 400, 'conflict', false],
    ['DBInstanceAlreadyExistsFault', 400, 'conflict', false],
    ['IdempotentParameterMismatch', 400, 'conflict', false],
    // invalid
    ['InvalidChangeBatch', 400, 'invalid', false],
    ['InvalidInput', 400, 'invalid', false],
    ['ValidationException', 400, 'invalid', false],
    ['InvalidParameterValueException', 400, 'invalid', false],
    ['InvalidParameterCombinationException', 400, 'invalid', false],
    ['ServiceQuotaExceededException', 402, 'invalid', false],
    ['DBClusterQuotaExceededFault', 403, 'invalid', false],
    ['InvalidVPCNetworkStateFault', 400, 'invalid', false],
    ['MissingParameter', 400, 'invalid', false],
    // auth
    ['AccessDenied', 403, 'auth', false],
    ['AccessDeniedException', 403, 'auth', false],
    ['UnrecognizedClientException', 400, 'auth', false],
    ['ExpiredTokenException', 400, 'auth', false],
    ['CredentialsProviderError', 0, 'auth', false],
    // unknown names fall back on the status
    ['SomeNewFault', 404, 'not-found', false],
    ['SomeNewFault', 403, 'auth', false],
    ['SomeNewFault', 409, 'conflict', false],
    ['SomeNewFault', 400, 'invalid', false],
    ['SomeNewFault', 429, 'throttle', true],
  ];

  test.each(table)('%s (HTTP %i) → %s, retryable=%s', (name, status, category, retryable) => {
    const c = classifyAwsError(awsLike(name, status || (undefined as unknown as number)));
    expect(c).toMatchObject({ type: name, category, retryable });
  });
});

describe('classifyAwsError: real SDK exception classes', () => {
  test.each([
    [new InvalidDBClusterStateFault({ message: 'busy', $metadata: {} }), 'InvalidDBClusterStateFault', 'busy', true],
    [new InvalidGlobalClusterStateFault({ message: 'busy', $metadata: {} }), 'InvalidGlobalClusterStateFault', 'busy', true],
    [new DBClusterNotFoundFault({ message: 'x', $metadata: { httpStatusCode: 404 } }), 'DBClusterNotFoundFault', 'not-found', false],
    [new GlobalClusterNotFoundFault({ message: 'x', $metadata: {} }), 'GlobalClusterNotFoundFault', 'not-found', false],
    [new DBClusterAlreadyExistsFault({ message: 'x', $metadata: {} }), 'DBClusterAlreadyExistsFault', 'conflict', false],
    [new InvalidReplicationGroupStateFault({ message: 'x', $metadata: {} }), 'InvalidReplicationGroupStateFault', 'busy', true],
    [new APICallRateForCustomerExceededFault({ message: 'x', $metadata: {} }), 'APICallRateForCustomerExceededFault', 'throttle', true],
    [new InvalidChangeBatch({ message: 'x', $metadata: {} }), 'InvalidChangeBatch', 'invalid', false],
    [new PriorRequestNotComplete({ message: 'x', $metadata: {} }), 'PriorRequestNotComplete', 'throttle', true],
    [
      new EndpointTemporarilyUnavailableException({ message: 'x', $metadata: {} }),
      'EndpointTemporarilyUnavailableException',
      'transient',
      true,
    ],
    [new IdempotentParameterMismatch({ message: 'x', $metadata: {} }), 'IdempotentParameterMismatch', 'conflict', false],
  ] as const)('%#: %s', (err, type, category, retryable) => {
    expect(classifyAwsError(err)).toMatchObject({ type, category, retryable });
  });

  test('carries the HTTP status and request id when present', () => {
    const err = new DBClusterNotFoundFault({ message: 'x', $metadata: { httpStatusCode: 404, requestId: 'req-123' } });
    expect(classifyAwsError(err)).toEqual({
      type: 'DBClusterNotFoundFault',
      category: 'not-found',
      retryable: false,
      httpStatusCode: 404,
      requestId: 'req-123',
    });
  });
});

describe('classifyAwsError: the simulated AWS and other errors', () => {
  test('SimAwsError is classified like the SDK exception of the same name', () => {
    expect(classifyAwsError(new SimAwsError('ThrottlingException', 'Rate exceeded', 400, true))).toMatchObject({
      category: 'throttle',
      retryable: true,
    });
    expect(classifyAwsError(new SimAwsError('InternalFailure', 'boom', 500, true))).toMatchObject({
      category: 'transient',
      retryable: true,
      httpStatusCode: 500,
    });
    expect(classifyAwsError(new SimAwsError('InvalidDBClusterStateFault', 'cluster is failing-over'))).toMatchObject({
      category: 'busy',
      retryable: true,
    });
    expect(classifyAwsError(new SimAwsError('DBClusterNotFoundFault', 'nope', 404))).toMatchObject({
      category: 'not-found',
      retryable: false,
    });
  });

  test('an unknown name with the SDK retry hint is retryable', () => {
    const e = awsLike('BrandNewThrottle', 400, { $retryable: { throttling: true } });
    expect(classifyAwsError(e)).toMatchObject({ category: 'throttle', retryable: true });
    const t = awsLike('BrandNewGlitch', 400, { $retryable: {} });
    expect(classifyAwsError(t)).toMatchObject({ category: 'transient', retryable: true });
  });

  test('network errors (err.code) are transient', () => {
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EAI_AGAIN']) {
      expect(classifyAwsError(Object.assign(new Error('socket'), { code }))).toMatchObject({ category: 'transient', retryable: true });
    }
  });

  test('poll outcomes are not retried', () => {
    expect(classifyAwsError(new PollTimeoutError('x'))).toMatchObject({ type: 'PollTimeoutError', category: 'deadline', retryable: false });
    expect(classifyAwsError(new PollFailedError('x'))).toMatchObject({
      type: 'PollFailedError',
      category: 'terminal-state',
      retryable: false,
    });
  });

  test('a plain Error or a non-error value is unknown and retryable (the activity retry policy bounds it)', () => {
    expect(classifyAwsError(new TypeError('x is undefined'))).toMatchObject({ type: 'TypeError', category: 'unknown', retryable: true });
    expect(classifyAwsError('a string')).toMatchObject({ type: 'Error', category: 'unknown', retryable: true });
    expect(classifyAwsError(undefined)).toMatchObject({ type: 'Error', category: 'unknown' });
  });
});

describe('toApplicationFailure', () => {
  test('type = err.name, nonRetryable from the classification, details and context', () => {
    const f = toApplicationFailure(
      new DBClusterNotFoundFault({ message: 'DBCluster app not found', $metadata: { httpStatusCode: 404, requestId: 'r-1' } }),
      'rds.describeDbCluster(app)',
    );
    expect(f).toBeInstanceOf(ApplicationFailure);
    expect(f.type).toBe('DBClusterNotFoundFault');
    expect(f.nonRetryable).toBe(true);
    expect(f.message).toBe('rds.describeDbCluster(app): DBClusterNotFoundFault: DBCluster app not found');
    expect(f.details).toEqual([
      { category: 'not-found', retryable: false, httpStatusCode: 404, requestId: 'r-1', context: 'rds.describeDbCluster(app)' },
    ]);
  });

  test('a busy fault becomes a retryable failure', () => {
    const f = toApplicationFailure(new SimAwsError('InvalidGlobalClusterStateFault', 'switching-over'));
    expect(f.type).toBe('InvalidGlobalClusterStateFault');
    expect(f.nonRetryable).toBe(false);
  });

  test('an ApplicationFailure passes through unchanged', () => {
    const original = ApplicationFailure.nonRetryable('already classified', 'Custom');
    expect(toApplicationFailure(original)).toBe(original);
  });

  test('credentials never reach the failure message', () => {
    const leaky = awsLike('AccessDenied', 403, {});
    leaky.message =
      'User AKIAIOSFODNN7EXAMPLE denied; aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ' +
      'sessionToken: FQoGZXIvYXdzEXAMPLETOKEN password="hunter2" url?X-Amz-Security-Token=abc123&X-Amz-Signature=deadbeef';
    const f = toApplicationFailure(leaky);
    for (const secret of ['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI', 'FQoGZXIvYXdzEXAMPLETOKEN', 'hunter2', 'abc123', 'deadbeef']) {
      expect(f.message).not.toContain(secret);
    }
    expect(f.message).toContain('AccessDenied');
    expect(f.nonRetryable).toBe(true);
  });

  test('redactSecrets leaves ordinary text alone', () => {
    const text = 'DBCluster app-primary is in state failing-over; NextToken handling ok';
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('withAwsErrors', () => {
  test('returns the value on success', async () => {
    await expect(withAwsErrors(async () => 42)).resolves.toBe(42);
  });

  test('maps a thrown AWS error to an ApplicationFailure', async () => {
    const p = withAwsErrors(async () => {
      throw new InvalidDBClusterStateFault({ message: 'cluster is backtracking', $metadata: {} });
    }, 'rds.failoverDbCluster(app)');
    await expect(p).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(p).rejects.toMatchObject({ type: 'InvalidDBClusterStateFault', nonRetryable: false });
    await expect(p).rejects.toThrow('rds.failoverDbCluster(app): InvalidDBClusterStateFault: cluster is backtracking');
  });

  test('rethrows cancellation unchanged so the worker reports a cancelled activity', async () => {
    const cancelled = new CancelledFailure('cancelled');
    await expect(withAwsErrors(async () => Promise.reject(cancelled))).rejects.toBe(cancelled);
    const abort = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    await expect(withAwsErrors(async () => Promise.reject(abort))).rejects.toBe(abort);
  });
});
