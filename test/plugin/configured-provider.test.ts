// SPDX-License-Identifier: BSD-3-Clause
/**
 * The whole force path the driver serves for the dumbbell example — reduced units scaled to Å/eV,
 * dumbbell mapping, Gay–Berne with the smooth switch, harmonic restraints, summed — checked
 * against finite differences of its own energy: site forces and the site virial (strain of sites
 * and cell together), in a cubic and in a triclinic periodic cell narrower than twice the cutoff.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import type { ParticleSystem } from '../../src/core/system.js';
import { buildProvider } from '../../plugin/config/build-provider.js';
import { loadJsonConfig } from '../../plugin/config/load.js';
import { DriverConfigSchema } from '../../plugin/config/schema.js';
import { maxRelativeError, numericalForces, numericalVirial } from '../support/finite-difference.js';
import { DUMBBELLS } from '../support/processes.js';
import { seededRandom } from '../support/random.js';

const config = loadJsonConfig(DriverConfigSchema, join(DUMBBELLS, 'driver.json'));

/** `m` dumbbells (σ = 4 Å, sites 4 Å apart) on a jittered lattice with random axes, in `cell`. */
function dumbbells(cell: Cell, m: number, seed: number): ParticleSystem {
  const rand = seededRandom(seed);
  const side = Math.ceil(Math.cbrt(m));
  const pos = new Float64Array(6 * m);
  const s = new Float64Array(3), c = new Float64Array(3);
  for (let i = 0; i < m; i++) {
    s[0] = (((i % side) + 0.5) / side) + 0.05 * (rand() - 0.5);
    s[1] = ((Math.floor(i / side) % side) + 0.5) / side + 0.05 * (rand() - 0.5);
    s[2] = ((Math.floor(i / side / side)) + 0.5) / side + 0.05 * (rand() - 0.5);
    Cell.toCartesian(cell, s, 0, c, 0);
    const z = 2 * rand() - 1, phi = 2 * Math.PI * rand(), r = Math.sqrt(1 - z * z);
    const u = [r * Math.cos(phi), r * Math.sin(phi), z];
    for (let k = 0; k < 3; k++) {
      pos[6 * i + k] = c[k]! - 2.02 * u[k]!;
      pos[6 * i + 3 + k] = c[k]! + 1.98 * u[k]!;
    }
  }
  return { n: 2 * m, positions: pos, cell };
}

describe('configured provider of the dumbbell example (GB + mapping + restraints)', () => {
  const cases: [string, Cell][] = [
    ['cubic 26 Å', Cell.orthorhombic(26, 26, 26)],
    ['triclinic, widths < 2 rc', Cell.fromParameters([24, 25, 27, 80, 95, 105])],
  ];
  for (const [name, cell] of cases) {
    it(`site forces and virial match finite differences (${name})`, () => {
      const provider = buildProvider(config);
      const sys = dumbbells(cell, 27, 7);
      const energy = (s: ParticleSystem) => provider.compute(s).energy;
      const r = provider.compute(sys);
      expect(r.energy).not.toBe(0);
      expect(maxRelativeError(r.forces, numericalForces(energy, sys, 1e-5))).toBeLessThan(1e-7);
      expect(maxRelativeError(r.virial, numericalVirial(energy, sys, 1e-7))).toBeLessThan(1e-7);
      const energies = r.extras.energies as Record<string, number>;
      expect(Object.keys(energies).sort()).toEqual(['gayberne', 'restraint']);
      expect(energies.gayberne! + energies.restraint!).toBeCloseTo(r.energy, 12);
    });
  }
});
