// SPDX-License-Identifier: BSD-3-Clause
/**
 * The WebAssembly emitter and backend of the kernel IR on a tiny hand-written program: bitwise
 * equal to the IR interpreter (sums whose value depends on their order, −0, offsets,
 * accumulation), calls through `compile` and through `bind`, refusals (arrays outside the kernel
 * memory, unknown arrays, locals used before their `let`, non-finite constants), and the arena's
 * views surviving its growth.
 */
import { describe, expect, it } from 'vitest';
import { kernelBackend, WASM_F64 } from '../../src/kernels/backend.js';
import { emitWasmModule } from '../../src/kernels/emit-wasm.js';
import { constant, load, local, type KernelProgram } from '../../src/kernels/ir.js';
import { WasmArena } from '../../src/kernels/wasm-arena.js';
import { expectCode } from '../support/assertions.js';
import { interpret } from '../support/kernel-interpreter.js';
import { seededRandom } from '../support/random.js';
import { TINY_KERNEL, X, Y } from '../support/tiny-kernel.js';

const tiny = TINY_KERNEL;

const same = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, k) => Object.is(v, b[k]));

describe('WebAssembly kernels', () => {
  const backend = kernelBackend(WASM_F64);

  it('is registered as an available f64 backend and emits a valid module', () => {
    expect(backend.name).toBe('wasm-f64');
    expect(backend.precision).toBe('f64');
    expect(backend.available()).toBe(true);
    const bytes = emitWasmModule(tiny);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x00, 0x61, 0x73, 0x6d]);
    expect(WebAssembly.validate(bytes)).toBe(true);
  });

  it('bound and unbound kernels equal the IR interpreter bitwise, offsets and accumulation included', () => {
    const rand = seededRandom(3);
    const x = backend.allocate(9), y = backend.allocate(4);
    const bound = backend.bind(tiny, { x, y });
    const unbound = backend.compile(tiny) as unknown as (x: Float64Array, xOff: number, y: Float64Array) => void;
    for (let trial = 0; trial < 20; trial++) {
      x.set(new Float64Array(9).map(() => (rand() - 0.5) * 10 ** Math.floor(rand() * 6)));
      x[7] = 1; // x[4 + 3]: 1e16 + 1 − 1e16 is 0 in the IR's order
      const y0 = new Float64Array(4).map(() => rand());
      const yIr = Float64Array.from(y0);
      interpret(tiny, { arrays: { x, y: yIr }, offsets: { xOff: 4 } });
      y.set(y0);
      bound(4);
      expect(same(y, yIr)).toBe(true);
      y.set(y0);
      unbound(x, 4, y);
      expect(same(y, yIr)).toBe(true);
      expect(y[2]).toBe(0);
    }
  });

  it('two lanes: bitwise two scalar calls in lane order, for shared (per-lane offset) and interleaved arrays', () => {
    expect(backend.lanes).toBe(2);
    const rand = seededRandom(4);
    const x = backend.allocate(12), y = backend.allocate(4), y2 = backend.allocate(8);
    const shared = backend.bind(tiny, { x, y }, { lanes: 2 });
    const interleaved = backend.bind(tiny, { x, y: y2 }, { lanes: 2, interleaved: ['y'] });
    expect(WebAssembly.validate(emitWasmModule(tiny, { lanes: 2, interleaved: ['y'] }))).toBe(true);
    for (let trial = 0; trial < 20; trial++) {
      x.set(new Float64Array(12).map(() => (rand() - 0.5) * 10 ** Math.floor(rand() * 6)));
      x[7] = 1;
      const y0 = new Float64Array(4).map(() => rand());
      // shared y: lane 0 (xOff 4) then lane 1 (xOff 1) on the same y
      const yIr = Float64Array.from(y0);
      interpret(tiny, { arrays: { x, y: yIr }, offsets: { xOff: 4 } });
      interpret(tiny, { arrays: { x, y: yIr }, offsets: { xOff: 1 } });
      y.set(y0);
      shared(4, 1);
      expect(same(y, yIr)).toBe(true);
      // interleaved y: each lane its own y
      const ya = Float64Array.from(y0), yb = Float64Array.from(y0).reverse();
      for (let k = 0; k < 4; k++) {
        y2[2 * k] = ya[k]!;
        y2[2 * k + 1] = yb[k]!;
      }
      interpret(tiny, { arrays: { x, y: ya }, offsets: { xOff: 4 } });
      interpret(tiny, { arrays: { x, y: yb }, offsets: { xOff: 1 } });
      interleaved(4, 1);
      for (let k = 0; k < 4; k++) {
        expect(Object.is(y2[2 * k], ya[k])).toBe(true);
        expect(Object.is(y2[2 * k + 1], yb[k])).toBe(true);
      }
    }
    expectCode(() => kernelBackend('cpu-f64').bind(tiny, { x: new Float64Array(9), y: new Float64Array(4) }, { lanes: 2 }), 'E_ARG', /one pair per call/);
    expectCode(() => emitWasmModule(tiny, { lanes: 2, interleaved: ['q'] }), 'E_ARG', /interleaved array 'q' is not a parameter/);
  });

  it('refuses arrays that are not views of the kernel memory', () => {
    const y = backend.allocate(4);
    expectCode(() => backend.bind(tiny, { x: new Float64Array(9), y }), 'E_ARG', /array 'x' is not a view of the kernel memory/);
    expectCode(() => backend.bind(tiny, { y }), 'E_ARG', /no Float64Array given for array 'x'/);
    const shared = new Float64Array(new SharedArrayBuffer(72));
    const unbound = backend.compile(tiny) as unknown as (x: Float64Array, xOff: number, y: Float64Array) => void;
    expectCode(() => unbound(shared, 0, y), 'E_ARG', /array 'x' is not a view of the kernel memory/);
  });

  it('refuses unknown arrays, locals before their let, and non-finite constants', () => {
    const bad = (body: KernelProgram['stages'][number]['body'], params = [Y]): KernelProgram => ({ name: 'bad', params: [Y], stages: [{ name: 's', params, body }] });
    expectCode(() => emitWasmModule(bad([{ op: 'store', array: 'y', index: 0, value: load('z', 0), accumulate: false }])), 'E_ARG', /array 'z' is not a parameter of stage 's'/);
    expectCode(() => emitWasmModule(bad([{ op: 'store', array: 'y', index: 0, value: local('u'), accumulate: false }])), 'E_ARG', /local 'u' used before its let/);
    expectCode(() => emitWasmModule(bad([{ op: 'store', array: 'y', index: 0, value: constant(NaN), accumulate: false }])), 'E_ARG', /non-finite constant NaN/);
    expectCode(() => emitWasmModule(bad([], [X])), 'E_ARG', /stage 's' uses array 'x' that program 'bad' does not declare/);
  });

  it('the arena keeps earlier views valid when it grows', () => {
    const arena = new WasmArena(1);
    const a = arena.allocate(100);
    a.fill(7);
    const big = arena.allocate(200_000); // > 1 page: the memory grows
    expect(arena.memory.buffer.byteLength).toBeGreaterThanOrEqual(8 * 200_100);
    expect(a.every((v) => v === 7)).toBe(true);
    expect(big.every((v) => v === 0)).toBe(true);
    expect(a.byteOffset % 64).toBe(0);
    expect(big.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + 800);
    expect(arena.owns(a) && arena.owns(big)).toBe(true);
    expect(arena.owns(new Float64Array(1))).toBe(false);
    expectCode(() => arena.allocate(-1), 'E_ARG', /length -1/);
  });
});
