/**
 * The clock label of a report: which clock its times are on and how a person's time counted.
 * Pure; used by every playbook's report builder and rendered by every report format.
 */
import { formatDuration } from './report/format';
import type { ReportClock } from './measurement-types';

/** The clock of a run on `awsMode` whose activities' clock runs at `scale`× wall time. */
export function reportClock(awsMode: 'real' | 'sim', scale: number, startedAtWall?: number): ReportClock {
  const started = startedAtWall !== undefined ? { startedAtWall } : {};
  if (awsMode === 'real' || scale === 1) {
    return { kind: 'wall', scale: 1, ...started, note: 'times are wall-clock (UTC); waits for people are part of them' };
  }
  return {
    kind: 'simulated',
    scale,
    ...started,
    note: `rehearsal on the simulated AWS: AWS times are on the simulated clock, running ${scale}× wall time (${formatDuration(60_000 * scale)} of simulated time per wall minute); waits for people are counted at their wall duration, never scaled`,
  };
}
