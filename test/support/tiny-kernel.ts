// SPDX-License-Identifier: BSD-3-Clause
/**
 * A tiny hand-written kernel-IR program for the emitter tests (JavaScript and WebAssembly):
 * stage 1 `y[0] = a − (b + c)`, `y[1] += (a + b)·c·(−2)`; stage 2 (its arrays in the other order)
 * `y[2] = 1e16 + x[3] − 1e16` (order matters: 0 in this order for x[3] = 1), `y[3] = −(−a)·b·(−0)`.
 */
import { add, constant, load, local, mul, neg, type KernelProgram } from '../../src/kernels/ir.js';

/** Array `x` with offset parameter `xOff`. */
export const X = { name: 'x', offset: 'xOff' } as const;
/** Array `y` without offset. */
export const Y = { name: 'y', offset: null } as const;

/** The program (module doc). */
export const TINY_KERNEL: KernelProgram = {
  name: 'test/tiny',
  params: [X, Y],
  stages: [
    {
      name: 'first',
      params: [X, Y],
      body: [
        { op: 'let', name: 'a', value: load('x', 0) },
        { op: 'let', name: 'b', value: load('x', 1) },
        { op: 'let', name: 'c', value: load('x', 2) },
        { op: 'store', array: 'y', index: 0, value: add([local('a'), neg(add([local('b'), local('c')]))]), accumulate: false },
        { op: 'store', array: 'y', index: 1, value: mul([add([local('a'), local('b')]), local('c'), constant(-2)]), accumulate: true },
      ],
    },
    {
      name: 'second',
      params: [Y, X],
      body: [
        { op: 'let', name: 'a', value: load('x', 0) },
        { op: 'store', array: 'y', index: 2, value: add([constant(1e16), load('x', 3), constant(-1e16)]), accumulate: false },
        { op: 'store', array: 'y', index: 3, value: mul([neg(neg(local('a'))), load('x', 1), constant(-0)]), accumulate: false },
      ],
    },
  ],
};
