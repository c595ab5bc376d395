/**
 * Contract of `preflightWorkflow`: its input, the checks it reports and its result. Types only.
 */
import type { RecoveryTargets, Tier } from '../lib/tiers';
import type { Runbook } from '../runbooks/schema';

/** Input of `preflightWorkflow` (a bare string is taken as the runbook name). */
export interface RunbookRef {
  readonly runbook?: string;
  /** Runbook YAML text; `runbook` then only names it in messages. */
  readonly runbookYaml?: string;
}

/** A validated runbook with its name and resolved recovery targets. */
export interface LoadedRunbook {
  readonly name: string;
  readonly runbook: Runbook;
  readonly targets: RecoveryTargets;
}

/** Result of one steady-state or policy check. */
export interface PreflightCheck {
  /** What was checked, e.g. `aurora: writer region`. */
  readonly name: string;
  readonly ok: boolean;
  readonly expected: string;
  readonly found: string;
}

/** The answer of a preflight: every check with what was expected and found, and the verdict. */
export interface PreflightReport {
  /** Runbook name, e.g. `payments-prod`. */
  readonly runbook: string;
  readonly service: string;
  readonly environment: string;
  readonly tier: Tier;
  /** The tier targets with the runbook's overrides applied, ms. */
  readonly targets: RecoveryTargets;
  readonly checks: readonly PreflightCheck[];
  /** True when every check passed (false while running: not yet known ready). */
  readonly ready: boolean;
  /** `running` in the answer of the `report` query while the preflight goes; absent on the result. */
  readonly outcome?: 'running';
  /** The run's AWS API calls (absent: not counted; `awsCallsUncounted` > 0: a lower bound), see `lib/aws-call-count.ts`. */
  readonly resolution?: { readonly awsCalls?: number; readonly awsCallsUncounted?: number };
}
