/** Report renderers by format (`gameday report --format`). */
import type { RunReport } from '../measurement-types';
import { renderHtml } from './html';
import { renderJson } from './json';
import { renderMarkdown } from './markdown';

/** Output formats of a report. */
export type ReportFormat = 'json' | 'md' | 'html';

/** Renders a report in `format`. */
export function renderReport(report: RunReport, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'md':
      return renderMarkdown(report);
    case 'html':
      return renderHtml(report);
  }
}

export { renderHtml, renderJson, renderMarkdown };
export { parseReportJson } from './json';
export { validateReport, InvalidReportError, RunReportSchema } from './schema';
