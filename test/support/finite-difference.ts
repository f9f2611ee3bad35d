// SPDX-License-Identifier: BSD-3-Clause
/**
 * Shared finite-difference checks for every force model: forces from positions, torques from
 * orientations, virial from a homogeneous strain of positions and cell. Central differences.
 */
import { Cell } from '../../src/core/cell.js';
import { quatFromAxisAngle, quatMultiply } from '../../src/core/quaternion.js';
import type { ForceProvider, ForceResult, ParticleSystem } from '../../src/core/system.js';

/** Energy of a system (eV); the function under test. */
export type EnergyFn = (s: ParticleSystem) => number;

function withPositions(s: ParticleSystem, positions: Float64Array): ParticleSystem {
  return { ...s, positions };
}

/** Numerical forces `−∂E/∂r` (3n) by central differences with step `h`. */
export function numericalForces(energy: EnergyFn, s: ParticleSystem, h = 1e-5): Float64Array {
  const out = new Float64Array(3 * s.n);
  const p = Float64Array.from(s.positions);
  for (let k = 0; k < 3 * s.n; k++) {
    const x0 = p[k]!;
    p[k] = x0 + h;
    const ep = energy(withPositions(s, Float64Array.from(p)));
    p[k] = x0 - h;
    const em = energy(withPositions(s, Float64Array.from(p)));
    p[k] = x0;
    out[k] = -(ep - em) / (2 * h);
  }
  return out;
}

/**
 * Numerical lab-frame torques (3n): `τ_a = −∂E/∂θ_a` for the rotation `q → exp(θ_a e_a / 2) ⊗ q`
 * of one particle about the lab axis `e_a` through its centre.
 */
export function numericalTorques(energy: EnergyFn, s: ParticleSystem, h = 1e-5): Float64Array {
  if (!s.orientations) throw new Error('numericalTorques needs orientations');
  const out = new Float64Array(3 * s.n);
  const dq = new Float64Array(4);
  for (let i = 0; i < s.n; i++) {
    for (let a = 0; a < 3; a++) {
      const e = [0, 0, 0];
      e[a] = 1;
      const rotated = (angle: number) => {
        const q = Float64Array.from(s.orientations!);
        quatFromAxisAngle(dq, 0, e[0]!, e[1]!, e[2]!, angle);
        const qi = q.slice(4 * i, 4 * i + 4);
        quatMultiply(q, 4 * i, dq, 0, qi, 0);
        return energy({ ...s, orientations: q });
      };
      out[3 * i + a] = -(rotated(h) - rotated(-h)) / (2 * h);
    }
  }
  return out;
}

/**
 * Numerical virial `W = −∂E/∂ε` (row-major 9) for `r → (1+ε) r`, `h → (1+ε) h`, orientations
 * fixed (or transformed by `transform`, e.g. to also strain site positions a mapping derives from).
 */
export function numericalVirial(energy: EnergyFn, s: ParticleSystem, h = 1e-6): Float64Array {
  const out = new Float64Array(9);
  for (let k = 0; k < 9; k++) {
    const strained = (x: number) => {
      const eps = new Float64Array(9);
      eps[k] = x;
      const pos = new Float64Array(3 * s.n);
      for (let i = 0; i < s.n; i++) {
        for (let r = 0; r < 3; r++) {
          let acc = s.positions[3 * i + r]!;
          for (let c = 0; c < 3; c++) acc += eps[3 * r + c]! * s.positions[3 * i + c]!;
          pos[3 * i + r] = acc;
        }
      }
      return energy({ ...s, positions: pos, cell: Cell.deformed(s.cell, eps) });
    };
    out[k] = -(strained(h) - strained(-h)) / (2 * h);
  }
  return out;
}

/** max |a − b| / max(|b|, floor) over all entries: the relative error used in every FD test. */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-12): number {
  let num = 0, den = floor;
  for (let k = 0; k < b.length; k++) {
    num = Math.max(num, Math.abs(a[k]! - b[k]!));
    den = Math.max(den, Math.abs(b[k]!));
  }
  return num / den;
}

/** Worst relative errors of analytic derivatives against central differences (see {@link fdErrors}). */
export interface FdErrors {
  /** Forces against {@link numericalForces}. */
  forces: number;
  /** Virial against {@link numericalVirial}. */
  virial: number;
  /** Torques against {@link numericalTorques}, when checked. */
  torques?: number;
}

/**
 * `provider.compute(sys)` and the relative errors ({@link maxRelativeError}) of its forces, virial
 * and, with `torques: true`, torques against central differences of its energy (default steps).
 */
export function fdErrors(
  provider: ForceProvider,
  sys: ParticleSystem,
  options: { torques?: boolean } = {},
): FdErrors & { result: ForceResult } {
  const energy: EnergyFn = (s) => provider.compute(s).energy;
  const result = provider.compute(sys);
  const err: FdErrors & { result: ForceResult } = {
    result,
    forces: maxRelativeError(result.forces, numericalForces(energy, sys)),
    virial: maxRelativeError(result.virial, numericalVirial(energy, sys)),
  };
  if (options.torques) {
    if (result.torques === null) throw new Error(`fdErrors: provider '${provider.name}' returned no torques`);
    err.torques = maxRelativeError(result.torques, numericalTorques(energy, sys));
  }
  return err;
}
