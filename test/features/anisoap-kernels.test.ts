// SPDX-License-Identifier: BSD-3-Clause
/**
 * The AniSOAP pair kernels as kernel-IR programs: the `cpu-f64` backend's compiled JavaScript
 * equals a direct interpretation of the IR bitwise on random pair inputs (pass 1, pass 2 and the
 * dense-path moments), the calculator reports its backend, and an unknown backend is refused.
 * (That the kernels give the package's numbers is the golden, reference and gradient tests' job.)
 */
import { describe, expect, it } from 'vitest';
import { AniSoapCalculator } from '../../src/features/anisoap/calculator.js';
import { buildAniSoapPrograms, compileAniSoapKernels, FIRST_FREE_SLOT, SCALE_SLOT } from '../../src/features/anisoap/codegen.js';
import { resolveAniSoapHypers, type AniSoapHypers } from '../../src/features/anisoap/hypers.js';
import { AniSoapPlan } from '../../src/features/anisoap/plan.js';
import { expectCode } from '../support/assertions.js';
import { interpret } from '../support/kernel-interpreter.js';
import { seededRandom } from '../support/random.js';

const HYPERS: AniSoapHypers[] = [
  { maxAngular: 3, maxRadial: 2, radialBasis: 'gto', gaussianWidth: 1.3, cutoff: 4, species: [0] },
  { maxAngular: 4, maxRadial: [0, 2, 1, 3, 2], radialBasis: 'gto', gaussianWidth: 1.4, cutoff: 4.2, species: [0], basisRcond: 1e-8, basisTol: 1e-3 },
];

function same(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, k) => Object.is(v, b[k]));
}

describe.each(HYPERS.map((h, k) => [k, h] as const))('AniSOAP kernels from IR (case %i)', (_k, hyp) => {
  const plan = new AniSoapPlan(resolveAniSoapHypers(hyp));
  const programs = buildAniSoapPrograms(plan);
  const kernels = compileAniSoapKernels(plan);
  const rand = seededRandom(17);
  const slots = Math.max(programs.slotCount, FIRST_FREE_SLOT);

  function pairInputs(): { w: Float64Array; D: Float64Array } {
    const w = new Float64Array(slots);
    for (let k = 0; k < 3; k++) w[k] = 2 * rand() - 1; // μ
    for (let k = 3; k < 6; k++) w[k] = 0.2 + rand(); // v
    w[SCALE_SLOT] = 0.5 + rand();
    return { w, D: new Float64Array(3 + plan.wignerSize).map(() => 2 * rand() - 1) };
  }

  it('pass 1: compiled JavaScript equals the IR interpreter bitwise', () => {
    for (let trial = 0; trial < 5; trial++) {
      const { w, D } = pairInputs();
      const acc0 = new Float64Array(5 + plan.nc).map(() => rand());
      const wJs = Float64Array.from(w), accJs = Float64Array.from(acc0), wIr = Float64Array.from(w), accIr = Float64Array.from(acc0);
      kernels.pairFeatures(wJs, D, 3, accJs, 5);
      interpret(programs.pairFeatures, { arrays: { w: wIr, D, acc: accIr }, offsets: { dOff: 3, aOff: 5 } });
      expect(same(accJs, accIr)).toBe(true);
      expect(same(wJs, wIr)).toBe(true);
      expect(accJs.some((v, k) => v !== acc0[k])).toBe(true);
    }
  });

  it('pass 2 and the dense-path moments: compiled JavaScript equals the IR interpreter bitwise', () => {
    for (let trial = 0; trial < 5; trial++) {
      const { w, D } = pairInputs();
      const G = new Float64Array(2 + plan.nc).map(() => 2 * rand() - 1);
      const wJs = Float64Array.from(w), wIr = Float64Array.from(w), outJs = new Float64Array(7), outIr = new Float64Array(7);
      kernels.pairGradient(wJs, D, 3, G, 2, outJs);
      interpret(programs.pairGradient, { arrays: { w: wIr, D, G, out: outIr }, offsets: { dOff: 3, gOff: 2 } });
      expect(same(outJs, outIr)).toBe(true);
      expect(outJs.every((v) => v !== 0)).toBe(true);
      const mJs = Float64Array.from(w), mIr = Float64Array.from(w);
      kernels.gradMoments(mJs);
      interpret(programs.gradMoments, { arrays: { w: mIr }, offsets: {} });
      expect(same(mJs, mIr)).toBe(true);
      expect(same(mJs, wJs)).toBe(true);
    }
  });
});

describe('AniSOAP kernel backend choice', () => {
  it('reports cpu-f64 and refuses an unknown backend', () => {
    const calc = new AniSoapCalculator(HYPERS[0]!);
    expect(calc.backend).toBe('cpu-f64');
    expect(new AniSoapCalculator(HYPERS[0]!, { backend: 'cpu-f64' }).backend).toBe('cpu-f64');
    expectCode(() => new AniSoapCalculator(HYPERS[0]!, { backend: 'webgpu' }), 'E_CONFIG', /kernel backend 'webgpu' is not one of 'cpu-f64'/);
  });
});
