/**
 * What gameday knows about AWS FIS: every action of the FIS actions reference with its target keys,
 * resource types and parameters, the former names of renamed actions, the resource types with their
 * target parameters, and ISO-8601 durations. The source and the date it was read are in
 * `FIS_CATALOG_SOURCE`. The catalog lives in `runbooks/fis-catalog/`; this module re-exports it.
 */
export { FIS_ACTIONS, FIS_RENAMED_ACTIONS, lookupFisAction, type FisActionSpec } from './fis-catalog/actions';
export { FIS_CATALOG_SOURCE } from './fis-catalog/source';
export {
  FIS_RESOURCE_TYPES,
  FIS_RESOURCE_TYPE_SPECS,
  FIS_TARGET_PARAMETERS,
  arnServiceOf,
  type FisResourceTypeSpec,
} from './fis-catalog/resource-types';
export { type FisParameterKind, type FisParameterSpec } from './fis-catalog/parameter-specs';
export { HOUR, MINUTE, SECOND, formatMs, parseIsoDuration, toIsoDuration } from './fis-catalog/durations';
