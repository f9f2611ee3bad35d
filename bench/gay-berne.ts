// SPDX-License-Identifier: BSD-3-Clause
/**
 * Timing of {@link GayBerne.compute} (energy, forces, torques and virial, neighbour-list build
 * included) for GB(3,5,2,1) ellipsoids at ρ* = 0.3, rc = 4, N = 288 and 1000, on one core.
 *
 * Configurations: a body-centred tetragonal lattice (2 particles per cell, c/a = 3.1/1.4 as in the
 * shared nematic run) scaled to ρ* = 0.3, with seeded random displacements (±0.04 σ0 per axis) and
 * nematic-like orientations (long axes tilted from z by a Gaussian angle of 5° rms capped at 8°,
 * random azimuth and spin), so that no two ellipsoids overlap. Each timed step moves one particle slightly so
 * successive inputs differ, as in MD.
 */
import { Cell } from '../src/core/cell.js';
import { quatFromAxisAngle, quatMultiply } from '../src/core/quaternion.js';
import type { ParticleSystem } from '../src/core/system.js';
import { GayBerne } from '../src/potentials/gay-berne.js';
import { median, seededUniform, timeJiggledSteps } from './support.js';

/**
 * `2·nx·ny·nz` GB(3,5,2,1) ellipsoids on a jittered body-centred tetragonal lattice at number
 * density `rho` (σ0⁻³), long axes near z. Deterministic for a given `seed`.
 */
export function nematicLattice(nx: number, ny: number, nz: number, rho: number, seed: number): ParticleSystem {
  const n = 2 * nx * ny * nz;
  const ratio = 3.1 / 1.4;
  const a = Math.cbrt(2 / (rho * ratio));
  const c = ratio * a;
  const r = seededUniform(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const positions = new Float64Array(3 * n);
  const orientations = new Float64Array(4 * n);
  const tilt = new Float64Array(4), spin = new Float64Array(4);
  let i = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        for (const h of [0, 0.5]) {
          positions[3 * i] = (x + h) * a + 0.04 * (2 * r() - 1);
          positions[3 * i + 1] = (y + h) * a + 0.04 * (2 * r() - 1);
          positions[3 * i + 2] = (z + h) * c + 0.04 * (2 * r() - 1);
          const phi = 2 * Math.PI * r();
          quatFromAxisAngle(spin, 0, 0, 0, 1, 2 * Math.PI * r());
          const theta = Math.max(-8, Math.min(8, 5 * gauss()));
          quatFromAxisAngle(tilt, 0, Math.cos(phi), Math.sin(phi), 0, (theta * Math.PI) / 180);
          quatMultiply(orientations, 4 * i, tilt, 0, spin, 0);
          i++;
        }
      }
    }
  }
  return { n, positions, cell: Cell.orthorhombic(nx * a, ny * a, nz * c), orientations };
}

/**
 * Time GB(3,5,2,1) steps and print one line per size, e.g.
 * `gayberne N=288 E+F+tau median 3.1 ms/step (target ≤ 5 ms; LAMMPS 5.3 ms)`.
 * @param print - Receives each output line.
 */
export async function benchGayBerne(print: (line: string) => void): Promise<void> {
  const { gayBerne: gb } = GayBerne.fromClassic({ kappa: 3, kappaPrime: 5, mu: 2, nu: 1, sigma0: 1, epsilon0: 1, cutoff: 4 });
  const cases = [
    { dims: [6, 6, 4] as const, reps: 300, targetMs: 5, lammpsMs: 5.3 },
    { dims: [10, 10, 5] as const, reps: 100, targetMs: undefined, lammpsMs: undefined },
  ];
  for (const { dims, reps, targetMs, lammpsMs } of cases) {
    const sys = nematicLattice(dims[0], dims[1], dims[2], 0.3, 2024);
    const n = sys.n;
    const { times, last: res } = timeJiggledSteps(sys, (x) => gb.compute(x), reps);
    const per = res.energy / n;
    const med = median(times);
    const note =
      targetMs === undefined
        ? ''
        : ` (target ≤ ${targetMs} ms: ratio ${(med / targetMs).toFixed(2)}; LAMMPS ${lammpsMs} ms as quoted in the issue: ratio ${(med / lammpsMs!).toFixed(2)}; see lammps-gayberne for LAMMPS measured here)`;
    print(
      `gayberne N=${n} E+F+tau median ${med.toFixed(2)} ms/step${note}` +
        ` [rho* 0.3, rc 4, E/N ${per.toFixed(3)}, min ${Math.min(...times).toFixed(2)} ms]`,
    );
  }
}
