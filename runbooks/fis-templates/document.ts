/**
 * The CreateExperimentTemplate document as the template library, the validator and the sim read it
 * (camelCase, as FIS JSON writes it). Runbooks own this contract; the AWS port's template input is
 * structurally the same, so a rendered document can be sent as it is.
 */

/** A target: which resources an action acts on. */
export interface FisTemplateTarget {
  readonly resourceType: string;
  readonly resourceArns?: readonly string[];
  readonly resourceTags?: Readonly<Record<string, string>>;
  readonly filters?: readonly { readonly path: string; readonly values: readonly string[] }[];
  /** `ALL`, `COUNT(n)` or `PERCENT(n)`. */
  readonly selectionMode: string;
  readonly parameters?: Readonly<Record<string, string>>;
}

/** An action: what is done, to which targets, after which other actions. */
export interface FisTemplateAction {
  readonly actionId: string;
  readonly description?: string;
  readonly parameters?: Readonly<Record<string, string>>;
  /** Target key (`Instances`) → target name. */
  readonly targets?: Readonly<Record<string, string>>;
  readonly startAfter?: readonly string[];
}

/** A stop condition: `aws:cloudwatch:alarm` with an alarm ARN, or `none`. */
export interface FisTemplateStopCondition {
  readonly source: string;
  readonly value?: string;
}

/** `experimentOptions` of CreateExperimentTemplate. */
export interface FisTemplateExperimentOptions {
  readonly accountTargeting?: 'single-account' | 'multi-account';
  readonly emptyTargetResolutionMode?: 'fail' | 'skip';
}

/** `logConfiguration`: where FIS writes experiment logs. */
export interface FisTemplateLogConfiguration {
  readonly logSchemaVersion: number;
  readonly cloudWatchLogsConfiguration?: { readonly logGroupArn: string };
  readonly s3Configuration?: { readonly bucketName: string; readonly prefix?: string };
}

/** `experimentReportConfiguration`: the experiment report FIS writes to S3 after the experiment. */
export interface FisTemplateReportConfiguration {
  readonly outputs?: { readonly s3Configuration?: { readonly bucketName: string; readonly prefix?: string } };
  readonly dataSources?: { readonly cloudWatchDashboards?: readonly { readonly dashboardIdentifier: string }[] };
  /** ISO-8601, e.g. `PT10M`. */
  readonly preExperimentDuration?: string;
  /** ISO-8601, e.g. `PT10M`. */
  readonly postExperimentDuration?: string;
}

/** The fields of CreateExperimentTemplate besides the core ones, all optional. */
export interface FisTemplateOptionalFields {
  readonly experimentOptions?: FisTemplateExperimentOptions;
  readonly logConfiguration?: FisTemplateLogConfiguration;
  readonly experimentReportConfiguration?: FisTemplateReportConfiguration;
}

/** A whole CreateExperimentTemplate document (without `clientToken`). */
export interface FisTemplateDocument extends FisTemplateOptionalFields {
  readonly description: string;
  readonly roleArn: string;
  readonly targets: Readonly<Record<string, FisTemplateTarget>>;
  readonly actions: Readonly<Record<string, FisTemplateAction>>;
  readonly stopConditions: readonly FisTemplateStopCondition[];
  readonly tags?: Readonly<Record<string, string>>;
}
