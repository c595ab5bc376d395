/**
 * The one place where errors from AWS (SDK v3 service exceptions, SDK client-side errors, network
 * errors) and from the simulated AWS (`SimAwsError`) become Temporal failures. Classification
 * follows aws-dr-api.md §0.3 and §10: throttling, 5xx and transient network errors are retryable;
 * `Invalid*StateFault` ("resource busy") is retryable because every activity reads before it
 * writes, so a retry re-checks the state first; not-found, validation, idempotency mismatches and
 * auth errors are not. The failure `type` is always `err.name`, so workflows and retry policies
 * match on the AWS name (e.g. `nonRetryableErrorTypes: ['DBClusterNotFoundFault']`).
 *
 * Messages are redacted (access keys, secrets, session tokens, passwords, signatures) before they
 * enter a failure, because failures land in workflow history.
 */
import { ApplicationFailure, TemporalFailure } from '@temporalio/common';
import { PollFailedError, PollTimeoutError } from './poll';

/** Why an error happened, coarse enough for a retry decision and for a report line. */
export type AwsErrorCategory =
  'throttle' | 'transient' | 'busy' | 'not-found' | 'conflict' | 'invalid' | 'auth' | 'deadline' | 'terminal-state' | 'local' | 'unknown';

/** A request an adapter refuses to send because its own input is incomplete or contradictory (never retryable). */
export class InvalidRequestError extends Error {
  override readonly name = 'InvalidRequestError';
}

/**
 * Local and configuration errors: a retry meets the same input and fails the same way (bad JSON in
 * a secret, a runbook or template that does not validate, a request missing a required option).
 */
const LOCAL_NAMES = new Set([
  'InvalidRequestError',
  'SecretFormatError',
  'SyntaxError',
  'ZodError',
  'RunbookValidationError',
  'YamlBoundError',
  'BoundedFileError',
  'FisTemplateError',
  'ConfigError',
  'CanaryTableNameError',
  'ArcEndpointsMissingError',
  'PlaybookNotEnabledError',
  'InvalidReportError',
]);

/** Longest message of a failure built here (the worker's interceptor bounds every failure again). */
const MAX_MESSAGE = 8 * 1024;

/** The classification of one error. */
export interface AwsErrorClassification {
  /** `err.name` (the SDK shape name, e.g. `InvalidDBClusterStateFault`); `Error` when absent. */
  readonly type: string;
  readonly retryable: boolean;
  readonly category: AwsErrorCategory;
  /** HTTP status of the AWS answer, when there was one. */
  readonly httpStatusCode?: number;
  /** AWS request id, when there was one (for support cases). */
  readonly requestId?: string;
}

/** `details[0]` of every `ApplicationFailure` built here. */
export interface AwsFailureDetails {
  readonly category: AwsErrorCategory;
  readonly retryable: boolean;
  readonly httpStatusCode?: number;
  readonly requestId?: string;
  /** What was being done, e.g. `rds.switchoverGlobalCluster(app-global)`. */
  readonly context?: string;
}

/** smithy `service-error-classification` THROTTLING_ERROR_CODES plus non-SDK-retried rate limits. */
const THROTTLE_NAMES = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
  // not SDK-retried (aws-dr-api.md §0.3): Temporal's policy owns them
  'APICallRateForCustomerExceededFault',
  'APICallRateForCustomerExceeded',
  'AutomationExecutionLimitExceededException',
]);

/** Transient server-side or client-side failures (5xx, timeouts, ARC endpoint down). */
const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalFailure',
  'InternalError',
  'InternalServerError',
  'InternalServerException',
  'InternalServiceFault',
  'InternalServiceError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ServiceFailure',
  'EndpointTemporarilyUnavailableException',
  'NetworkingError',
]);

/** Node network error codes (`err.code`) worth another attempt. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Resource busy or not yet ready: retry after the activity's read-before-write re-check. */
const BUSY_NAMES = new Set([
  'TestFailoverNotAvailableFault',
  'InsufficientDBClusterCapacityFault',
  'InsufficientDBInstanceCapacityFault',
  'InsufficientStorageClusterCapacityFault',
  'InsufficientCacheClusterCapacityFault',
  'IncorrectState',
]);

/** `Invalid*State*` names that describe a configuration mistake, not a transient state. */
const STATIC_INVALID_STATE_NAMES = new Set(['InvalidVPCNetworkStateFault']);

/** Concurrent edits that succeed when tried again (ARC: "Try again"; Route 53 health checks). */
const RETRYABLE_CONFLICT_NAMES = new Set([
  'ConflictException',
  'HealthCheckVersionMismatch',
  'ConcurrentModification',
  'ConcurrentModificationException',
]);

/** Conflicts a retry cannot fix (replayed create, reused token with other parameters). */
const FATAL_CONFLICT_NAMES = new Set(['IdempotentParameterMismatch', 'IdempotentParameterMismatchException', 'ParameterAlreadyExists']);

const AUTH_NAMES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'AuthFailure',
  'AuthorizationError',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'ExpiredToken',
  'ExpiredTokenException',
  'NotAuthorized',
  'OptInRequired',
  'CredentialsProviderError',
]);

const INVALID_NAMES = new Set([
  'InvalidChangeBatch',
  'InvalidInput',
  'ValidationException',
  'ValidationError',
  'MissingParameter',
  'MissingRequiredParameterException',
  'ServiceQuotaExceededException',
  'ServiceLimitExceededException',
  'UnsupportedOperation',
  'TooManyTagsException',
]);

interface ErrorLike {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown; readonly requestId?: unknown };
  readonly $retryable?: { readonly throttling?: unknown };
  readonly $fault?: unknown;
}

function asErrorLike(err: unknown): ErrorLike {
  return typeof err === 'object' && err !== null ? (err as ErrorLike) : {};
}

function httpStatusOf(e: ErrorLike): number | undefined {
  let status: unknown;
  try {
    status = e.$metadata?.httpStatusCode;
  } catch {
    status = undefined; // a throwing getter is treated as "no status"
  }
  return typeof status === 'number' ? status : undefined;
}

function retryableHintOf(e: ErrorLike): { throttling: boolean } | undefined {
  let hint: ErrorLike['$retryable'];
  try {
    hint = e.$retryable;
  } catch {
    hint = undefined;
  }
  return hint ? { throttling: hint.throttling === true } : undefined;
}

/**
 * Classifies an error from an adapter or the sim by `err.name` (then HTTP status, SDK retry hint,
 * network code). Unknown errors without an HTTP 4xx status are retryable (bounded by the
 * activity's retry policy); unknown 4xx answers are not.
 */
export function classifyAwsError(err: unknown): AwsErrorClassification {
  const e = asErrorLike(err);
  const type = typeof e.name === 'string' && e.name.length > 0 ? e.name : 'Error';
  const httpStatusCode = httpStatusOf(e);
  const requestId = typeof e.$metadata?.requestId === 'string' ? e.$metadata.requestId : undefined;
  const result = (category: AwsErrorCategory, retryable: boolean): AwsErrorClassification => ({
    type,
    retryable,
    category,
    ...(httpStatusCode !== undefined ? { httpStatusCode } : {}),
    ...(requestId !== undefined ? { requestId } : {}),
  });

  if (err instanceof PollTimeoutError) return result('deadline', false);
  if (err instanceof PollFailedError) return result('terminal-state', false);
  if (LOCAL_NAMES.has(type)) return result('local', false);

  if (THROTTLE_NAMES.has(type)) return result('throttle', true);
  if (AUTH_NAMES.has(type)) return result('auth', false);
  if (TRANSIENT_NAMES.has(type)) return result('transient', true);
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return result('transient', true);
  if (BUSY_NAMES.has(type)) return result('busy', true);
  if (/^Invalid\w*State(Fault|Exception)?$/.test(type) && !STATIC_INVALID_STATE_NAMES.has(type)) {
    return result('busy', true);
  }
  if (RETRYABLE_CONFLICT_NAMES.has(type)) return result('conflict', true);
  if (FATAL_CONFLICT_NAMES.has(type) || /AlreadyExists/.test(type)) return result('conflict', false);
  if (/NotFound|^NoSuch/.test(type)) return result('not-found', false);
  if (INVALID_NAMES.has(type) || /^Invalid|QuotaExceeded|^Missing/.test(type)) return result('invalid', false);

  const hint = retryableHintOf(e);
  if (hint?.throttling) return result('throttle', true);
  if (httpStatusCode !== undefined && httpStatusCode >= 500) return result('transient', true);
  if (hint) return result('transient', true);
  if (httpStatusCode === 429) return result('throttle', true);
  if (httpStatusCode === 404) return result('not-found', false);
  if (httpStatusCode === 401 || httpStatusCode === 403) return result('auth', false);
  if (httpStatusCode === 409) return result('conflict', false);
  if (httpStatusCode !== undefined && httpStatusCode >= 400) return result('invalid', false);
  return result('unknown', true);
}

const REDACTIONS: readonly [RegExp, string][] = [
  // access key ids (long-term AKIA, temporary ASIA)
  [/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, '[redacted-access-key]'],
  // key=value / key: value pairs whose key names a secret
  [
    /\b(aws_secret_access_key|secretAccessKey|SecretAccessKey|aws_session_token|sessionToken|SessionToken|password|passwd|secret|SecretString|token)(["']?\s*[:=]\s*["']?)[^\s"',;&}]+/gi,
    '$1$2[redacted]',
  ],
  // presigned URL / SigV4 parts
  [/(X-Amz-(Security-Token|Signature|Credential))=[^&\s]+/gi, '$1=[redacted]'],
  [/(Signature|Credential)=[A-Za-z0-9/+=_-]{16,}/g, '$1=[redacted]'],
];

/** Removes credential-looking substrings (access keys, secrets, tokens, passwords, signatures). */
export function redactSecrets(text: string): string {
  return REDACTIONS.reduce((acc, [re, by]) => acc.replace(re, by), text);
}

function messageOf(err: unknown): string {
  if (typeof err === 'string') return err;
  const m = asErrorLike(err).message;
  if (typeof m === 'string' && m.length > 0) return m;
  return 'no message';
}

/** True for the errors cancellation produces (the worker reports them as a cancelled activity). */
function isCancellation(err: unknown): boolean {
  const name = asErrorLike(err).name;
  return name === 'AbortError' || name === 'CancelledFailure';
}

/**
 * Converts any error into a Temporal `ApplicationFailure` with `type = err.name`,
 * `nonRetryable` from {@link classifyAwsError}, a redacted message prefixed with `context`, and
 * `details[0]` = {@link AwsFailureDetails}. Temporal failures (already classified) pass through.
 */
export function toApplicationFailure(err: unknown, context?: string): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const c = classifyAwsError(err);
  const raw = messageOf(err);
  const text = redactSecrets(raw.length > MAX_MESSAGE ? `${raw.slice(0, MAX_MESSAGE)}… [cut: ${raw.length} characters]` : raw);
  const message = `${context ? `${context}: ` : ''}${c.type}: ${text}`;
  const details: AwsFailureDetails = {
    category: c.category,
    retryable: c.retryable,
    ...(c.httpStatusCode !== undefined ? { httpStatusCode: c.httpStatusCode } : {}),
    ...(c.requestId !== undefined ? { requestId: c.requestId } : {}),
    ...(context !== undefined ? { context } : {}),
  };
  return ApplicationFailure.create({ type: c.type, message, nonRetryable: !c.retryable, details: [details] });
}

/**
 * Runs `fn` and rethrows whatever it throws as {@link toApplicationFailure}. Cancellation
 * (`AbortError`, `CancelledFailure`) and other Temporal failures are rethrown unchanged so the
 * worker can report a cancelled activity.
 */
export async function withAwsErrors<T>(fn: () => Promise<T>, context?: string): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof TemporalFailure || isCancellation(err)) throw err;
    throw toApplicationFailure(err, context);
  }
}
