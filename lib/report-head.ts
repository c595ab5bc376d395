/**
 * The fields every playbook report starts with: schema version, run ids, scenario, service,
 * tier and AWS mode. One builder, so every report names its run the same way.
 */
import type { RunReport, Scenario } from './measurement-types';

/** What a report's head is built from. */
export interface ReportHeadInput {
  readonly workflowId: string;
  readonly runId: string;
  readonly scenario: Scenario;
  readonly service: string;
  readonly environment: string;
  readonly tier: RunReport['tier'];
  readonly awsMode: RunReport['awsMode'];
}

/** The head of a report: `schemaVersion` and who and what the run was. */
export function reportHead(h: ReportHeadInput): Pick<RunReport, 'schemaVersion' | keyof ReportHeadInput> {
  return {
    schemaVersion: 1,
    workflowId: h.workflowId,
    runId: h.runId,
    scenario: h.scenario,
    service: h.service,
    environment: h.environment,
    tier: h.tier,
    awsMode: h.awsMode,
  };
}

/** How a scenario run ended, as its report states it. */
export interface ReportEnding {
  readonly outcome: RunReport['outcome'];
  readonly reason?: string;
}

/** A whole report from its head, its ending and its body: the outcome reason only when there is one. */
export function scenarioReport(
  head: ReportHeadInput,
  ending: ReportEnding,
  body: Pick<RunReport, 'clock' | 'timeline' | 'measurement' | 'details' | 'notes'>,
): RunReport {
  return { ...reportHead(head), outcome: ending.outcome, ...(ending.reason ? { outcomeReason: ending.reason } : {}), ...body };
}
