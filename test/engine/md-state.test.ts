// SPDX-License-Identifier: BSD-3-Clause
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import { AMU_A2_PER_FS2_IN_EV, KB_EV_PER_K } from '../../src/core/units.js';
import {
  createMdState,
  degreesOfFreedom,
  initMaxwellBoltzmann,
  kineticEnergy,
  removeComMotion,
  temperature,
  totalMomentum,
} from '../../src/engine/md-state.js';

function gas(n: number, massOf: (i: number) => number = (i) => 1 + (i % 5) * 3.5) {
  const positions = new Float64Array(3 * n);
  for (let k = 0; k < 3 * n; k++) positions[k] = (k * 0.37) % 10;
  return createMdState({
    positions,
    masses: Array.from({ length: n }, (_, i) => massOf(i)),
    cell: Cell.orthorhombic(10, 10, 10),
    species: Array.from({ length: n }, (_, i) => (i % 2 ? 'Ar' : 'He')),
  });
}

describe('MdState', () => {
  it('validates sizes, masses and species', () => {
    const cell = Cell.orthorhombic(5, 5, 5);
    expect(() => createMdState({ positions: [0, 0], masses: [1], cell, species: ['A'] })).toThrow(/positions .* length 2, expected 3/);
    expect(() => createMdState({ positions: [0, 0, 0], masses: [0], cell, species: ['A'] })).toThrow(/mass of site 0 is 0 amu/);
    expect(() => createMdState({ positions: [0, 0, 0], masses: [1], cell, species: ['A B'] })).toThrow(/species of site 0/);
    expect(() => createMdState({ positions: [0, 0, 0], masses: [1], cell, species: [] })).toThrow(/species has length 0, expected 1/);
    expect(() => createMdState({ positions: [0, Number.NaN, 0], masses: [1], cell, species: ['A'] })).toThrow(/position 1 .* is NaN Å/);
    const s = createMdState({ positions: [1, 2, 3], masses: [2], cell, species: ['A'], types: [4] });
    expect(Array.from(s.velocities)).toEqual([0, 0, 0]);
    expect(s.types?.[0]).toBe(4);
    expect(s.step).toBe(0);
    expect(s.time).toBe(0);
  });

  it('computes kinetic energy in eV and temperature with the stated degrees of freedom', () => {
    const s = createMdState({
      positions: [0, 0, 0, 1, 1, 1],
      velocities: [0.01, 0, 0, 0, -0.02, 0],
      masses: [1, 4],
      cell: Cell.open(),
      species: ['H', 'He'],
    });
    const k = 0.5 * (1 * 1e-4 + 4 * 4e-4) * AMU_A2_PER_FS2_IN_EV;
    expect(kineticEnergy(s)).toBeCloseTo(k, 15);
    expect(AMU_A2_PER_FS2_IN_EV).toBeCloseTo(103.6427, 3);
    expect(degreesOfFreedom(2, true)).toBe(3);
    expect(degreesOfFreedom(2, false)).toBe(6);
    expect(degreesOfFreedom(1, true)).toBe(1); // never 0
    expect(temperature(s, 3)).toBeCloseTo((2 * k) / (3 * KB_EV_PER_K), 9);
    expect(Array.from(totalMomentum(s))).toEqual([0.01, -0.08, 0]);
    removeComMotion(s);
    const p = totalMomentum(s);
    expect(Math.hypot(p[0]!, p[1]!, p[2]!)).toBeLessThan(1e-17);
  });

  it('initialises Maxwell–Boltzmann velocities with zero momentum and exactly the target temperature', () => {
    const s = gas(500);
    initMaxwellBoltzmann(s, { temperature: 300, seed: 17 });
    const p = totalMomentum(s);
    let pScale = 0;
    for (let i = 0; i < s.n; i++) pScale += s.masses[i]! * Math.abs(s.velocities[3 * i]!);
    expect(Math.hypot(p[0]!, p[1]!, p[2]!) / pScale).toBeLessThan(1e-14);
    expect(temperature(s, 3 * s.n - 3) / 300 - 1).toBeCloseTo(0, 13);
    // The per-component variance of √m·v is k_B T / C (mass-independent), within sampling error.
    let sum = 0;
    for (let i = 0; i < s.n; i++) for (let a = 0; a < 3; a++) sum += s.masses[i]! * s.velocities[3 * i + a]! ** 2;
    const expected = (KB_EV_PER_K * 300) / AMU_A2_PER_FS2_IN_EV;
    expect(sum / (3 * s.n - 3) / expected).toBeCloseTo(1, 12); // exact after the rescale
    // Light and heavy sites have the same mean kinetic energy (equipartition), within 5 SE.
    let kLight = 0, kHeavy = 0, nLight = 0, nHeavy = 0;
    for (let i = 0; i < s.n; i++) {
      const e = s.masses[i]! * (s.velocities[3 * i]! ** 2 + s.velocities[3 * i + 1]! ** 2 + s.velocities[3 * i + 2]! ** 2);
      if (s.masses[i]! < 5) { kLight += e; nLight++; } else { kHeavy += e; nHeavy++; }
    }
    const ratio = kLight / nLight / (kHeavy / nHeavy);
    expect(Math.abs(ratio - 1)).toBeLessThan(5 * Math.sqrt(2 / 3 / nLight + 2 / 3 / nHeavy));
  });

  it('is reproducible for a seed, different across seeds, and honours removeMomentum: false', () => {
    const a = gas(20), b = gas(20), c = gas(20);
    initMaxwellBoltzmann(a, { temperature: 50, seed: 5 });
    initMaxwellBoltzmann(b, { temperature: 50, seed: 5 });
    initMaxwellBoltzmann(c, { temperature: 50, seed: 6 });
    expect(Buffer.from(a.velocities.buffer).equals(Buffer.from(b.velocities.buffer))).toBe(true);
    expect(Array.from(a.velocities)).not.toEqual(Array.from(c.velocities));
    const d = gas(20);
    initMaxwellBoltzmann(d, { temperature: 50, seed: 5, removeMomentum: false });
    expect(temperature(d, 60)).toBeCloseTo(50, 9);
    expect(Math.hypot(...totalMomentum(d))).toBeGreaterThan(1e-6);
  });

  it('gives zero velocities at 0 K and refuses impossible requests', () => {
    const s = gas(3);
    s.velocities.fill(1);
    initMaxwellBoltzmann(s, { temperature: 0, seed: 1 });
    expect(Array.from(s.velocities).every((v) => v === 0)).toBe(true);
    expect(() => initMaxwellBoltzmann(s, { temperature: -1, seed: 1 })).toThrow(/-1 K/);
    expect(() => initMaxwellBoltzmann(gas(1), { temperature: 10, seed: 1 })).toThrow(/no kinetic energy left/);
  });
});
