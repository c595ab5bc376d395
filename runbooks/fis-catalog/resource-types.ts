/** The resource types FIS targets accept, their target parameters, and how they may be selected. */
import { azs, oneOf, str, type FisParameterSpec } from './parameter-specs';

/** One target resource type. */
export interface FisResourceTypeSpec {
  /** Target parameters (`targets.<name>.parameters`); empty when the type takes none. */
  readonly parameters: Readonly<Record<string, FisParameterSpec>>;
  /**
   * `parameters`: targets of this type are selected by their parameters only (no ARNs, tags or
   * filters), as FIS requires for `aws:eks:pod`.
   * @default ARNs, or tags and/or filters, with optional parameters
   */
  readonly selectBy?: 'parameters';
  /** The service name in the ARNs of this type (`autoscaling` for ASGs). */
  readonly arnService: string;
}

const plain = (arnService: string): FisResourceTypeSpec => ({ parameters: {}, arnService });

/** Resource types FIS targets accept, by type. */
export const FIS_RESOURCE_TYPE_SPECS: Readonly<Record<string, FisResourceTypeSpec>> = {
  'aws:arc:zonal-shift-managed-resource': plain('*'),
  'aws:directconnect:virtual-interface': plain('directconnect'),
  'aws:dsql:cluster': plain('dsql'),
  'aws:dynamodb:global-table': plain('dynamodb'),
  'aws:ec2:autoscaling-group': plain('autoscaling'),
  'aws:ec2:ebs-volume': { arnService: 'ec2', parameters: { availabilityZoneIdentifier: azs(false) } },
  'aws:ec2:instance': plain('ec2'),
  'aws:ec2:spot-instance': plain('ec2'),
  'aws:ec2:subnet': { arnService: 'ec2', parameters: { availabilityZoneIdentifier: azs(false), vpc: str(false) } },
  'aws:ec2:transit-gateway': plain('ec2'),
  'aws:ec2:vpc-endpoint': plain('ec2'),
  'aws:ecs:cluster': plain('ecs'),
  'aws:ecs:task': { arnService: 'ecs', parameters: { cluster: str(false), service: str(false) } },
  'aws:eks:cluster': plain('eks'),
  'aws:eks:nodegroup': plain('eks'),
  'aws:eks:pod': {
    arnService: 'eks',
    selectBy: 'parameters',
    parameters: {
      clusterIdentifier: str(true),
      namespace: str(true),
      selectorType: oneOf(true, ['labelSelector', 'deploymentName', 'podName']),
      selectorValue: str(true),
      availabilityZoneIdentifier: azs(false),
      targetContainerName: str(false),
    },
  },
  'aws:elasticache:replicationgroup': { arnService: 'elasticache', parameters: { availabilityZoneIdentifier: azs(true) } },
  'aws:iam:role': plain('iam'),
  'aws:kinesis:stream': plain('kinesis'),
  'aws:lambda:function': { arnService: 'lambda', parameters: { functionQualifier: str(false) } },
  'aws:memorydb:multi-region-cluster': plain('memorydb'),
  'aws:rds:cluster': { arnService: 'rds', parameters: { writerAvailabilityZoneIdentifiers: azs(false) } },
  'aws:rds:db': { arnService: 'rds', parameters: { availabilityZoneIdentifiers: azs(false) } },
  'aws:s3:bucket': plain('s3'),
};

/** Resource types FIS targets accept. */
export const FIS_RESOURCE_TYPES: readonly string[] = Object.keys(FIS_RESOURCE_TYPE_SPECS);

/** Target parameters per resource type; types not listed take none. */
export const FIS_TARGET_PARAMETERS: Readonly<Record<string, Readonly<Record<string, FisParameterSpec>>>> = Object.fromEntries(
  Object.entries(FIS_RESOURCE_TYPE_SPECS)
    .filter(([, s]) => Object.keys(s.parameters).length > 0)
    .map(([t, s]) => [t, s.parameters]),
);

/** The ARN service a resource type's ARNs carry (`aws:rds:cluster` → `rds`, ASGs → `autoscaling`; `*` = several). */
export function arnServiceOf(resourceType: string): string {
  return FIS_RESOURCE_TYPE_SPECS[resourceType]?.arnService ?? resourceType.split(':')[1] ?? '';
}
