/**
 * zod schema of `RunReport` (schemaVersion 1), used to validate reports read back from JSON
 * (`gameday report`, archived evidence). Loose objects: fields added later in v1 survive a read.
 */
import { z } from 'zod';
import type { RunReport } from '../measurement-types';

const ms = z.number().finite();

/** Schema of a `TimelineEvent` in a stored report (unknown fields kept). */
export const TimelineEventSchema = z.looseObject({
  name: z.string().min(1),
  at: ms,
  source: z.string(),
  component: z.string().optional(),
  detail: z.string().optional(),
});

/** Schema of a `Figure`: measured with verdict, or not measured with the reason. */
export const FigureSchema = z.discriminatedUnion('status', [
  z.looseObject({
    status: z.literal('measured'),
    valueMs: ms,
    targetMs: ms,
    marginMs: ms,
    verdict: z.enum(['pass', 'fail']),
    earliestMs: ms.optional(),
  }),
  z.looseObject({ status: z.literal('not-measured'), reason: z.string().min(1), targetMs: ms }),
]);

/** Schema of a `PhaseFigure` in a stored report. */
export const PhaseFigureSchema = z.looseObject({ phase: z.string(), startAt: ms, endAt: ms, durationMs: ms, clampedFromMs: ms.optional() });

/** Schema of a `Measurement` in a stored report. */
export const MeasurementSchema = z.looseObject({
  targets: z.looseObject({ rpoMs: ms, rtoMs: ms }),
  rto: FigureSchema,
  rpo: FigureSchema,
  phases: z.array(PhaseFigureSchema),
  components: z.array(z.looseObject({ component: z.string(), rto: FigureSchema })),
  lostWrites: z.number().int().nonnegative().optional(),
  splitBrain: z.looseObject({ writes: z.number().int().nonnegative(), firstAt: ms, lastAt: ms }).optional(),
  inFlightAtPromotion: z.looseObject({ writes: z.number().int().nonnegative(), firstAt: ms, lastAt: ms }).optional(),
  predictedRpoMs: ms.optional(),
  resolution: z.looseObject({
    pollIntervalMs: ms.optional(),
    canaryRatePerSecond: z.number().positive().optional(),
    awsCalls: z.number().int().nonnegative().optional(),
    awsCallsUncounted: z.number().int().nonnegative().optional(),
  }),
  verdict: z.enum(['pass', 'fail', 'not-measured']),
  notes: z.array(z.string()).optional(),
});

/** Schema of a `RunReport` (version 1), used to validate a report before rendering it. */
export const RunReportSchema = z.looseObject({
  schemaVersion: z.literal(1),
  workflowId: z.string().min(1),
  runId: z.string(),
  scenario: z.enum([
    'preflight',
    'region-promotion',
    'traffic-shift',
    'az-loss',
    'restore-verification',
    'backtrack-drill',
    'region-cut',
    'instance-termination',
    'gameday',
  ]),
  service: z.string().min(1),
  environment: z.string(),
  tier: z.enum(['tier0', 'tier1', 'tier2']),
  awsMode: z.enum(['real', 'sim']),
  outcome: z.enum(['running', 'completed', 'aborted', 'rejected', 'halted', 'failed']),
  outcomeReason: z.string().optional(),
  timeline: z.array(TimelineEventSchema),
  measurement: MeasurementSchema,
  details: z.record(z.string(), z.unknown()),
  notes: z.array(z.string()),
});

/** Thrown when a JSON document is not a valid RunReport; the message lists each bad field. */
export class InvalidReportError extends Error {
  override readonly name = 'InvalidReportError';
}

/** Validates an unknown value as a RunReport (v1). */
export function validateReport(value: unknown): RunReport {
  const r = RunReportSchema.safeParse(value);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    throw new InvalidReportError(`not a gameday RunReport v1:\n${lines.join('\n')}`);
  }
  return r.data as unknown as RunReport;
}
