/**
 * The steps of a run and their state, behind the one `RunStatus` every playbook answers.
 * Times come from activity results (the activities' clock); the tracker keeps the latest reading
 * as `asOf`. Deterministic.
 */
import type { StepRecord, StepState } from '../../contracts/run';

/** Mutable record of one step. */
type MutableStep = { -readonly [K in keyof StepRecord]: StepRecord[K] };

/** Ordered steps of one run with their state; `begin` / `end` / `skip` move them. */
export class StepTracker {
  private readonly records: MutableStep[];
  /** Name of the current (or last) step. */
  current: string;
  /** One line about what the run does now. */
  detail?: string;
  /** Clock ms of the latest observation. */
  asOf?: number;

  constructor(steps: readonly string[]) {
    this.records = steps.map((step) => ({ step, state: 'pending' }));
    this.current = steps[0] ?? 'start';
  }

  /** Notes a clock reading (keeps the latest). */
  observe(at: number | undefined): void {
    if (at !== undefined && (this.asOf === undefined || at > this.asOf)) this.asOf = at;
  }

  private get(step: string): MutableStep {
    let r = this.records.find((s) => s.step === step);
    if (!r) {
      r = { step, state: 'pending' };
      this.records.push(r);
    }
    return r;
  }

  /** Marks `step` running from the latest clock reading. */
  begin(step: string, detail?: string): void {
    const s = this.get(step);
    s.state = 'running';
    s.startedAt = this.asOf;
    delete s.endedAt;
    delete s.elapsedMs;
    if (detail !== undefined) s.detail = detail;
    this.current = step;
    this.detail = detail;
  }

  /** Marks `step` ended in `state` at `at` (clock ms; the latest reading when absent). */
  end(step: string, state: Exclude<StepState, 'pending' | 'running'>, at?: number, detail?: string): void {
    this.observe(at);
    const s = this.get(step);
    s.state = state;
    s.startedAt ??= at ?? this.asOf;
    s.endedAt = at ?? this.asOf;
    if (s.startedAt !== undefined && s.endedAt !== undefined) s.elapsedMs = Math.max(0, s.endedAt - s.startedAt);
    if (detail !== undefined) s.detail = detail;
  }

  /** Marks `step` skipped with the reason. */
  skip(step: string, reason: string): void {
    const s = this.get(step);
    s.state = 'skipped';
    s.detail = reason;
  }

  /** State of `step`. */
  stateOf(step: string): StepState {
    return this.get(step).state;
  }

  /** A copy of every step, with the elapsed time of a running one as of the latest reading. */
  snapshot(): StepRecord[] {
    return this.records.map((s) =>
      s.state === 'running' && s.startedAt !== undefined && this.asOf !== undefined
        ? { ...s, elapsedMs: Math.max(0, this.asOf - s.startedAt) }
        : { ...s },
    );
  }
}
