// SPDX-License-Identifier: BSD-3-Clause
/**
 * Integrator physics through the whole engine path (runMd + LocalForceSource): analytic harmonic
 * motion, second-order energy error, NVE conservation and time reversibility for a Lennard-Jones
 * fluid, and Langevin BAOAB sampling.
 */
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import type { ForceProvider, ForceResult, ParticleSystem } from '../../src/core/system.js';
import { AMU_A2_PER_FS2_IN_EV, KB_EV_PER_K } from '../../src/core/units.js';
import { LangevinBaoab, VelocityVerlet } from '../../src/engine/integrators.js';
import { LocalForceSource } from '../../src/engine/local-force-source.js';
import { type MdState, createMdState, initMaxwellBoltzmann } from '../../src/engine/md-state.js';
import { runMd } from '../../src/engine/run-md.js';

/** Each site tied to its anchor by `½ k |r − r0|²` (eV, Å); no periodic images. */
function tether(anchors: Float64Array, k: number): ForceProvider {
  return {
    name: 'tether',
    compute(s: ParticleSystem): ForceResult {
      const forces = new Float64Array(3 * s.n);
      const virial = new Float64Array(9);
      let energy = 0;
      for (let a = 0; a < 3 * s.n; a++) {
        const d = s.positions[a]! - anchors[a]!;
        energy += 0.5 * k * d * d;
        forces[a] = -k * d;
      }
      return { energy, forces, torques: null, virial, extras: {} };
    },
  };
}

/**
 * Shifted-force Lennard-Jones, `V(r) − V(rc) − (r − rc) V'(rc)` for r < rc (energy and force both
 * continuous at rc), all pairs with the minimum image in an orthorhombic box (rc ≤ half the box).
 */
function shiftedForceLj(sigma: number, epsilon: number, rc: number): ForceProvider {
  const lj = (r: number, out: Float64Array) => {
    const sr6 = (sigma / r) ** 6;
    out[0] = 4 * epsilon * (sr6 * sr6 - sr6);
    out[1] = (-24 * epsilon * (2 * sr6 * sr6 - sr6)) / r;
  };
  const c = new Float64Array(2);
  lj(rc, c);
  const vc = c[0]!, dvc = c[1]!;
  const s2 = sigma * sigma, rc2 = rc * rc;
  return {
    name: 'lj-sf',
    compute(s: ParticleSystem): ForceResult {
      const lx = s.cell.h[0]!, ly = s.cell.h[4]!, lz = s.cell.h[8]!;
      const forces = new Float64Array(3 * s.n);
      const virial = new Float64Array(9);
      let energy = 0;
      const x = s.positions;
      for (let i = 0; i < s.n; i++) {
        const xi = x[3 * i]!, yi = x[3 * i + 1]!, zi = x[3 * i + 2]!;
        for (let j = i + 1; j < s.n; j++) {
          let dx = x[3 * j]! - xi, dy = x[3 * j + 1]! - yi, dz = x[3 * j + 2]! - zi;
          dx -= lx * Math.round(dx / lx);
          dy -= ly * Math.round(dy / ly);
          dz -= lz * Math.round(dz / lz);
          const r2 = dx * dx + dy * dy + dz * dz;
          if (r2 >= rc2) continue;
          const r = Math.sqrt(r2);
          const q = s2 / r2, sr6 = q * q * q;
          energy += 4 * epsilon * (sr6 * sr6 - sr6) - vc - (r - rc) * dvc;
          const dv = (-24 * epsilon * (2 * sr6 * sr6 - sr6)) / r;
          const g = -(dv - dvc) / r; // force on j is g·d, on i is −g·d
          forces[3 * j] += g * dx; forces[3 * j + 1] += g * dy; forces[3 * j + 2] += g * dz;
          forces[3 * i] -= g * dx; forces[3 * i + 1] -= g * dy; forces[3 * i + 2] -= g * dz;
          virial[0] += g * dx * dx; virial[4] += g * dy * dy; virial[8] += g * dz * dz;
        }
      }
      return { energy, forces, torques: null, virial, extras: {} };
    },
  };
}

// Argon-like LJ: σ 3.405 Å, ε 0.0104 eV (ε/k_B ≈ 120.7 K), 39.948 amu; τ = σ√(m/ε) ≈ 2.15 ps.
const SIGMA = 3.405, EPS = 0.0104, M_AR = 39.948;

/** 108 sites on an fcc lattice at reduced density 0.8 with Maxwell–Boltzmann velocities. */
function ljFluid(tKelvin: number, seed: number): { state: MdState; provider: ForceProvider } {
  const a = SIGMA * Math.cbrt(4 / 0.8);
  const nc = 3;
  const basis = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
  const positions: number[] = [];
  for (let i = 0; i < nc; i++) for (let j = 0; j < nc; j++) for (let k = 0; k < nc; k++) {
    for (const b of basis) positions.push((i + b[0]!) * a, (j + b[1]!) * a, (k + b[2]!) * a);
  }
  const n = positions.length / 3;
  const state = createMdState({
    positions,
    masses: new Float64Array(n).fill(M_AR),
    cell: Cell.orthorhombic(nc * a, nc * a, nc * a),
    species: new Array<string>(n).fill('Ar'),
  });
  initMaxwellBoltzmann(state, { temperature: tKelvin, seed });
  return { state, provider: shiftedForceLj(SIGMA, EPS, 2.5 * SIGMA) };
}

describe('velocity Verlet on a 1-D harmonic oscillator', () => {
  const m = 12, k = 1; // amu, eV/Å²
  const omega = Math.sqrt(k / (m * AMU_A2_PER_FS2_IN_EV)); // 1/fs, period ≈ 222 fs
  const amp = 0.1; // Å
  const tEnd = 400; // fs

  async function run(dt: number) {
    const state = createMdState({ positions: [amp, 0, 0], masses: [m], cell: Cell.open(), species: ['C'] });
    const source = new LocalForceSource(tether(new Float64Array(3), k));
    let maxPosErr = 0;
    const summary = await runMd({
      state, source, dt, steps: Math.round(tEnd / dt),
      onStep: (info) => {
        maxPosErr = Math.max(maxPosErr, Math.abs(state.positions[0]! - amp * Math.cos(omega * info.time)));
      },
    });
    return { summary, maxPosErr, energy: 0.5 * k * amp * amp, state };
  }

  it('follows x(t) = A cos ωt with O(dt²) error, and its energy error is second order in dt', async () => {
    const r2 = await run(2), r1 = await run(1), r05 = await run(0.5);
    // Trajectory error ~ dt²: halving dt divides it by ≈ 4.
    expect(r2.maxPosErr / r1.maxPosErr).toBeGreaterThan(3.6);
    expect(r2.maxPosErr / r1.maxPosErr).toBeLessThan(4.4);
    expect(r1.maxPosErr / r05.maxPosErr).toBeGreaterThan(3.6);
    expect(r1.maxPosErr / r05.maxPosErr).toBeLessThan(4.4);
    expect(r1.maxPosErr).toBeLessThan(amp * omega ** 3 * tEnd / 24 * 1.2); // phase-error estimate, dt = 1
    // Energy error: bounded oscillation of relative size ≈ (ω dt)²/4, second order.
    expect(r2.summary.maxAbsDeviation / r1.summary.maxAbsDeviation).toBeGreaterThan(3.6);
    expect(r2.summary.maxAbsDeviation / r1.summary.maxAbsDeviation).toBeLessThan(4.4);
    expect(r1.summary.maxAbsDeviation / r05.summary.maxAbsDeviation).toBeGreaterThan(3.6);
    expect(r1.summary.maxAbsDeviation / r05.summary.maxAbsDeviation).toBeLessThan(4.4);
    expect(r1.summary.maxAbsDeviation / r1.energy).toBeLessThan(0.3 * (omega * 1) ** 2);
    // y and z never move; no bath.
    expect(r1.state.positions[1]).toBe(0);
    expect(r1.summary.heat).toBe(0);
  });
});

describe('NVE Lennard-Jones fluid (108 sites, periodic, minimum image)', () => {
  it('conserves K + U: tiny drift, bounded fluctuation of second order in dt', async () => {
    const results = [];
    for (const dt of [10, 5]) {
      const { state, provider } = ljFluid(240, 3);
      const summary = await runMd({ state, source: new LocalForceSource(provider), dt, steps: Math.round(5000 / dt) });
      results.push({ dt, summary, n: state.n, kinetic: summary.finalKinetic });
    }
    const [coarse, fine] = results as [(typeof results)[0], (typeof results)[0]];
    // Figures at dt = 10 fs (≈ 0.005 τ), 5 ps, T ≈ 135 K: drift ≈ −4e-4 eV, max |ΔH| ≈ 1.8e-3 eV,
    // against K ≈ 1.8 eV; drift per step per site ≈ 1e-8 eV.
    expect(Math.abs(coarse.summary.drift)).toBeLessThan(2e-3);
    expect(Math.abs(coarse.summary.driftPerStepPerParticle)).toBeLessThan(4e-8);
    expect(coarse.summary.maxAbsDeviation / coarse.kinetic).toBeLessThan(3e-3);
    expect(Math.abs(coarse.summary.slopeEvPerPs)).toBeLessThan(2e-4);
    expect(Math.abs(fine.summary.drift)).toBeLessThan(5e-4);
    const ratio = coarse.summary.maxAbsDeviation / fine.summary.maxAbsDeviation;
    expect(ratio).toBeGreaterThan(3.2);
    expect(ratio).toBeLessThan(4.8);
    // A fluid near the LJ triple point, not a frozen lattice or an exploded gas.
    expect(coarse.summary.meanTemperature).toBeGreaterThan(100);
    expect(coarse.summary.meanTemperature).toBeLessThan(180);
  });

  it('is time-reversible: forward, negate velocities, back again recovers the start to ~1e-10 Å', async () => {
    const { state, provider } = ljFluid(240, 11);
    const start = Float64Array.from(state.positions);
    const v0 = Float64Array.from(state.velocities);
    const source = new LocalForceSource(provider);
    await runMd({ state, source, dt: 10, steps: 300 });
    let moved = 0;
    for (let k = 0; k < start.length; k++) moved = Math.max(moved, Math.abs(state.positions[k]! - start[k]!));
    for (let k = 0; k < state.velocities.length; k++) state.velocities[k] = -state.velocities[k]!;
    await runMd({ state, source, dt: 10, steps: 300 });
    let errX = 0, errV = 0;
    for (let k = 0; k < start.length; k++) {
      errX = Math.max(errX, Math.abs(state.positions[k]! - start[k]!));
      errV = Math.max(errV, Math.abs(-state.velocities[k]! - v0[k]!));
    }
    expect(moved).toBeGreaterThan(1); // sites really moved (Å)
    expect(errX).toBeLessThan(1e-10); // ≈ 1e-12 Å observed
    expect(errV).toBeLessThan(1e-12);
  });
});

describe('Langevin BAOAB', () => {
  // 64 independent 3-D oscillators, m = 16 amu, ω = 0.05 /fs (period 126 fs), dt = 1 fs, γ = 0.05 /fs.
  const n = 64, m = 16, omega = 0.05, dt = 1, gamma = 0.05, target = 300;
  const kSpring = omega * omega * m * AMU_A2_PER_FS2_IN_EV;

  function oscillators(seed: number): MdState {
    const anchors = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) anchors[3 * i] = 3 * i;
    const state = createMdState({
      positions: anchors, masses: new Float64Array(n).fill(m), cell: Cell.open(), species: new Array<string>(n).fill('O'),
    });
    initMaxwellBoltzmann(state, { temperature: target, seed, removeMomentum: false });
    return state;
  }

  it('samples the target temperature (kinetic and configurational) within statistical error', async () => {
    const state = oscillators(1);
    const anchors = Float64Array.from(state.positions);
    const source = new LocalForceSource(tether(anchors, kSpring));
    const steps = 40_000, burn = 2_000, blocks = 19;
    const temps: number[] = [], pots: number[] = [], cons: number[] = [];
    const summary = await runMd({
      state, source, dt, steps, thermostat: { kind: 'langevin', temperature: target, friction: gamma, seed: Number(process.env.LSEED ?? 42) },
      onStep: (info) => { if (info.step > burn) { temps.push(info.temperature); pots.push(info.potential); } cons.push(info.conserved); },
    });
    const blockStats = (xs: number[]) => {
      const size = Math.floor(xs.length / blocks);
      const means = Array.from({ length: blocks }, (_, b) => xs.slice(b * size, (b + 1) * size).reduce((a, x) => a + x, 0) / size);
      const mean = means.reduce((a, x) => a + x, 0) / blocks;
      const se = Math.sqrt(means.reduce((a, x) => a + (x - mean) ** 2, 0) / (blocks - 1) / blocks);
      return { mean, se };
    };
    // Kinetic temperature with 3n degrees of freedom (the bath does not conserve momentum).
    console.log('ZZ', (blockStats(temps).mean-target)/blockStats(temps).se, (blockStats(pots.map((u) => (2 * u) / (3 * n * KB_EV_PER_K))).mean-target)/blockStats(pots.map((u) => (2 * u) / (3 * n * KB_EV_PER_K))).se);
    expect(summary.dof).toBe(3 * n);
    const tk = blockStats(temps);
    expect(tk.se / target).toBeLessThan(0.01); // ≈ 0.3 % observed
    expect(Math.abs(tk.mean - target)).toBeLessThan(4 * tk.se);
    // Configurational temperature 2⟨U⟩/(3n k_B): BAOAB is exact in configuration for harmonic forces.
    const tc = blockStats(pots.map((u) => (2 * u) / (3 * n * KB_EV_PER_K)));
    expect(Math.abs(tc.mean - target)).toBeLessThan(4 * tc.se);
    // K + U − heat stays bounded while the bath moves many n k_B T in and out.
    const nkT = n * KB_EV_PER_K * target;
    const h0 = cons[0]!;
    const maxDev = Math.max(...cons.map((h) => Math.abs(h - h0)));
    expect(maxDev).toBe(summary.maxAbsDeviation);
    expect(maxDev / nkT).toBeLessThan(2e-3); // ≈ 4.5e-4 observed
    expect(Math.abs(summary.slopeEvPerPs)).toBeLessThan(1e-3 * nkT);
    expect(Math.abs(summary.heat)).toBeGreaterThan(0.1 * nkT);
  });

  it('damps free sites exactly as exp(−γt) at 0 K, with K + U − heat exactly conserved', async () => {
    const state = createMdState({
      positions: [0, 0, 0, 5, 5, 5], velocities: [0.01, -0.02, 0.005, 0, 0.003, 0], masses: [2, 7],
      cell: Cell.orthorhombic(20, 20, 20), species: ['X', 'Y'],
    });
    const v0 = Float64Array.from(state.velocities);
    const free: ForceProvider = {
      name: 'free',
      compute: (s) => ({ energy: 0, forces: new Float64Array(3 * s.n), torques: null, virial: new Float64Array(9), extras: {} }),
    };
    const g = 0.01, steps = 100, h = 2;
    const summary = await runMd({
      state, source: new LocalForceSource(free), dt: h, steps, thermostat: { kind: 'langevin', temperature: 0, friction: g, seed: 1 },
    });
    const decay = Math.exp(-g * h * steps);
    for (let k = 0; k < 6; k++) expect(state.velocities[k]).toBeCloseTo(v0[k]! * decay, 15);
    expect(summary.heat).toBeLessThan(0);
    expect(Math.abs(summary.drift)).toBeLessThan(1e-15);
  });

  it('reduces to velocity Verlet at zero friction', async () => {
    const runWith = async (thermostat: boolean) => {
      const { state, provider } = ljFluid(240, 5);
      await runMd({
        state, source: new LocalForceSource(provider), dt: 10, steps: 50,
        ...(thermostat ? { thermostat: { kind: 'langevin' as const, temperature: 300, friction: 0, seed: 3 } } : {}),
      });
      return state;
    };
    const a = await runWith(false), b = await runWith(true);
    for (let k = 0; k < a.positions.length; k++) {
      expect(Math.abs(a.positions[k]! - b.positions[k]!)).toBeLessThan(1e-11);
      expect(Math.abs(a.velocities[k]! - b.velocities[k]!)).toBeLessThan(1e-13);
    }
  });
});

describe('integrator construction', () => {
  it('rejects bad time steps and bath parameters naming value and unit, and mismatched states', () => {
    const masses = Float64Array.of(1, 2);
    expect(() => new VelocityVerlet(masses, 0)).toThrow(/dt is 0 fs/);
    expect(() => new VelocityVerlet(masses, Number.NaN)).toThrow(/dt is NaN fs/);
    expect(() => new LangevinBaoab(masses, 1, { temperature: -5, friction: 0.01, seed: 1 })).toThrow(/-5 K/);
    expect(() => new LangevinBaoab(masses, 1, { temperature: 5, friction: -1, seed: 1 })).toThrow(/-1 1\/fs/);
    const state = createMdState({ positions: [0, 0, 0], masses: [1], cell: Cell.open(), species: ['A'] });
    expect(() => new VelocityVerlet(masses, 1).beforeForce(state, new Float64Array(3))).toThrow(/built for 2 sites, state has 1/);
  });
});
