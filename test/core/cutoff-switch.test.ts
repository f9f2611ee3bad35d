// SPDX-License-Identifier: BSD-3-Clause
import { describe, expect, it } from 'vitest';
import { AnisoError } from '../../src/core/errors.js';
import { CutoffSwitch, makeCutoffSwitch } from '../../src/core/cutoff-switch.js';

describe('CutoffSwitch', () => {
  const sw = new CutoffSwitch(4, 1.5);

  it('is 1 below rOn, 0 from rOff, monotone and ½ in the middle', () => {
    expect([sw.rOn, sw.rOff, sw.width]).toEqual([2.5, 4, 1.5]);
    expect(sw.value(0.1)).toBe(1);
    expect(sw.value(2.5)).toBe(1);
    expect(sw.value(4)).toBe(0);
    expect(sw.value(7)).toBe(0);
    expect(sw.value(3.25)).toBeCloseTo(0.5, 15);
    let prev = 1;
    for (let r = 2.5; r <= 4; r += 0.01) {
      const v = sw.value(r);
      expect(v).toBeLessThanOrEqual(prev + 1e-15);
      prev = v;
    }
  });

  it('derivative and second derivative match finite differences and vanish at both ends (C2)', () => {
    const h = 1e-6;
    for (let r = 2.51; r < 3.995; r += 0.037) {
      expect(sw.derivative(r)).toBeCloseTo((sw.value(r + h) - sw.value(r - h)) / (2 * h), 8);
      expect(sw.secondDerivative(r)).toBeCloseTo((sw.derivative(r + h) - sw.derivative(r - h)) / (2 * h), 6);
    }
    for (const r of [2.5, 4]) {
      expect(Math.abs(sw.derivative(r))).toBe(0);
      expect(Math.abs(sw.secondDerivative(r))).toBe(0);
    }
    for (const r of [2.5 + 1e-7, 4 - 1e-7]) {
      expect(Math.abs(sw.derivative(r))).toBeLessThan(1e-12);
      expect(Math.abs(sw.secondDerivative(r))).toBeLessThan(1e-5);
    }
  });

  it('validates its arguments', () => {
    expect(() => new CutoffSwitch(4, 0)).toThrow(AnisoError);
    expect(() => new CutoffSwitch(4, 4.5)).toThrow(/switchWidth = 4.5/);
    expect(() => new CutoffSwitch(-1, 0.5)).toThrow(/rOff = -1/);
    expect(makeCutoffSwitch('x', undefined, 4, undefined)).toBeNull();
    expect(makeCutoffSwitch('x', 'hard', 4, 99)).toBeNull();
    expect(makeCutoffSwitch('x', 'switch', 4, 1)?.rOn).toBe(3);
    expect(() => makeCutoffSwitch('x', 'cubic', 4, 1)).toThrow(/x: truncation 'cubic' is not one of 'hard', 'switch'/);
  });
});
