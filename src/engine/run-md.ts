// SPDX-License-Identifier: BSD-3-Clause
/**
 * The embedded engine's MD loop: integrate an {@link MdState} with forces from an
 * {@link AsyncForceSource} (in-process or a remote driver), report progress through a callback,
 * stream frames to a writer, and summarise energy conservation.
 *
 * Pure orchestration: no console, no files. Progress goes to `onStep`; trajectory text goes to the
 * injected `writer` (see `src/io/write-frames.ts`); every force evaluation is published to the
 * {@link StepObserver}s (`observers`) after its step is integrated.
 */
import { Cell } from '../core/cell.js';
import { AnisoError } from '../core/errors.js';
import { StepObservers, createStepRecord, type StepObserver } from '../core/step-observer.js';
import type { AsyncForceSource, ForceResult } from '../core/system.js';
import { KB_EV_PER_K } from '../core/units.js';
import type { FrameInput } from '../io/frame.js';
import { type Integrator, LangevinBaoab, VelocityVerlet } from './integrators.js';
import { type MdState, degreesOfFreedom, kineticEnergy, systemView } from './md-state.js';

/** Langevin (BAOAB) thermostat settings. */
export interface LangevinThermostat {
  /** Thermostat kind; only `'langevin'` for now. */
  kind: 'langevin';
  /** Bath temperature, K. */
  temperature: number;
  /** Friction γ, 1/fs (e.g. 0.01 for a 100 fs relaxation time). */
  friction: number;
  /** Noise seed (non-negative safe integer). */
  seed: number;
}

/** What `onStep` receives on reported steps. A fresh object each time (safe to keep). */
export interface MdStepInfo {
  /** Step number (`state.step`, continues across runs). */
  step: number;
  /** Simulated time, fs. */
  time: number;
  /** Potential energy from the force source, eV. */
  potential: number;
  /** Kinetic energy, eV. */
  kinetic: number;
  /** Instantaneous kinetic temperature with the run's degrees of freedom, K. */
  temperature: number;
  /** Conserved quantity, eV: `K + U` (NVE) or `K + U − heat` (Langevin). */
  conserved: number;
  /** Energy put in by the bath since the run began, eV (0 for NVE). */
  heat: number;
  /** Wall time since the run began, ms. */
  wallMs: number;
}

/** Anything that accepts frames; a `FrameWriter` from `src/io/write-frames.ts` is one. */
export interface TrajectoryWriter {
  /** Write one frame; a returned promise is awaited before the next step. */
  writeFrame(frame: FrameInput): void | Promise<void>;
}

/** Options of {@link runMd}. */
export interface RunMdOptions {
  /** The state to advance in place (positions, velocities, step, time). */
  state: MdState;
  /** Force source, called once per step plus once at the start. Not closed by `runMd`. */
  source: AsyncForceSource;
  /** Time step, fs (> 0). */
  dt: number;
  /** Number of steps (non-negative integer). */
  steps: number;
  /** Langevin NVT thermostat; NVE (velocity Verlet) when absent. */
  thermostat?: LangevinThermostat;
  /**
   * Degrees of freedom of the kinetic temperature. Default: `3n − 3` for NVE (momentum conserved;
   * start from zero total momentum, e.g. with `initMaxwellBoltzmann`), `3n` with Langevin.
   */
  dof?: number;
  /** Called on every reported step (see `every`); may return a promise, which is awaited. */
  onStep?: (info: MdStepInfo) => void | Promise<void>;
  /** Report (`onStep`, `writer`) when `state.step` is a multiple of `every` (default 1). */
  every?: number;
  /** Also report the starting state (default true; set false when continuing a run). */
  reportInitial?: boolean;
  /** Trajectory output, called on reported steps. */
  writer?: TrajectoryWriter;
  /** Write velocities (`velo`, Å/fs) to the trajectory (default true). */
  writeVelocities?: boolean;
  /** Wrap positions into the cell in the written frames only (default false; the state is never wrapped). */
  wrapOutput?: boolean;
  /**
   * Stops the run cleanly between steps: the summary then has `aborted: true` and the state is
   * consistent (all of the last step done). A force call already in flight completes first.
   */
  signal?: AbortSignal;
  /**
   * Yield to the event loop after at most this much wall time, ms (default 20), so timers, sockets
   * and abort signals are served even when the force source answers synchronously.
   */
  yieldMs?: number;
  /**
   * Observers of every force evaluation (the initial one included): step (`state.step` after the
   * step), frame (the system the forces were computed for), result and timings, published after
   * the step is integrated and before `onStep` and the writer. Never awaited; an observer's
   * exception is reported once (`warn`, and the summary's `observerErrors`) and the run goes on.
   * The record is valid only during the call.
   */
  observers?: readonly StepObserver[];
  /** Where an observer failure is reported (once per observer); it is also in the summary. */
  warn?: (text: string) => void;
}

/** What {@link runMd} returns. Energies eV, times as named. */
export interface RunMdSummary {
  /** Steps completed in this run. */
  steps: number;
  /** True if stopped by the abort signal before `steps` were done. */
  aborted: boolean;
  /** Degrees of freedom used for temperatures. */
  dof: number;
  /** Conserved quantity at the start, eV. */
  initialConserved: number;
  /** Conserved quantity at the end, eV. */
  finalConserved: number;
  /** `finalConserved − initialConserved`, eV. */
  drift: number;
  /** `drift / (steps · n)`, eV per step per site (0 when no step was done). */
  driftPerStepPerParticle: number;
  /** `max |H(t) − H(0)|` over all steps, eV. */
  maxAbsDeviation: number;
  /** Least-squares slope of `H(t)` over all steps, eV/ps (0 with fewer than 2 points). */
  slopeEvPerPs: number;
  /** Mean instantaneous temperature over the steps done (the starting one if none), K. */
  meanTemperature: number;
  /** Potential energy at the end, eV. */
  finalPotential: number;
  /** Kinetic energy at the end, eV. */
  finalKinetic: number;
  /** Energy put in by the bath during the run, eV (0 for NVE). */
  heat: number;
  /** Wall time of the whole run including the first force call, ms. */
  wallMs: number;
  /** Wall time per completed step (excluding the first force call), ms; 0 if none. */
  msPerStep: number;
  /** Failures of step observers during the run, one message per failing observer (usually empty). */
  observerErrors: string[];
}

const yieldToEventLoop: () => Promise<void> =
  typeof setImmediate === 'function'
    ? () => new Promise((resolve) => setImmediate(resolve))
    : () => new Promise((resolve) => setTimeout(resolve, 0));

function checkResult(result: ForceResult, n: number, step: number): void {
  if (!Number.isFinite(result.energy)) {
    throw new AnisoError('E_NONFINITE', `force source returned potential energy ${result.energy} eV at step ${step}`);
  }
  const f = result.forces;
  if (!f || f.length !== 3 * n) {
    throw new AnisoError('E_SIZE', `force source returned ${f ? f.length : 'no'} force components at step ${step}, expected ${3 * n}`);
  }
  for (let k = 0; k < f.length; k++) {
    if (!Number.isFinite(f[k]!)) {
      throw new AnisoError(
        'E_NONFINITE',
        `force source returned a non-finite force at step ${step}: forces[${k}] = ${f[k]} eV/Å (site ${Math.floor(k / 3)}, component ${'xyz'[k % 3]})`,
      );
    }
  }
}

function now(): number {
  return performance.now();
}

/** A placeholder result for the observers' record before the first step. */
function emptyResult(): ForceResult {
  return { energy: 0, forces: new Float64Array(0), torques: null, virial: new Float64Array(9), extras: {} };
}

/**
 * Run `steps` MD steps: velocity Verlet (NVE) or Langevin BAOAB (NVT). Each step makes exactly one
 * `await source.compute(…)`; every result is checked (finite energy and forces, 3n components) and
 * a bad one stops the run with `E_NONFINITE` / `E_SIZE` naming the step. The state is advanced in
 * place; positions are never wrapped. Rejections of the source propagate unchanged.
 *
 * Energy bookkeeping: `H = K + U` (NVE) or `H = K + U − heat` (Langevin, heat = energy put in by the
 * O steps), both conserved up to O(dt²) integration error; the summary reports its drift, largest
 * deviation and linear trend.
 */
export async function runMd(options: RunMdOptions): Promise<RunMdSummary> {
  const { state, source, dt, steps, thermostat, onStep, writer, signal } = options;
  const every = options.every ?? 1;
  const yieldMs = options.yieldMs ?? 20;
  if (!Number.isSafeInteger(steps) || steps < 0) {
    throw new AnisoError('E_ARG', `steps is ${steps}; it must be a non-negative integer`);
  }
  if (!Number.isSafeInteger(every) || every < 1) {
    throw new AnisoError('E_ARG', `every is ${every}; it must be an integer ≥ 1 (steps)`);
  }
  if (!(yieldMs >= 0)) throw new AnisoError('E_ARG', `yieldMs is ${yieldMs} ms; it must be ≥ 0`);
  let integrator: Integrator;
  if (thermostat === undefined) {
    integrator = new VelocityVerlet(state.masses, dt);
  } else if (thermostat.kind === 'langevin') {
    integrator = new LangevinBaoab(state.masses, dt, thermostat);
  } else {
    throw new AnisoError('E_ARG', `unknown thermostat kind '${(thermostat as { kind: unknown }).kind}'; allowed: 'langevin'`);
  }
  const n = state.n;
  const dof = options.dof ?? degreesOfFreedom(n, integrator.conservesMomentum);
  if (!(dof > 0) || !Number.isFinite(dof)) {
    throw new AnisoError('E_ARG', `dof is ${dof}; it must be finite and > 0`);
  }
  const reportInitial = options.reportInitial ?? true;
  const writeVelocities = options.writeVelocities ?? true;
  const toKelvin = 2 / (dof * KB_EV_PER_K);

  const t0 = now();
  const startTime = state.time;
  const system = systemView(state);
  const forces = new Float64Array(3 * n);
  const outPositions = options.wrapOutput ? new Float64Array(3 * n) : null;

  let potential = 0;
  let kinetic = kineticEnergy(state);
  let conserved = 0;
  let h0 = 0;

  const report = async (): Promise<void> => {
    const temperature = kinetic * toKelvin;
    if (onStep) {
      const r = onStep({
        step: state.step,
        time: state.time,
        potential,
        kinetic,
        temperature,
        conserved,
        heat: integrator.heat,
        wallMs: now() - t0,
      });
      if (r instanceof Promise) await r;
    }
    if (writer) {
      let positions: Float64Array = state.positions;
      if (outPositions) {
        outPositions.set(state.positions);
        positions = Cell.wrap(state.cell, outPositions);
      }
      const r = writer.writeFrame({
        species: state.species,
        positions,
        cell: state.cell,
        velocities: writeVelocities ? state.velocities : null,
        step: state.step,
        energy: potential,
        info: { time: state.time, kinetic, temperature, conserved },
      });
      if (r instanceof Promise) await r;
    }
  };

  const summary = (done: number, aborted: boolean, loopStart: number, stats: Stats): RunMdSummary => {
    const end = now();
    return {
      steps: done,
      aborted,
      dof,
      initialConserved: h0,
      finalConserved: conserved,
      drift: conserved - h0,
      driftPerStepPerParticle: done > 0 && n > 0 ? (conserved - h0) / (done * n) : 0,
      maxAbsDeviation: stats.maxAbs,
      slopeEvPerPs: stats.slope(),
      meanTemperature: done > 0 ? stats.sumT / done : kinetic * toKelvin,
      finalPotential: potential,
      finalKinetic: kinetic,
      heat: integrator.heat,
      wallMs: end - t0,
      msPerStep: done > 0 ? (end - loopStart) / done : 0,
      observerErrors,
    };
  };

  const observerErrors: string[] = [];
  const observers = new StepObservers(options.observers, (message) => {
    observerErrors.push(message);
    options.warn?.(message);
  });
  const record = observers.active ? createStepRecord('engine', system, emptyResult()) : null;
  let stepEnd = t0;
  /** Publish the step just done (forces at `system`), begun at `begin`, force call from `c0` to `c1`. */
  const publish = (result: ForceResult, begin: number, c0: number, c1: number): void => {
    const end = now();
    record!.step = state.step;
    record!.result = result;
    record!.timings.computeUs = (c1 - c0) * 1000;
    record!.timings.stepUs = (end - begin) * 1000;
    record!.timings.waitUs = (begin - stepEnd) * 1000;
    observers.publish(record!);
  };

  const stats = new Stats();
  if (signal?.aborted) return summary(0, true, t0, stats);

  // Timings are taken only for the observers (none: no clock reads, no record).
  let c0 = record ? now() : 0;
  let result = await source.compute(system);
  let c1 = record ? now() : 0;
  checkResult(result, n, state.step);
  forces.set(result.forces);
  potential = result.energy;
  h0 = conserved = kinetic + potential;
  stats.add(0, 0);
  if (record) {
    publish(result, c0, c0, c1);
    stepEnd = now();
  }
  if (reportInitial) await report();

  const loopStart = now();
  let lastYield = loopStart;
  let done = 0;
  for (; done < steps; done++) {
    if (signal?.aborted) return summary(done, true, loopStart, stats);
    const begin = record ? now() : 0;
    integrator.beforeForce(state, forces);
    if (record) c0 = now();
    result = await source.compute(system);
    if (record) c1 = now();
    checkResult(result, n, state.step + 1);
    forces.set(result.forces);
    potential = result.energy;
    integrator.afterForce(state, forces);
    state.step += 1;
    state.time = startTime + (done + 1) * dt;
    kinetic = kineticEnergy(state);
    conserved = kinetic + potential - integrator.heat;
    stats.add((state.time - startTime) * 1e-3, conserved - h0);
    stats.sumT += kinetic * toKelvin;
    if (record) {
      publish(result, begin, c0, c1);
      stepEnd = now();
    }
    if (state.step % every === 0) await report();
    if (now() - lastYield >= yieldMs) {
      await yieldToEventLoop();
      lastYield = now();
    }
  }
  return summary(done, false, loopStart, stats);
}

/** Running sums for the max deviation, the least-squares slope of ΔH(t) and the mean temperature. */
class Stats {
  count = 0;
  sumT = 0;
  maxAbs = 0;
  private st = 0;
  private sy = 0;
  private stt = 0;
  private sty = 0;

  /** Add the point (t ps, ΔH eV). */
  add(t: number, dh: number): void {
    this.count++;
    this.st += t;
    this.sy += dh;
    this.stt += t * t;
    this.sty += t * dh;
    const a = Math.abs(dh);
    if (a > this.maxAbs) this.maxAbs = a;
  }

  /** Slope of the least-squares line, eV/ps; 0 with fewer than 2 points. */
  slope(): number {
    const n = this.count;
    const den = n * this.stt - this.st * this.st;
    return n >= 2 && den > 0 ? (n * this.sty - this.st * this.sy) / den : 0;
  }
}
