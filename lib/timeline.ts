/**
 * Pure timeline → RTO / RPO / verdict math (domain.md §3). Deterministic and free of I/O, so
 * workflows import it directly and tests drive it with tables.
 *
 * RTO
 * - RTO = first `fault-injected` → first `app-healthy` at or after it (within the skew tolerance).
 *   A playbook whose recovery has no app-healthy step (e.g. a restore drill) names its end event
 *   with `rtoEnd` (documented fallback, e.g. `verification-finished`); nothing is guessed.
 * - Either event missing → RTO "not measured", the reason naming the missing event.
 * - Phases: detect (fault-injected → failure-detected), decide (→ decision-made), promote
 *   (promotion-started → promotion-finished), traffic (traffic-shift-started → traffic-converged),
 *   app (last of traffic-converged / promotion-finished / decision-made → app-healthy), restore
 *   (restore-started → restore-available), verify (restore-available → verification-finished).
 *   A phase whose end or every start candidate is missing is left out.
 * - AZ loss: per component, `component-impaired` → `component-recovered` against the RTO target.
 *
 * Clock-skew policy: events come from different activities (possibly different workers), so an
 * end may precede its start by a little. Any negative duration (phase, RTO, component) is clamped
 * to 0 and a note says by how much; an end event earlier than its start by more than
 * `maxSkewMs` is not accepted as that start's end (it belongs to an earlier cycle, e.g. a baseline
 * health check), so the next one after the start is used, or the figure is not measured.
 *
 * RPO (canary)
 * - the promotion began at the first `writes-blocked` event (AWS's record that the old primary
 *   was fenced, RDS-EVENT-0390/0391: a managed failover keeps replicating until then), else at the
 *   first `promotion-started` event (the promote call); without either,
 *   every acked write counts as before the promotion (and a note says so).
 * - lost = writes acked *before the promotion began* and missing on the new writer;
 *   `lostWrites` = their count.
 * - split-brain writes = writes acked at or after the promotion began and missing on the new
 *   writer: the old primary took them while the new writer already existed. They are their own
 *   figure (`splitBrain`: count and window first/last), never RPO.
 * - without `writes-blocked` (a detach: AWS records no instant for its cut), the promote call's
 *   window [`at`, `until`] bounds the cut: missing writes sent inside it may be lost or split
 *   brain and are their own figure (`inFlightAtPromotion`), counted in neither.
 * - none lost → RPO 0.
 * - else RPO = at(last lost acked write) − at(newest present acked write older than it).
 * - total loss (no present write older than the last lost one) → RPO = at(last lost) −
 *   at(first acked) + 1000 / rate: the data since one write interval before the first ack is gone.
 * - times inside compacted ack spans are interpolated linearly (noted).
 * - a writer whose dead attempt's acks could not be read back (`ackGap`): RPO and the lost-write
 *   count are not measured, with the reason (never a count that misses them).
 *
 * Verdict: each measured figure passes when value ≤ target (margin = target − value). The
 * overall (service) verdict is the service's figures: `fail` if RTO or RPO is measured and fails;
 * else `not-measured` if either is not measured; else `pass`. Component figures (AZ loss) carry
 * their own verdicts and are not in the service verdict (a group's capacity restore is not
 * service downtime). A target is never reported as a measured value.
 */
import { humanWaitsOf, spanWithHumanTime, type HumanWait } from './human-time';
import type { RecoveryTargets } from './tiers';
import type {
  CanaryAck,
  CanaryReadResult,
  CanaryWriterResult,
  Figure,
  Measurement,
  PhaseFigure,
  SplitBrainFigure,
  TimelineEvent,
  TimelineEventName,
} from './measurement-types';

/** Canary input of `measure`: writer and reader results, or why the canary did not run. */
export type CanaryMeasurementInput =
  { readonly writer: CanaryWriterResult; readonly reader: CanaryReadResult } | { readonly notMeasured: string };

/** Input of `measure`. */
export interface MeasureInput {
  readonly timeline: readonly TimelineEvent[];
  readonly targets: RecoveryTargets;
  /** Absent = no canary in this run: RPO is not measured. */
  readonly canary?: CanaryMeasurementInput;
  readonly predictedRpoMs?: number;
  readonly resolution: Measurement['resolution'];
  /** Event that ends the RTO. @default 'app-healthy' */
  readonly rtoEnd?: TimelineEventName;
  /** Event that starts the RTO. @default 'fault-injected', else 'promotion-requested' */
  readonly rtoStart?: TimelineEventName;
  /** Largest clock skew tolerated between sources, ms. @default 2000 */
  readonly maxSkewMs?: number;
}

/** Default tolerance for out-of-order events from different sources. */
export const DEFAULT_MAX_SKEW_MS = 2000;

interface PhaseSpec {
  readonly phase: PhaseFigure['phase'];
  /** Start candidates, first present wins. */
  readonly from: readonly TimelineEventName[];
  readonly to: TimelineEventName;
}

/** The phases reported, in order (see the module doc). */
export const PHASES: readonly PhaseSpec[] = [
  { phase: 'detect', from: ['fault-injected'], to: 'failure-detected' },
  { phase: 'decide', from: ['failure-detected', 'fault-injected', 'promotion-requested'], to: 'decision-made' },
  { phase: 'promote', from: ['promotion-started'], to: 'promotion-finished' },
  { phase: 'traffic', from: ['traffic-shift-started'], to: 'traffic-converged' },
  { phase: 'app', from: ['traffic-converged', 'promotion-finished', 'decision-made'], to: 'app-healthy' },
  { phase: 'restore', from: ['restore-started'], to: 'restore-available' },
  { phase: 'verify', from: ['restore-available'], to: 'verification-finished' },
];

/** A figure judged against its target. */
export function judge(valueMs: number, targetMs: number): Figure {
  const marginMs = targetMs - valueMs;
  return { status: 'measured', valueMs, targetMs, marginMs, verdict: marginMs >= 0 ? 'pass' : 'fail' };
}

/** A figure that could not be measured, with the reason. */
export function notMeasured(reason: string, targetMs: number): Figure {
  return { status: 'not-measured', reason, targetMs };
}

function firstEvent(events: readonly TimelineEvent[], name: TimelineEventName, component?: string): TimelineEvent | undefined {
  return events.find((e) => e.name === name && (component === undefined || e.component === component));
}

/** First `name` event not earlier than `start.at − maxSkew`. */
function endAfter(
  events: readonly TimelineEvent[],
  name: TimelineEventName,
  start: TimelineEvent,
  maxSkewMs: number,
  component?: string,
): TimelineEvent | undefined {
  return events.find((e) => e.name === name && (component === undefined || e.component === component) && e.at >= start.at - maxSkewMs);
}

/** Duration `end − start`, clamped to 0 with a note when negative (clock skew). */
function span(
  what: string,
  start: TimelineEvent,
  end: TimelineEvent,
  notes: string[],
  waits: readonly HumanWait[] = [],
): { durationMs: number; clampedFromMs?: number } {
  const d = spanWithHumanTime(start.at, end.at, waits);
  if (d >= 0) return { durationMs: d };
  notes.push(
    `${what}: ${end.name} (${end.source}) precedes ${start.name} (${start.source}) by ${-d} ms; clock skew between sources, duration clamped to 0`,
  );
  return { durationMs: 0, clampedFromMs: d };
}

function stableSort(events: readonly TimelineEvent[]): TimelineEvent[] {
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
    .map((x) => x.e);
}

/** Computes the phases of a timeline (see the module doc). */
export function phasesOf(timeline: readonly TimelineEvent[], maxSkewMs = DEFAULT_MAX_SKEW_MS, notes: string[] = []): PhaseFigure[] {
  const events = stableSort(timeline);
  const waits = humanWaitsOf(events);
  const out: PhaseFigure[] = [];
  for (const spec of PHASES) {
    const start = spec.from.map((n) => firstEvent(events, n)).find((e) => e !== undefined);
    if (!start) continue;
    const end = endAfter(events, spec.to, start, maxSkewMs);
    if (!end) continue;
    const { durationMs, clampedFromMs } = span(`phase ${spec.phase}`, start, end, notes, waits);
    out.push({
      phase: spec.phase,
      startAt: start.at,
      endAt: end.at,
      durationMs,
      ...(clampedFromMs !== undefined ? { clampedFromMs } : {}),
    });
  }
  return out;
}

function measureRto(events: readonly TimelineEvent[], input: MeasureInput, maxSkewMs: number, notes: string[]): Figure {
  const startName = input.rtoStart ?? (firstEvent(events, 'fault-injected') ? 'fault-injected' : 'promotion-requested');
  const endName = input.rtoEnd ?? 'app-healthy';
  const target = input.targets.rtoMs;
  const start = firstEvent(events, startName);
  if (!start) {
    const names = input.rtoStart ?? 'fault-injected (or promotion-requested)';
    return notMeasured(`no ${names} event in the timeline: the start of the outage was not observed`, target);
  }
  const end = endAfter(events, endName, start, maxSkewMs);
  if (!end) return notMeasured(`no ${endName} event after ${startName}: recovery was not observed`, target);
  if (endName !== 'app-healthy') notes.push(`RTO ends at ${endName} (this scenario has no app-healthy step)`);
  const waits = humanWaitsOf(events);
  return withWindow(judge(span('RTO', start, end, notes, waits).durationMs, target), start, end, waits, 'RTO', notes);
}

/**
 * Adds the observation window of a figure whose end was seen by polling (`end.notBefore`): the
 * true value lies in (earliestMs, valueMs], and a note says so in words.
 */
function withWindow(
  f: Figure,
  start: TimelineEvent,
  end: TimelineEvent,
  waits: readonly HumanWait[],
  what: string,
  notes: string[],
): Figure {
  if (f.status !== 'measured' || end.notBefore === undefined) return f;
  const earliestMs = Math.min(f.valueMs, Math.max(0, spanWithHumanTime(start.at, Math.max(start.at, end.notBefore), waits)));
  notes.push(
    `${what} ends at ${end.name}, seen by polling: the change happened between ${earliestMs} ms and ${f.valueMs} ms after ${start.name} (last read without it, first read with it); the figure is the later bound`,
  );
  return { ...f, earliestMs };
}

function measureComponents(
  events: readonly TimelineEvent[],
  targets: RecoveryTargets,
  maxSkewMs: number,
  notes: string[],
): Measurement['components'] {
  const names: string[] = [];
  for (const e of events) {
    if (e.name === 'component-impaired' && e.component !== undefined && !names.includes(e.component)) names.push(e.component);
  }
  return names.map((component) => {
    const start = firstEvent(events, 'component-impaired', component)!;
    const end = endAfter(events, 'component-recovered', start, maxSkewMs, component);
    const rto = end
      ? withWindow(
          judge(span(`component ${component}`, start, end, notes).durationMs, targets.rtoMs),
          start,
          end,
          [],
          `component ${component}`,
          notes,
        )
      : notMeasured(`no component-recovered event for ${component}: its recovery was not observed`, targets.rtoMs);
    return { component, rto };
  });
}

/** Expands writer acks (exact + compacted spans) into seq → time; `interpolated` lists span seqs. */
export function ackTimes(writer: CanaryWriterResult): { times: Map<number, number>; interpolated: Set<number> } {
  const times = new Map<number, number>();
  const interpolated = new Set<number>();
  for (const s of writer.ackSpans ?? []) {
    const n = s.toSeq - s.fromSeq;
    if (s.atDeltas && s.atDeltas.length === n) {
      let at = s.fromAt;
      for (let seq = s.fromSeq; seq <= s.toSeq; seq++) {
        times.set(seq, at);
        at += s.atDeltas[seq - s.fromSeq] ?? 0;
      }
      continue;
    }
    for (let seq = s.fromSeq; seq <= s.toSeq; seq++) {
      const at = n === 0 ? s.fromAt : Math.round(s.fromAt + ((seq - s.fromSeq) * (s.toAt - s.fromAt)) / n);
      times.set(seq, at);
      if (seq !== s.fromSeq && seq !== s.toSeq) interpolated.add(seq);
    }
  }
  for (const a of writer.acked) {
    times.set(a.seq, a.at);
    interpolated.delete(a.seq);
  }
  return { times, interpolated };
}

/** Seqs present on the new writer (`presentSeqs` ∪ `presentRanges`). */
export function presentSet(reader: CanaryReadResult): Set<number> {
  const set = new Set<number>(reader.presentSeqs);
  for (const [from, to] of reader.presentRanges ?? []) for (let s = from; s <= to; s++) set.add(s);
  return set;
}

/** RPO from a canary writer result and what the reader found (see the module doc). */
export function computeRpo(
  writer: CanaryWriterResult,
  reader: CanaryReadResult,
  promotionBeganAt = Infinity,
  promotionBeganUntil = promotionBeganAt,
): {
  rpoMs: number;
  lostWrites: number;
  lastLost?: CanaryAck;
  newestPresentBefore?: CanaryAck;
  totalLoss: boolean;
  interpolated: boolean;
  splitBrain?: SplitBrainFigure;
  inFlight?: SplitBrainFigure;
} {
  const { times, interpolated } = ackTimes(writer);
  const present = presentSet(reader);
  const acks = [...times.entries()].map(([seq, at]) => ({ seq, at })).sort((a, b) => a.at - b.at || a.seq - b.seq);
  const missing = acks.filter((a) => !present.has(a.seq));
  const lost = missing.filter((a) => a.at < promotionBeganAt);
  const split = missing.filter((a) => a.at >= promotionBeganUntil);
  const between = missing.filter((a) => a.at >= promotionBeganAt && a.at < promotionBeganUntil);
  const figure = (xs: typeof acks): SplitBrainFigure | undefined =>
    xs.length > 0 ? { writes: xs.length, firstAt: xs[0]!.at, lastAt: xs[xs.length - 1]!.at } : undefined;
  const splitBrain = figure(split);
  const inFlight = figure(between);
  const sb = { ...(splitBrain ? { splitBrain } : {}), ...(inFlight ? { inFlight } : {}) };
  if (lost.length === 0) return { rpoMs: 0, lostWrites: 0, totalLoss: false, interpolated: false, ...sb };
  const lastLost = lost[lost.length - 1]!;
  let newestPresentBefore: CanaryAck | undefined;
  for (const a of acks) {
    if (a.at >= lastLost.at) break;
    if (present.has(a.seq)) newestPresentBefore = a;
  }
  const usedInterpolation =
    interpolated.has(lastLost.seq) || (newestPresentBefore !== undefined && interpolated.has(newestPresentBefore.seq));
  if (newestPresentBefore) {
    return {
      rpoMs: lastLost.at - newestPresentBefore.at,
      lostWrites: lost.length,
      lastLost,
      newestPresentBefore,
      totalLoss: false,
      interpolated: usedInterpolation,
      ...sb,
    };
  }
  const intervalMs = 1000 / writer.ratePerSecond;
  return {
    rpoMs: Math.round(lastLost.at - acks[0]!.at + intervalMs),
    lostWrites: lost.length,
    lastLost,
    totalLoss: true,
    interpolated: usedInterpolation,
    ...sb,
  };
}

function measureRpo(
  input: MeasureInput,
  events: readonly TimelineEvent[],
  notes: string[],
): { rpo: Figure; lostWrites?: number; splitBrain?: SplitBrainFigure; inFlightAtPromotion?: SplitBrainFigure } {
  const target = input.targets.rpoMs;
  const canary = input.canary;
  if (!canary)
    return { rpo: notMeasured('no canary ran in this run (the runbook has no canary section or the scenario does not write)', target) };
  if ('notMeasured' in canary) return { rpo: notMeasured(canary.notMeasured, target) };
  const { writer, reader } = canary;
  if (writer.unavailableReason) return { rpo: notMeasured(`canary writer unavailable: ${writer.unavailableReason}`, target) };
  if (reader.unavailableReason) return { rpo: notMeasured(`canary reader unavailable: ${reader.unavailableReason}`, target) };
  if (writer.ackGap !== undefined) return { rpo: notMeasured(`canary writer acks incomplete: ${writer.ackGap}`, target) };
  for (const r of writer.recoveredAcks ?? []) {
    notes.push(
      `canary: a writer attempt died after its last checkpoint; attempt ${r.attempt} read back ${r.rows} row(s) it had committed (seq ≥ ${r.fromSeq}) from ${r.readFrom.join(', ')} and counts them as acknowledged`,
    );
  }
  if (writer.acked.length === 0 && (writer.ackSpans ?? []).length === 0) {
    return { rpo: notMeasured(`the canary acknowledged no writes (${writer.failedAttempts} failed attempts)`, target) };
  }
  const blocked = firstEvent(events, 'writes-blocked');
  const began = blocked ?? firstEvent(events, 'promotion-started');
  if (!began) notes.push('RPO: no promotion-started event; every acked write missing on the new writer counts toward RPO');
  if (blocked)
    notes.push(
      `RPO: the promotion began when AWS blocked writes on the old primary (${blocked.detail ?? blocked.source}), not at the call`,
    );
  // Without AWS's instant of the cut, the promote call's window bounds it: writes sent inside it are their own figure.
  const r = computeRpo(writer, reader, began?.at, blocked ? undefined : began?.until);
  if (r.inFlight) {
    notes.push(
      `RPO: ${r.inFlight.writes} write(s) sent while the promote call was in flight are missing on the new writer: lost or split brain (AWS records no instant for this cut inside the call), counted in neither`,
    );
  }
  if (r.splitBrain) {
    notes.push(
      `split brain: ${r.splitBrain.writes} writes acked by the old primary after the promotion began are not on the new writer (not RPO)`,
    );
  }
  if (r.totalLoss) {
    notes.push(
      `RPO: none of the writes acked before seq ${r.lastLost!.seq} is on the new writer; RPO = last lost − first acked + 1 write interval`,
    );
  }
  if (r.interpolated) notes.push('RPO: a write time came from a compacted ack span and was interpolated (±1 write interval)');
  return {
    rpo: judge(r.rpoMs, target),
    lostWrites: r.lostWrites,
    ...(r.splitBrain ? { splitBrain: r.splitBrain } : {}),
    ...(r.inFlight ? { inFlightAtPromotion: r.inFlight } : {}),
  };
}

/**
 * The service verdict from the service's figures, RTO and RPO (see the module doc). Component
 * figures are accepted for the callers that pass them, and ignored: each has its own verdict.
 */
export function overallVerdict(rto: Figure, rpo: Figure, _components?: Measurement['components']): Measurement['verdict'] {
  if ([rto, rpo].some((f) => f.status === 'measured' && f.verdict === 'fail')) return 'fail';
  if (rto.status !== 'measured' || rpo.status !== 'measured') return 'not-measured';
  return 'pass';
}

/**
 * The stretches of [startAt, endAt] that no phase covers, each named by the phases around it,
 * so phases and gaps together account for every millisecond of the RTO.
 */
export function gapsOf(phases: readonly PhaseFigure[], startAt: number, endAt: number): NonNullable<Measurement['gaps']> {
  const inside = [...phases].filter((p) => p.endAt > startAt && p.startAt < endAt).sort((a, b) => a.startAt - b.startAt);
  const gaps: { between: string; startAt: number; endAt: number; durationMs: number }[] = [];
  let cursor = startAt;
  let before = 'start';
  for (const p of inside) {
    if (p.startAt > cursor)
      gaps.push({ between: `${before} → ${p.phase}`, startAt: cursor, endAt: p.startAt, durationMs: p.startAt - cursor });
    if (p.endAt > cursor) {
      cursor = p.endAt;
      before = p.phase;
    }
  }
  if (endAt > cursor) gaps.push({ between: `${before} → end`, startAt: cursor, endAt, durationMs: endAt - cursor });
  return gaps;
}

/** Turns an observed timeline and canary results into the run's measurement. */
export function measure(input: MeasureInput): Measurement {
  const maxSkewMs = input.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  const events = stableSort(input.timeline);
  const notes: string[] = [];
  const rto = measureRto(events, input, maxSkewMs, notes);
  const phases = phasesOf(events, maxSkewMs, notes);
  const startName = input.rtoStart ?? (firstEvent(events, 'fault-injected') ? 'fault-injected' : 'promotion-requested');
  const rtoStart = firstEvent(events, startName);
  const rtoEnd = rtoStart && endAfter(events, input.rtoEnd ?? 'app-healthy', rtoStart, maxSkewMs);
  const gaps = rto.status === 'measured' && rtoStart && rtoEnd ? gapsOf(phases, rtoStart.at, rtoEnd.at) : [];
  const humanWaits = humanWaitsOf(events).map((w) => ({ what: w.what, wallMs: w.wallMs, clockMs: w.toAt - w.fromAt }));
  const components = measureComponents(events, input.targets, maxSkewMs, notes);
  const { rpo, lostWrites, splitBrain, inFlightAtPromotion } = measureRpo(input, events, notes);
  const writer = input.canary && 'writer' in input.canary ? input.canary.writer : undefined;
  const rate = writer?.ratePerSecond;
  const achieved = writer?.achievedRatePerSecond;
  const resolution = {
    ...input.resolution,
    ...(input.resolution.canaryRatePerSecond === undefined && rate !== undefined ? { canaryRatePerSecond: rate } : {}),
    ...(achieved !== undefined ? { canaryAchievedRatePerSecond: achieved } : {}),
  };
  return {
    targets: input.targets,
    rto,
    rpo,
    phases,
    components,
    ...(lostWrites !== undefined ? { lostWrites } : {}),
    ...(splitBrain ? { splitBrain } : {}),
    ...(inFlightAtPromotion ? { inFlightAtPromotion } : {}),
    ...(input.predictedRpoMs !== undefined ? { predictedRpoMs: input.predictedRpoMs } : {}),
    resolution,
    verdict: overallVerdict(rto, rpo),
    ...(notes.length > 0 ? { notes } : {}),
    ...(gaps.length > 0 ? { gaps } : {}),
    ...(humanWaits.length > 0 ? { humanWaits } : {}),
  };
}
