/** How the catalog describes a parameter of an action or of a target, and the builders the catalog is written with. */
import { HOUR, MINUTE, SECOND } from './durations';

/** How a parameter value is checked (FIS parameters are always strings). */
export type FisParameterKind =
  | { readonly kind: 'duration'; readonly minMs: number; readonly maxMs: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  /** A comma-separated list of values from `values`. */
  | { readonly kind: 'enum-list'; readonly values: readonly string[] }
  | { readonly kind: 'integer'; readonly min: number; readonly max: number }
  | { readonly kind: 'number'; readonly min: number; readonly max: number }
  | { readonly kind: 'region' }
  /** One AZ name or ID (`us-east-1a`, `use1-az1`), or a comma-separated list of them. */
  | { readonly kind: 'az-list' }
  /** A comma-separated list of at most `max` ARNs of `service`. */
  | { readonly kind: 'arn-list'; readonly service: string; readonly max: number }
  /** One ARN of `service`. */
  | { readonly kind: 'arn'; readonly service: string }
  /** A JSON object in a string (`documentParameters`, `kubernetesSpec`). */
  | { readonly kind: 'json-object' }
  | { readonly kind: 'string' };

/** One parameter of an action or of a target. */
export interface FisParameterSpec {
  readonly required: boolean;
  readonly check: FisParameterKind;
}

/** A duration parameter of `min`–`max` (ISO-8601 in the template). */
export const dur = (required: boolean, minMs = MINUTE, maxMs = 12 * HOUR): FisParameterSpec => ({
  required,
  check: { kind: 'duration', minMs, maxMs },
});
/** A duration whose range the reference does not state: any positive duration up to 12 h is accepted. */
export const anyDur = (required: boolean): FisParameterSpec => dur(required, SECOND, 12 * HOUR);
/** An optional `true`/`false` parameter (FIS accepts either case: `True`). */
export const bool = (required = false): FisParameterSpec => ({ required, check: { kind: 'boolean' } });
/** A free-form string parameter. */
export const str = (required: boolean): FisParameterSpec => ({ required, check: { kind: 'string' } });
/** An integer parameter in `[min, max]`. */
export const int = (required: boolean, min: number, max: number): FisParameterSpec => ({
  required,
  check: { kind: 'integer', min, max },
});
/** A percentage 1–100. */
export const pct = (required: boolean, min = 1): FisParameterSpec => int(required, min, 100);
/** One of `values`. */
export const oneOf = (required: boolean, values: readonly string[]): FisParameterSpec => ({ required, check: { kind: 'enum', values } });
/** A comma-separated list of `values`. */
export const listOf = (required: boolean, values: readonly string[]): FisParameterSpec => ({
  required,
  check: { kind: 'enum-list', values },
});
/** AZ names or IDs, comma-separated. */
export const azs = (required: boolean): FisParameterSpec => ({ required, check: { kind: 'az-list' } });
/** A region code. */
export const region = (required: boolean): FisParameterSpec => ({ required, check: { kind: 'region' } });
/** A JSON object in a string. */
export const json = (required: boolean): FisParameterSpec => ({ required, check: { kind: 'json-object' } });
/** One ARN of `service`. */
export const arn = (required: boolean, service: string): FisParameterSpec => ({ required, check: { kind: 'arn', service } });
