// SPDX-License-Identifier: BSD-3-Clause
/**
 * The JavaScript emitter of the kernel IR on a tiny hand-written program: bitwise equal to the IR
 * interpreter (including sums whose value depends on their order), the printed precedence,
 * offsets, accumulation, stage subsets, and the emitter's refusals.
 */
import { describe, expect, it } from 'vitest';
import { compileJs, emitJsStage, jsParameterNames } from '../../src/kernels/emit-js.js';
import { constant, countMultiplications, load, type KernelProgram } from '../../src/kernels/ir.js';
import { expectCode } from '../support/assertions.js';
import { interpret } from '../support/kernel-interpreter.js';
import { seededRandom } from '../support/random.js';
import { TINY_KERNEL, X, Y } from '../support/tiny-kernel.js';

const tiny = TINY_KERNEL;

describe('JavaScript emitter', () => {
  it('prints the IR order with the parentheses it needs', () => {
    const first = emitJsStage(tiny.stages[0]!);
    expect(first).toContain('const a = x[xOff + 0];');
    expect(first).toContain('y[0] = a - (b + c);');
    expect(first).toContain('y[1] += (a + b)*c*(-2);');
    const second = emitJsStage(tiny.stages[1]!);
    expect(second).toContain('y[2] = 10000000000000000 + x[xOff + 3] + (-10000000000000000);');
    expect(second).toContain('y[3] = -(-a)*x[xOff + 1]*(-0);');
    expect(jsParameterNames(tiny.params)).toEqual(['x', 'xOff', 'y']);
    expect(countMultiplications(tiny.stages[0]!)).toBe(2);
  });

  it('compiled kernels equal the IR interpreter bitwise, offsets and accumulation included', () => {
    const kernel = compileJs(tiny) as unknown as (x: Float64Array, xOff: number, y: Float64Array) => void;
    const rand = seededRandom(1);
    for (let trial = 0; trial < 20; trial++) {
      const x = new Float64Array(9).map(() => (rand() - 0.5) * 10 ** Math.floor(rand() * 6));
      x[7] = 1; // with xOff = 4, x[3] reads x[7]: 1e16 + 1 − 1e16 is 0 in this order, 1 in another
      const y0 = new Float64Array(4).map(() => rand());
      const yJs = Float64Array.from(y0), yIr = Float64Array.from(y0);
      kernel(x, 4, yJs);
      interpret(tiny, { arrays: { x, y: yIr }, offsets: { xOff: 4 } });
      expect(Array.from(yJs).every((v, k) => Object.is(v, yIr[k]))).toBe(true);
      expect(yJs[2]).toBe(0);
      expect(Object.is(yJs[3], -0) || Object.is(yJs[3], 0)).toBe(true);
    }
  });

  it('refuses unknown arrays and non-finite constants', () => {
    const bad = (body: KernelProgram['stages'][number]['body'], params = [Y]): KernelProgram => ({ name: 'bad', params: [Y], stages: [{ name: 's', params, body }] });
    expectCode(() => compileJs(bad([{ op: 'store', array: 'y', index: 0, value: load('z', 0), accumulate: false }])), 'E_ARG', /load from unknown array 'z'/);
    expectCode(() => compileJs(bad([{ op: 'store', array: 'q', index: 0, value: constant(1), accumulate: false }])), 'E_ARG', /store to unknown array 'q'/);
    expectCode(() => compileJs(bad([{ op: 'store', array: 'y', index: 0, value: constant(Infinity), accumulate: false }])), 'E_ARG', /non-finite constant Infinity/);
    expectCode(() => compileJs(bad([], [X])), 'E_ARG', /stage 's' uses array 'x' that program 'bad' does not declare/);
  });
});
