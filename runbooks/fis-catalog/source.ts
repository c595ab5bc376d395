/** Where the FIS catalog comes from and when it was read. */

/** The reference the catalog transcribes, and the date it was read. */
export const FIS_CATALOG_SOURCE = {
  /** The AWS FIS User Guide's actions reference (every action, resource type and parameter). */
  actions: 'https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html',
  /** Target parameters per resource type (`aws:eks:pod`, `aws:ecs:task`, …). */
  targets: 'https://docs.aws.amazon.com/fis/latest/userguide/targets.html',
  /** The CreateExperimentTemplate request shape (top-level fields, lengths, options). */
  api: 'https://docs.aws.amazon.com/fis/latest/APIReference/API_CreateExperimentTemplate.html',
  /** The day the reference was read for this catalog (ISO date). */
  retrieved: '2026-12-01',
  /**
   * Target keys (`Instances`, `Pods`, …) are not printed in the reference; they are what
   * `aws fis get-action --id <id>` answers under `action.targets`. Those of `aws:rds:*`,
   * `aws:ec2:stop-instances` and the ElastiCache action are confirmed by AWS's own sample
   * templates; the others follow the resource type's plural as `GetAction` names them and are
   * marked `targetKeyUnconfirmed` — check them with `get-action` when one is refused by AWS.
   */
  targetKeys: 'aws fis get-action --id <actionId> (action.targets)',
} as const;
