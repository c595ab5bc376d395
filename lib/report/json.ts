/** RunReport ↔ JSON (schemaVersion 1). */
import type { RunReport } from '../measurement-types';
import { validateReport } from './schema';

/** The report as pretty JSON (stable key order as produced by the workflow). */
export function renderJson(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Parses and validates a JSON report; throws `InvalidReportError` naming the bad fields. */
export function parseReportJson(text: string): RunReport {
  return validateReport(JSON.parse(text));
}
