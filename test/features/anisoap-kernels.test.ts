// SPDX-License-Identifier: BSD-3-Clause
/**
 * The AniSOAP pair kernels as kernel-IR programs: the `cpu-f64` (JavaScript) and `wasm-f64`
 * (WebAssembly) backends' compiled kernels equal a direct interpretation of the IR bitwise on
 * random pair inputs (pass 1, pass 2 and the dense-path moments); whole calculations (features,
 * forces, torques, virial, dense gradients) are bitwise the same on both backends and thread
 * counts; the calculator reports its backend, and an unknown backend is refused.
 * (That the kernels give the package's numbers is the golden, reference and gradient tests' job.)
 */
import { describe, expect, it } from 'vitest';
import { AniSoapCalculator } from '../../src/features/anisoap/calculator.js';
import { buildAniSoapPrograms, FIRST_FREE_SLOT, SCALE_SLOT } from '../../src/features/anisoap/codegen.js';
import { CPU_F64, kernelBackend, WASM_F64 } from '../../src/kernels/backend.js';
import { resolveAniSoapHypers, type AniSoapHypers } from '../../src/features/anisoap/hypers.js';
import { AniSoapPlan } from '../../src/features/anisoap/plan.js';
import { Cell } from '../../src/core/cell.js';
import { randomEllipsoidSystem } from '../support/anisoap-fixtures.js';
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

const BACKENDS = [CPU_F64, WASM_F64] as const;

describe.each(HYPERS.flatMap((h, k) => BACKENDS.map((b) => [k, b, h] as const)))('AniSOAP kernels from IR (case %i, %s)', (_k, name, hyp) => {
  const plan = new AniSoapPlan(resolveAniSoapHypers(hyp));
  const programs = buildAniSoapPrograms(plan);
  const backend = kernelBackend(name);
  const rand = seededRandom(17);
  const slots = Math.max(programs.slotCount, FIRST_FREE_SLOT);
  /** `values` in an array of the backend (its kernels address only those). */
  const held = (values: Float64Array) => {
    const a = backend.allocate(values.length);
    a.set(values);
    return a;
  };

  function pairInputs(): { w: Float64Array; D: Float64Array } {
    const w = new Float64Array(slots);
    for (let k = 0; k < 3; k++) w[k] = 2 * rand() - 1; // μ
    for (let k = 3; k < 6; k++) w[k] = 0.2 + rand(); // v
    w[SCALE_SLOT] = 0.5 + rand();
    return { w, D: new Float64Array(3 + plan.wignerSize).map(() => 2 * rand() - 1) };
  }

  it('pass 1: the compiled kernel equals the IR interpreter bitwise', () => {
    for (let trial = 0; trial < 5; trial++) {
      const { w, D } = pairInputs();
      const acc0 = new Float64Array(5 + plan.nc).map(() => rand());
      const wK = held(w), accK = held(acc0), DK = held(D), wIr = Float64Array.from(w), accIr = Float64Array.from(acc0);
      backend.bind(programs.pairFeatures, { w: wK, D: DK, acc: accK })(3, 5);
      interpret(programs.pairFeatures, { arrays: { w: wIr, D, acc: accIr }, offsets: { dOff: 3, aOff: 5 } });
      expect(same(accK, accIr)).toBe(true);
      expect(same(wK, wIr)).toBe(true);
      expect(accK.some((v, k) => v !== acc0[k])).toBe(true);
    }
  });

  it('pass 2 and the dense-path moments: the compiled kernels equal the IR interpreter bitwise', () => {
    for (let trial = 0; trial < 5; trial++) {
      const { w, D } = pairInputs();
      const G = new Float64Array(2 + plan.nc).map(() => 2 * rand() - 1);
      const wK = held(w), wIr = Float64Array.from(w), outK = backend.allocate(7), outIr = new Float64Array(7);
      backend.bind(programs.pairGradient, { w: wK, D: held(D), G: held(G), out: outK })(3, 2);
      interpret(programs.pairGradient, { arrays: { w: wIr, D, G, out: outIr }, offsets: { dOff: 3, gOff: 2 } });
      expect(same(outK, outIr)).toBe(true);
      expect(outK.every((v) => v !== 0)).toBe(true);
      const mK = held(w), mIr = Float64Array.from(w);
      backend.bind(programs.gradMoments, { w: mK })();
      interpret(programs.gradMoments, { arrays: { w: mIr }, offsets: {} });
      expect(same(mK, mIr)).toBe(true);
      expect(same(mK, wK)).toBe(true);
    }
  });
});

describe('AniSOAP kernel backend choice', () => {
  it('takes wasm-f64 by default, cpu-f64 when asked, and refuses an unknown backend', () => {
    expect(new AniSoapCalculator(HYPERS[0]!).backend).toBe('wasm-f64');
    expect(new AniSoapCalculator(HYPERS[0]!, { backend: 'cpu-f64' }).backend).toBe('cpu-f64');
    expectCode(() => new AniSoapCalculator(HYPERS[0]!, { backend: 'webgpu' }), 'E_CONFIG', /kernel backend 'webgpu' is not one of 'cpu-f64', 'wasm-f64'/);
  });

  it('features, linear forces and dense gradients are bitwise the same on both backends, 1 and 2 threads', () => {
    const hyp: AniSoapHypers = { maxAngular: 3, maxRadial: 2, radialBasis: 'gto', gaussianWidth: 1.2, cutoff: 3.2, species: [0, 1] };
    const system = randomEllipsoidSystem(seededRandom(5), Cell.orthorhombic(6, 6, 6), 40, 2, 6);
    const results = [CPU_F64, WASM_F64].flatMap((backend) =>
      [1, 2].map((threads) => {
        const calc = new AniSoapCalculator(hyp, { backend, threads, parallelMinPairs: 1 });
        try {
          const w = new Float64Array(calc.metadata.featureCount * 2).map((_, k) => Math.sin(k));
          const f = calc.linearForces(system, w);
          const g = calc.sumGradients(system);
          return [Float64Array.from(calc.values(system)), Float64Array.from(f.forces), Float64Array.from(f.torques!), Float64Array.from(f.virial!), g.dPos, g.dRot];
        } finally {
          calc.close();
        }
      }),
    );
    for (const r of results.slice(1)) r.forEach((a, k) => expect(same(a, results[0]![k]!)).toBe(true));
    expect(results[0]![0]!.some((v) => v !== 0)).toBe(true);
  });
});
