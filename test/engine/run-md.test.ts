// SPDX-License-Identifier: BSD-3-Clause
/** runMd orchestration: reporting, output, reproducibility, error and abort paths; LocalForceSource. */
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import { AnisoError } from '../../src/core/errors.js';
import type { StepObserver, StepRecord, StepTimings } from '../../src/core/step-observer.js';
import type { ForceProvider, ForceResult, ParticleSystem } from '../../src/core/system.js';
import { LocalForceSource } from '../../src/engine/local-force-source.js';
import { type MdState, createMdState, initMaxwellBoltzmann, kineticEnergy } from '../../src/engine/md-state.js';
import { type MdStepInfo, runMd } from '../../src/engine/run-md.js';
import { readFramesSync } from '../../src/io/read-frames.js';
import { FrameWriter } from '../../src/io/write-frames.js';

/**
 * Harmonic springs between consecutive sites (a ring), `½ k (|r_ij| − r0)²` with the minimum image:
 * momentum-conserving, so NVE keeps Σ m v = 0. `poison(step)` may return NaN to inject failures.
 */
function ring(k: number, r0: number, poison?: (call: number) => { energy?: number; force?: number } | null): ForceProvider {
  let call = 0;
  const d = new Float64Array(3);
  return {
    name: 'ring',
    compute(s: ParticleSystem): ForceResult {
      const forces = new Float64Array(3 * s.n);
      let energy = 0;
      for (let i = 0; i < s.n; i++) {
        const j = (i + 1) % s.n;
        for (let a = 0; a < 3; a++) d[a] = s.positions[3 * j + a]! - s.positions[3 * i + a]!;
        Cell.minimumImage(s.cell, d, 0);
        const r = Math.hypot(d[0]!, d[1]!, d[2]!);
        energy += 0.5 * k * (r - r0) ** 2;
        const g = (-k * (r - r0)) / r;
        for (let a = 0; a < 3; a++) {
          forces[3 * j + a] += g * d[a]!;
          forces[3 * i + a] -= g * d[a]!;
        }
      }
      const p = poison?.(call++);
      if (p?.energy !== undefined) energy = p.energy;
      if (p?.force !== undefined) forces[4] = p.force;
      return { energy, forces, torques: null, virial: new Float64Array(9), extras: {} };
    },
  };
}

function ringState(n = 8, seed = 1, t = 300): MdState {
  const positions: number[] = [];
  for (let i = 0; i < n; i++) {
    const phi = (2 * Math.PI * i) / n;
    positions.push(5 + 3 * Math.cos(phi), 5 + 3 * Math.sin(phi), 5);
  }
  const state = createMdState({
    positions,
    masses: Array.from({ length: n }, (_, i) => 12 + i),
    cell: Cell.orthorhombic(10, 10, 10),
    species: Array.from({ length: n }, (_, i) => (i % 2 ? 'C' : 'O')),
  });
  initMaxwellBoltzmann(state, { temperature: t, seed });
  return state;
}

const same = (a: Float64Array, b: Float64Array) => Buffer.from(a.buffer).equals(Buffer.from(b.buffer));

describe('runMd', () => {
  it('reports every k-th step with consistent energies, and continues step and time across runs', async () => {
    const state = ringState();
    const infos: MdStepInfo[] = [];
    const source = new LocalForceSource(ring(2, 2.3));
    const s1 = await runMd({ state, source, dt: 0.5, steps: 10, every: 4, onStep: (i) => { infos.push(i); } });
    expect(infos.map((i) => i.step)).toEqual([0, 4, 8]);
    expect(infos.map((i) => i.time)).toEqual([0, 2, 4]);
    expect(source.calls).toBe(11); // initial force + one per step
    for (const i of infos) {
      expect(i.conserved).toBeCloseTo(i.kinetic + i.potential, 14);
      expect(i.heat).toBe(0);
      expect(i.wallMs).toBeGreaterThanOrEqual(0);
    }
    expect(s1.steps).toBe(10);
    expect(s1.aborted).toBe(false);
    expect(s1.dof).toBe(3 * 8 - 3);
    expect(s1.finalKinetic).toBeCloseTo(kineticEnergy(state), 15);
    expect(s1.drift).toBeCloseTo(s1.finalConserved - s1.initialConserved, 15);
    expect(s1.driftPerStepPerParticle).toBeCloseTo(s1.drift / (10 * 8), 18);
    expect(s1.maxAbsDeviation).toBeGreaterThanOrEqual(Math.abs(s1.drift));
    expect(s1.msPerStep).toBeGreaterThan(0);
    expect(s1.wallMs).toBeGreaterThan(0);
    expect(state.step).toBe(10);
    expect(state.time).toBe(5);
    infos.length = 0;
    await runMd({ state, source, dt: 0.5, steps: 6, every: 4, reportInitial: false, onStep: (i) => { infos.push(i); } });
    expect(infos.map((i) => i.step)).toEqual([12, 16]);
    expect(state.time).toBe(8);
  });

  it('conserves total momentum in NVE with pair forces after zero-momentum initialisation', async () => {
    const state = ringState(8, 4, 500);
    await runMd({ state, source: new LocalForceSource(ring(2, 2.3)), dt: 1, steps: 200 });
    let px = 0, py = 0, pz = 0;
    for (let i = 0; i < state.n; i++) {
      px += state.masses[i]! * state.velocities[3 * i]!;
      py += state.masses[i]! * state.velocities[3 * i + 1]!;
      pz += state.masses[i]! * state.velocities[3 * i + 2]!;
    }
    expect(Math.hypot(px, py, pz)).toBeLessThan(1e-13);
  });

  it('is bit-for-bit reproducible for equal seeds, and differs for another bath seed', async () => {
    const run = async (bathSeed: number) => {
      const state = ringState(8, 9);
      const summary = await runMd({
        state, source: new LocalForceSource(ring(2, 2.3)), dt: 1, steps: 300,
        thermostat: { kind: 'langevin', temperature: 250, friction: 0.02, seed: bathSeed },
      });
      return { state, summary };
    };
    const a = await run(77), b = await run(77), c = await run(78);
    expect(same(a.state.positions, b.state.positions)).toBe(true);
    expect(same(a.state.velocities, b.state.velocities)).toBe(true);
    expect(Object.is(a.summary.finalConserved, b.summary.finalConserved)).toBe(true);
    expect(Object.is(a.summary.heat, b.summary.heat)).toBe(true);
    expect(same(a.state.positions, c.state.positions)).toBe(false);
  });

  it('stops with E_NONFINITE naming the step when forces or energy are not finite', async () => {
    const failAt = (call: number, what: 'force' | 'energy') =>
      ring(2, 2.3, (c) => (c === call ? (what === 'force' ? { force: Number.NaN } : { energy: Number.POSITIVE_INFINITY }) : null));
    const err = await runMd({ state: ringState(), source: new LocalForceSource(failAt(3, 'force')), dt: 1, steps: 10 }).catch((e) => e);
    expect(err).toBeInstanceOf(AnisoError);
    expect(err.code).toBe('E_NONFINITE');
    expect(err.message).toMatch(/at step 3: forces\[4\] = NaN eV\/Å \(site 1, component y\)/);
    const e2 = await runMd({ state: ringState(), source: new LocalForceSource(failAt(5, 'energy')), dt: 1, steps: 10 }).catch((e) => e);
    expect(e2.code).toBe('E_NONFINITE');
    expect(e2.message).toMatch(/potential energy Infinity eV at step 5/);
    const e0 = await runMd({ state: ringState(), source: new LocalForceSource(failAt(0, 'force')), dt: 1, steps: 10 }).catch((e) => e);
    expect(e0.message).toMatch(/at step 0/);
  });

  it('rejects force arrays of the wrong size, and passes source rejections through', async () => {
    const short: ForceProvider = {
      name: 'short',
      compute: () => ({ energy: 0, forces: new Float64Array(5), torques: null, virial: new Float64Array(9), extras: {} }),
    };
    const err = await runMd({ state: ringState(), source: new LocalForceSource(short), dt: 1, steps: 1 }).catch((e) => e);
    expect(err.code).toBe('E_SIZE');
    expect(err.message).toMatch(/returned 5 force components at step 0, expected 24/);
    const boom: ForceProvider = { name: 'boom', compute: () => { throw new Error('driver went away'); } };
    await expect(runMd({ state: ringState(), source: new LocalForceSource(boom), dt: 1, steps: 1 })).rejects.toThrow('driver went away');
  });

  it('validates its options', async () => {
    const source = new LocalForceSource(ring(2, 2.3));
    await expect(runMd({ state: ringState(), source, dt: -1, steps: 1 })).rejects.toThrow(/dt is -1 fs/);
    await expect(runMd({ state: ringState(), source, dt: 1, steps: 1.5 })).rejects.toThrow(/steps is 1.5/);
    await expect(runMd({ state: ringState(), source, dt: 1, steps: 1, every: 0 })).rejects.toThrow(/every is 0/);
    await expect(runMd({ state: ringState(), source, dt: 1, steps: 1, dof: 0 })).rejects.toThrow(/dof is 0/);
    const bad = { kind: 'berendsen', temperature: 1, friction: 1, seed: 1 } as unknown as { kind: 'langevin'; temperature: number; friction: number; seed: number };
    await expect(runMd({ state: ringState(), source, dt: 1, steps: 1, thermostat: bad })).rejects.toThrow(/unknown thermostat kind 'berendsen'; allowed: 'langevin'/);
  });

  it('stops cleanly on abort: between steps, before starting, and from a timer during a long run', async () => {
    const controller = new AbortController();
    const state = ringState();
    const source = new LocalForceSource(ring(2, 2.3));
    const summary = await runMd({
      state, source, dt: 1, steps: 100, signal: controller.signal,
      onStep: (i) => { if (i.step === 5) controller.abort(); },
    });
    expect(summary.aborted).toBe(true);
    expect(summary.steps).toBe(5);
    expect(state.step).toBe(5);
    expect(source.calls).toBe(6);

    const pre = new LocalForceSource(ring(2, 2.3));
    const s0 = await runMd({ state: ringState(), source: pre, dt: 1, steps: 10, signal: AbortSignal.abort() });
    expect(s0).toMatchObject({ steps: 0, aborted: true });
    expect(pre.calls).toBe(0);

    // The force source answers synchronously; runMd must still yield so the timer can fire.
    const timed = await runMd({ state: ringState(), source: new LocalForceSource(ring(2, 2.3)), dt: 1, steps: 1e9, signal: AbortSignal.timeout(50) });
    expect(timed.aborted).toBe(true);
    expect(timed.steps).toBeGreaterThan(0);
    expect(timed.steps).toBeLessThan(1e9);
  });

  it('writes extxyz frames that read back, wrapping positions only in the output when asked', async () => {
    const chunks: string[] = [];
    const writer = new FrameWriter({ write: (t) => { chunks.push(t); } }, 'extxyz', { precision: 'full' });
    const state = ringState();
    // Push site 0 out of the box: the state keeps it outside, the written frame wraps it.
    state.positions[0] = -2.5;
    const infos: MdStepInfo[] = [];
    await runMd({ state, source: new LocalForceSource(ring(2, 2.3)), dt: 1, steps: 4, every: 2, writer, wrapOutput: true, onStep: (i) => { infos.push(i); } });
    expect(writer.framesWritten).toBe(3);
    expect(chunks).toHaveLength(3);
    const f = readFramesSync({ text: chunks[2]!, source: 'traj.extxyz' }).next().value!;
    expect(f.species).toEqual(state.species);
    expect(f.step).toBe(4);
    expect(f.info).toMatchObject({ time: 4 });
    expect(f.energy).toBe(infos[2]!.potential);
    expect(Number(f.info.conserved)).toBe(infos[2]!.conserved);
    expect(Number(f.info.temperature)).toBe(infos[2]!.temperature);
    expect(same(f.velocities!, state.velocities)).toBe(true);
    expect(state.positions[0]).toBeLessThan(0);
    const wrapped = Cell.wrap(state.cell, Float64Array.from(state.positions));
    expect(same(f.positions, wrapped)).toBe(true);
    expect(Array.from(f.cell.h)).toEqual(Array.from(state.cell.h));

    // Without wrapOutput the raw (unwrapped) positions are written; velocities can be left out.
    const raw: string[] = [];
    await runMd({ state, source: new LocalForceSource(ring(2, 2.3)), dt: 1, steps: 1, writer: new FrameWriter({ write: (t) => { raw.push(t); } }, 'extxyz', { precision: 'full' }), writeVelocities: false });
    const g = readFramesSync({ text: raw[1]! }).next().value!;
    expect(same(g.positions, state.positions)).toBe(true);
    expect(g.velocities).toBeUndefined();
  });

  it('awaits asynchronous callbacks and writers before the next step', async () => {
    const order: string[] = [];
    const writer = {
      writeFrame: async (frame: { step?: number | null }) => {
        await new Promise((r) => setTimeout(r, 1));
        order.push(`w${String(frame.step)}`);
      },
    };
    await runMd({
      state: ringState(), source: new LocalForceSource(ring(2, 2.3)), dt: 1, steps: 2, writer,
      onStep: async (i) => { await new Promise((r) => setTimeout(r, 1)); order.push(`s${i.step}`); },
    });
    expect(order).toEqual(['s0', 'w0', 's1', 'w1', 's2', 'w2']);
  });
});

describe('runMd step observers', () => {
  /** A ring provider that also keeps a copy of every system it was given. */
  function recordingRing(): { provider: ForceProvider; inputs: number[][]; energies: number[] } {
    const inner = ring(2, 2.3);
    const inputs: number[][] = [];
    const energies: number[] = [];
    return {
      inputs,
      energies,
      provider: {
        name: 'ring',
        compute(s) {
          inputs.push(Array.from(s.positions));
          const r = inner.compute(s);
          energies.push(r.energy);
          return r;
        },
      },
    };
  }

  it('sees every force evaluation (the initial one too) after its step, with the frame, the result and timings', async () => {
    const { provider, inputs, energies } = recordingRing();
    const seen: { step: number; source: string; stateStep: number; positions: number[]; energy: number; forces0: number; t: StepTimings }[] = [];
    const records: StepRecord[] = [];
    const state = ringState();
    const observer: StepObserver = {
      onStep(r) {
        records.push(r);
        seen.push({
          step: r.step,
          source: r.source,
          stateStep: state.step,
          positions: Array.from(r.system.positions),
          energy: r.result.energy,
          forces0: r.result.forces[0]!,
          t: { ...r.timings },
        });
      },
    };
    const summary = await runMd({ state, source: new LocalForceSource(provider), dt: 0.5, steps: 5, every: 3, observers: [observer] });
    expect(seen.map((r) => r.step)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const [k, r] of seen.entries()) {
      expect(r.source).toBe('engine');
      expect(r.stateStep).toBe(r.step); // published after the step was integrated
      expect(r.positions).toEqual(inputs[k]); // the frame the forces belong to
      expect(r.energy).toBe(energies[k]);
      expect(Number.isFinite(r.forces0)).toBe(true);
      expect(r.t.computeUs).toBeGreaterThanOrEqual(0);
      expect(r.t.stepUs).toBeGreaterThanOrEqual(r.t.computeUs);
      expect(r.t.waitUs).toBeGreaterThanOrEqual(0);
    }
    expect(new Set(records).size).toBe(1); // one record, refilled
    expect(summary.observerErrors).toEqual([]);
  });

  it('a throwing observer is reported once and changes nothing in the run', async () => {
    const plain = ringState();
    await runMd({ state: plain, source: new LocalForceSource(ring(2, 2.3)), dt: 0.5, steps: 6 });
    const observed = ringState();
    const warnings: string[] = [];
    let calls = 0;
    const summary = await runMd({
      state: observed,
      source: new LocalForceSource(ring(2, 2.3)),
      dt: 0.5,
      steps: 6,
      observers: [{ onStep: () => { calls++; throw new Error('observer bug'); } }],
      warn: (t) => warnings.push(t),
    });
    expect(calls).toBe(7);
    expect(summary.steps).toBe(6);
    expect(same(observed.positions, plain.positions)).toBe(true);
    expect(same(observed.velocities, plain.velocities)).toBe(true);
    expect(warnings).toEqual(['step observer 0 failed at engine step 0: observer bug (reported once; the run goes on)']);
    expect(summary.observerErrors).toEqual(warnings);
  });
});

describe('LocalForceSource', () => {
  it('wraps a provider in promises, counts calls and refuses work after close', async () => {
    const src = new LocalForceSource(ring(2, 2.3));
    const state = ringState();
    const r = await src.compute({ n: state.n, positions: state.positions, cell: state.cell });
    expect(r.forces).toHaveLength(24);
    expect(src.calls).toBe(1);
    await src.close();
    await src.close();
    expect(src.isClosed).toBe(true);
    await expect(src.compute({ n: state.n, positions: state.positions, cell: state.cell })).rejects.toThrow(/force source 'ring' is closed/);
    expect(src.calls).toBe(1);
  });
});
