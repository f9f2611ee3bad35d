// SPDX-License-Identifier: BSD-3-Clause
/**
 * Feature calculators concatenated along the feature axis: values, dense sum gradients and linear
 * forces are the blocks' side by side (and summed, for forces), bitwise; labels carry the block;
 * blocks with different species are refused; a model with two feature blocks is evaluated through
 * the concatenation (the sum of the two blocks' linear models).
 */
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import { AniSoapCalculator } from '../../src/features/anisoap/calculator.js';
import type { AniSoapHypers } from '../../src/features/anisoap/hypers.js';
import { ConcatenatedCalculator } from '../../src/features/concatenated.js';
import { modelCalculator } from '../../src/models/model-calculator.js';
import type { LinearModel } from '../../src/models/linear-model.js';
import { randomEllipsoidSystem } from '../support/anisoap-fixtures.js';
import { expectCode } from '../support/assertions.js';
import { seededRandom } from '../support/random.js';

const A: AniSoapHypers = { maxAngular: 2, maxRadial: 1, gaussianWidth: 1.2, cutoff: 3.5, species: [0, 1], mode: 'md' };
const B: AniSoapHypers = { maxAngular: 3, maxRadial: 2, gaussianWidth: 0.9, cutoff: 4, species: [0, 1], mode: 'md' };

describe('concatenated feature calculators', () => {
  const system = randomEllipsoidSystem(seededRandom(8), Cell.orthorhombic(7, 7, 7), 30, 2, 7);
  const a = new AniSoapCalculator(A), b = new AniSoapCalculator(B);
  const cat = new ConcatenatedCalculator([a, b]);
  const Fa = a.metadata.featureCount, Fb = b.metadata.featureCount, F = Fa + Fb, n = system.n, T = 2;

  it('has the blocks side by side: metadata, labels and values', () => {
    expect(cat.metadata.featureCount).toBe(F);
    expect(cat.metadata.cutoff).toBe(4);
    expect(cat.metadata.smooth).toBe(true);
    expect(cat.metadata.labels.names).toEqual(['block', ...a.metadata.labels.names]);
    const W = cat.metadata.labels.names.length;
    expect(cat.metadata.labels.values[0]).toBe(0);
    expect(cat.metadata.labels.values[Fa * W]).toBe(1);
    expect(Array.from(cat.metadata.labels.values.subarray(Fa * W + 1, Fa * W + W))).toEqual(Array.from(b.metadata.labels.values.subarray(0, W - 1)));
    const v = cat.values(system), va = a.values(system).slice(), vb = b.values(system).slice();
    for (let i = 0; i < n; i++) {
      expect(Array.from(v.subarray(i * F, i * F + Fa))).toEqual(Array.from(va.subarray(i * Fa, (i + 1) * Fa)));
      expect(Array.from(v.subarray(i * F + Fa, (i + 1) * F))).toEqual(Array.from(vb.subarray(i * Fb, (i + 1) * Fb)));
    }
  });

  it('dense gradients interleave the blocks; linear forces are the sum of the blocks with their weight slices', () => {
    const g = cat.sumGradients(system), ga = a.sumGradients(system), gb = b.sumGradients(system);
    const rows = T * n * 3;
    for (let r = 0; r < rows; r++) {
      expect(Array.from(g.dPos.subarray(r * F, r * F + Fa))).toEqual(Array.from(ga.dPos.subarray(r * Fa, (r + 1) * Fa)));
      expect(Array.from(g.dRot!.subarray(r * F + Fa, (r + 1) * F))).toEqual(Array.from(gb.dRot!.subarray(r * Fb, (r + 1) * Fb)));
    }
    for (let r = 0; r < T * 9; r++) expect(Array.from(g.dStrain.subarray(r * F + Fa, (r + 1) * F))).toEqual(Array.from(gb.dStrain.subarray(r * Fb, (r + 1) * Fb)));
    const rand = seededRandom(9);
    const w = new Float64Array(T * F).map(() => rand() - 0.5);
    const wa = new Float64Array(T * Fa), wb = new Float64Array(T * Fb);
    for (let t = 0; t < T; t++) {
      wa.set(w.subarray(t * F, t * F + Fa), t * Fa);
      wb.set(w.subarray(t * F + Fa, (t + 1) * F), t * Fb);
    }
    const r = cat.linearForces(system, w), ra = a.linearForces(system, wa), rb = b.linearForces(system, wb);
    expect(r.energy).toBe(ra.energy + rb.energy);
    for (let q = 0; q < 3 * n; q++) {
      expect(r.forces[q]).toBe(ra.forces[q]! + rb.forces[q]!);
      expect(r.torques![q]).toBe(ra.torques![q]! + rb.torques![q]!);
    }
    for (let q = 0; q < 9; q++) expect(r.virial[q]).toBe(ra.virial[q]! + rb.virial[q]!);
    expectCode(() => cat.linearForces(system, new Float64Array(3)), 'E_SIZE', /weights have length 3, expected T·F/);
  });

  it('refuses blocks with different species, and no block', () => {
    const c = new AniSoapCalculator({ ...A, species: [0] });
    expectCode(() => new ConcatenatedCalculator([a, c]), 'E_CONFIG', /block 1 .* has species \[0\], block 0 .* has \[0, 1\]/);
    expectCode(() => new ConcatenatedCalculator([]), 'E_CONFIG', /at least one block/);
  });

  it('a model with two feature blocks is evaluated through the concatenation', () => {
    const rand = seededRandom(10);
    const weights = new Float64Array(T * F).map(() => rand() - 0.5);
    const block = (h: AniSoapHypers, count: number) => ({ kind: 'anisoap', hypers: { ...h } as Record<string, unknown>, densityWidths: null, featureCount: count });
    const model = { features: [block(A, Fa), block(B, Fb)], species: [0, 1], weights } as unknown as LinearModel;
    const built = modelCalculator(model, ({ hypers }) => new AniSoapCalculator(hypers as unknown as AniSoapHypers));
    expect(built).toBeInstanceOf(ConcatenatedCalculator);
    expect(built.metadata.featureCount).toBe(F);
    const r = built.linearForces(system, weights), ref = cat.linearForces(system, weights);
    expect(r.energy).toBe(ref.energy);
    expect(Array.from(r.forces)).toEqual(Array.from(ref.forces));
    built.close?.();
  });
});
