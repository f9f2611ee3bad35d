// SPDX-License-Identifier: BSD-3-Clause
/**
 * The step-observer seam: what the driver (`protocol/client.ts`) and the embedded engine
 * (`engine/run-md.ts`) publish after every force evaluation, for monitors, recorders and live
 * analysis. Observers never block the force loop: they are called synchronously only after the
 * step's work is done (the driver's reply written, the engine's step integrated), their return
 * value is ignored, and an exception is caught and reported once, never breaking the run.
 *
 * Zero cost when unused: a publisher with no observer builds no record; with observers, one
 * record object is refilled per step (nothing is allocated by the seam itself).
 */
import type { ForceResult, ParticleSystem } from './system.js';

/** Timings of one step, µs. */
export interface StepTimings {
  /** Time in the force provider / force source. */
  readonly computeUs: number;
  /**
   * The whole step: driver, from POSDATA decoded to FORCEREADY written (the STATUS exchange of
   * legacy orders included); engine, from the start of the step to its end (force call and
   * integration).
   */
  readonly stepUs: number;
  /**
   * Time before the step, since the previous one ended: driver, the server's own time (from the
   * previous FORCEREADY written, or the start); engine, the reporting and yielding between steps.
   */
  readonly waitUs: number;
}

/**
 * One published step. **Valid only during the observer call**: the publisher refills the same
 * record, and the arrays of `system` and `result` are reused or overwritten by the next step.
 * An observer that keeps anything copies it (e.g. `Float64Array.from(record.result.forces)`).
 */
export interface StepRecord {
  /** Who published: the i-PI driver or the embedded MD engine. */
  readonly source: 'driver' | 'engine';
  /** Driver: 1-based count of replies sent, this one included. Engine: `state.step` after the step. */
  readonly step: number;
  /** The frame the forces belong to: point sites in Å, cell rows = lattice vectors. */
  readonly system: ParticleSystem;
  /** Energy (eV), forces (3n, eV/Å), virial (9, eV) and extras, as returned by the provider. */
  readonly result: ForceResult;
  /** Timings of the step. */
  readonly timings: StepTimings;
}

/** Receives every step of a driver or engine run. */
export interface StepObserver {
  /** Called once per step after the step's work is done. Must not keep `record` (see {@link StepRecord}). */
  onStep(record: StepRecord): void;
}

/** A {@link StepRecord} its publisher refills in place. */
export type MutableStepRecord = { -readonly [K in Exclude<keyof StepRecord, 'timings'>]: StepRecord[K] } & { timings: MutableStepTimings };

/** {@link StepTimings} refilled in place. */
export type MutableStepTimings = { -readonly [K in keyof StepTimings]: StepTimings[K] };

/**
 * The observers of one run, with the error policy: an observer that throws is reported through
 * `onError` the first time (with the step it failed on) and keeps being called; the run goes on.
 */
export class StepObservers {
  /** True when at least one observer is registered: publishers skip building a record otherwise. */
  readonly active: boolean;
  readonly #observers: readonly StepObserver[];
  readonly #failed: boolean[];
  readonly #onError: (message: string, error: unknown) => void;

  /**
   * @param observers the observers, called in this order.
   * @param onError where a failing observer is reported, once per observer (e.g. a logger's warn).
   */
  constructor(observers: readonly StepObserver[] | undefined, onError: (message: string, error: unknown) => void) {
    this.#observers = observers ? [...observers] : [];
    for (const o of this.#observers) {
      if (o === null || typeof o !== 'object' || typeof o.onStep !== 'function') {
        throw new TypeError('a step observer must be an object with an onStep(record) method');
      }
    }
    this.#failed = this.#observers.map(() => false);
    this.#onError = onError;
    this.active = this.#observers.length > 0;
  }

  /** Call every observer with `record`; exceptions are caught (reported once per observer). */
  publish(record: StepRecord): void {
    const list = this.#observers;
    for (let k = 0; k < list.length; k++) {
      try {
        const r: unknown = list[k]!.onStep(record);
        // An async observer is not awaited; its rejection is reported like a throw.
        if (r !== undefined && typeof (r as PromiseLike<unknown>)?.then === 'function') {
          const { source, step } = record;
          (r as PromiseLike<unknown>).then(undefined, (err: unknown) => this.#fail(k, source, step, err));
        }
      } catch (err) {
        this.#fail(k, record.source, record.step, err);
      }
    }
  }

  #fail(k: number, source: StepRecord['source'], step: number, err: unknown): void {
    if (this.#failed[k]) return;
    this.#failed[k] = true;
    const why = err instanceof Error ? err.message : String(err);
    this.#onError(`step observer ${k} failed at ${source} step ${step}: ${why} (reported once; the run goes on)`, err);
  }
}

/** A record to refill, for a publisher's constructor. */
export function createStepRecord(source: StepRecord['source'], system: ParticleSystem, result: ForceResult): MutableStepRecord {
  return { source, step: 0, system, result, timings: { computeUs: 0, stepUs: 0, waitUs: 0 } };
}
