// SPDX-License-Identifier: BSD-3-Clause
import { describe, it, expect } from 'vitest';
import {
  AMU_A2_PER_FS2_IN_EV,
  ASE_UNITS,
  IPI_UNITS,
  KB_EV_PER_K,
  atomicUnits,
  reducedTemperatureK,
  reducedTimeFs,
} from '../../src/core/units.js';

const argon = { length: 3.405, energy: 0.010323, mass: 39.948 };

describe('units', () => {
  it('Å → bohr → Å round trips for both constant sets', () => {
    for (const u of [IPI_UNITS, ASE_UNITS]) {
      for (const x of [1e-3, 1, 3.405, 1234.5]) {
        const bohr = x / u.bohrInAngstrom;
        expect(bohr * u.bohrInAngstrom).toBeCloseTo(x, 12);
      }
      expect(1 / u.bohrInAngstrom).toBeCloseTo(1.8897261, 6);
      expect(u.hartreeInEv).toBeCloseTo(27.211386, 5);
    }
    expect(1 / IPI_UNITS.bohrInAngstrom).toBe(1.8897261);
  });

  it('i-PI and ASE constants differ by less than 1e-7 relative, but differ', () => {
    for (const k of ['bohrInAngstrom', 'hartreeInEv'] as const) {
      const a = IPI_UNITS[k], b = ASE_UNITS[k];
      expect(a).not.toBe(b);
      expect(Math.abs(a / b - 1)).toBeLessThan(1e-7);
    }
  });

  it('atomicUnits looks up a set by name and names the allowed ones otherwise', () => {
    expect(atomicUnits('ipi')).toBe(IPI_UNITS);
    expect(atomicUnits('ase')).toBe(ASE_UNITS);
    expect(() => atomicUnits('codata')).toThrow(RangeError);
    expect(() => atomicUnits('codata')).toThrow(/'ipi', 'ase'/);
    expect(Object.isFrozen(IPI_UNITS)).toBe(true);
  });

  it('1 amu·Å²/fs² ≈ 103.6427 eV', () => {
    expect(AMU_A2_PER_FS2_IN_EV).toBeCloseTo(103.6427, 4);
  });

  it('reduced time and temperature for argon', () => {
    const tau = reducedTimeFs(argon);
    expect(Math.abs(tau / 2156 - 1)).toBeLessThan(0.005);
    expect(reducedTemperatureK(argon)).toBeCloseTo(argon.energy / KB_EV_PER_K, 10);
    expect(reducedTemperatureK(argon)).toBeCloseTo(119.8, 1);
  });
});
