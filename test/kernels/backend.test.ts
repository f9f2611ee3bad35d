// SPDX-License-Identifier: BSD-3-Clause
/** Kernel backends by name: the reference `cpu-f64`, unknown and unavailable names, preference lists. */
import { describe, expect, it } from 'vitest';
import { chooseKernelBackend, CPU_F64, kernelBackend, kernelBackendNames, registerKernelBackend } from '../../src/kernels/backend.js';
import { constant, type KernelProgram } from '../../src/kernels/ir.js';
import { expectCode } from '../support/assertions.js';

describe('kernel backends', () => {
  it('cpu-f64 is registered, available and compiles IR to JavaScript', () => {
    expect(kernelBackendNames()).toContain(CPU_F64);
    const b = kernelBackend();
    expect(b.name).toBe('cpu-f64');
    expect(b.precision).toBe('f64');
    const p: KernelProgram = {
      name: 'one', params: [{ name: 'y', offset: null }],
      stages: [{ name: 's', params: [{ name: 'y', offset: null }], body: [{ op: 'store', array: 'y', index: 0, value: constant(2.5), accumulate: true }] }],
    };
    const y = new Float64Array([1]);
    (b.compile(p) as unknown as (y: Float64Array) => void)(y);
    expect(y[0]).toBe(3.5);
  });

  it('names the known backends for an unknown one, refuses unavailable ones and duplicates, and falls back to cpu-f64', () => {
    expectCode(() => kernelBackend('webgpu'), 'E_CONFIG', /kernel backend 'webgpu' is not one of 'cpu-f64'/);
    registerKernelBackend({ name: 'test-absent', precision: 'f32', available: () => false, compile: () => () => undefined });
    expectCode(() => kernelBackend('test-absent'), 'E_CONFIG', /'test-absent' is not available in this process/);
    expectCode(() => registerKernelBackend({ ...kernelBackend(), name: CPU_F64 }), 'E_ARG', /'cpu-f64' is registered already/);
    expect(chooseKernelBackend(['webgpu', 'test-absent', CPU_F64]).name).toBe(CPU_F64);
    expect(chooseKernelBackend(['webgpu']).name).toBe(CPU_F64);
  });
});
