// SPDX-License-Identifier: BSD-3-Clause
/**
 * The `'wasm-f64'` kernel backend: IR programs emitted as WebAssembly (`emit-wasm.ts`), compiled
 * once per program and thread, instantiated against the thread's arena memory (`wasm-arena.ts`).
 * Its kernels take the same arguments as the JavaScript ones (arrays and offsets in
 * `jsParameterNames` order) and compute bitwise the same f64 numbers; the arrays must be views
 * of the arena, obtained from the backend's `allocate` (the kernels address them by their
 * `byteOffset`, and an array from anywhere else is refused when the kernel is called).
 */
import { AnisoError } from '../core/errors.js';
import { emitWasmModule, type WasmEmitOptions } from './emit-wasm.js';
import { jsParameterNames, offsetNames, type BoundKernel, type JsKernel } from './emit-js.js';
import type { KernelProgram } from './ir.js';
import { threadArena, type WasmArena } from './wasm-arena.js';

/** Name of the WebAssembly backend. */
export const WASM_F64 = 'wasm-f64';

let supported: boolean | null = null;

/** Whether this runtime has WebAssembly with shared memories (Node ≥ 16 has). */
function wasmAvailable(): boolean {
  if (supported === null) {
    try {
      supported = typeof WebAssembly === 'object' && new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
    } catch {
      supported = false;
    }
  }
  return supported;
}

type Run = (...addresses: number[]) => void;
const instances = new WeakMap<KernelProgram, Map<string, Run>>();
const modules = new WeakMap<KernelProgram, JsKernel>();

/** The module of `program` (with `options`) instantiated against this thread's arena: its `run`. */
function instantiate(program: KernelProgram, options: WasmEmitOptions = {}): Run {
  let byOptions = instances.get(program);
  if (!byOptions) {
    byOptions = new Map();
    instances.set(program, byOptions);
  }
  const key = `${options.lanes ?? 1}|${[...(options.interleaved ?? [])].sort().join(',')}`;
  let run = byOptions.get(key);
  if (!run) {
    const module = new WebAssembly.Module(emitWasmModule(program, options));
    run = new WebAssembly.Instance(module, { env: { memory: threadArena().memory } }).exports['run'] as Run;
    byOptions.set(key, run);
  }
  return run;
}

/** @throws AnisoError `E_ARG` unless `view` (array `name` of `program`) is a view of `arena`. */
function requireArenaView(arena: WasmArena, view: ArrayBufferView, program: KernelProgram, name: string): void {
  if (!arena.owns(view)) {
    throw new AnisoError('E_ARG', `kernel '${program.name}' (${WASM_F64}): array '${name}' is not a view of the kernel memory; allocate it with the backend's allocate()`);
  }
}

/**
 * Compile `program` for this thread's arena: a JavaScript wrapper that turns each array and its
 * offset into a byte address and calls the module's `run`.
 */
function compileWasm(program: KernelProgram): JsKernel {
  const hit = modules.get(program);
  if (hit) return hit;
  const arena = threadArena();
  const run = instantiate(program);
  const names = jsParameterNames(program.params);
  // each array's buffer is checked against the arena once, then compared with the last one seen
  const checks = program.params.map((p, k) => `if (${p.name}.buffer !== seen${k}) seen${k} = check(${p.name}, '${p.name}');`);
  const seen = program.params.map((_, k) => `seen${k} = null`);
  const addresses = program.params.map((p) => (p.offset === null ? `${p.name}.byteOffset` : `${p.name}.byteOffset + 8 * ${p.offset}`));
  const body = `"use strict";\n${seen.length > 0 ? `let ${seen.join(', ')};` : ''}\nreturn function (${names.join(', ')}) {\n${checks.join('\n')}\nrun(${addresses.join(', ')});\n};`;
  const check = (view: ArrayBufferView, name: string): ArrayBufferLike => {
    requireArenaView(arena, view, program, name);
    return view.buffer;
  };
  const kernel = new Function('run', 'check', body)(run, check) as JsKernel;
  modules.set(program, kernel);
  return kernel;
}

/**
 * `program` bound to `arrays` (views of this thread's arena, by parameter name): a function of the
 * offset parameters that calls `run` with the arrays' byte addresses fixed at binding (the
 * cheapest call: no property reads per call). With `options.lanes = 2` the function evaluates two
 * pairs at once (see `WasmEmitOptions`): each offset of a per-lane array is given twice (lane 0,
 * lane 1), the offset of an interleaved array once (in elements per lane).
 * @throws AnisoError `E_ARG` for a missing array or one that is not a view of the arena.
 */
function bindWasm(program: KernelProgram, arrays: Readonly<Record<string, Float64Array>>, options: WasmEmitOptions = {}): BoundKernel {
  offsetNames(program, arrays);
  const two = options.lanes === 2, interleaved = new Set(options.interleaved ?? []);
  const arena = threadArena();
  for (const p of program.params) requireArenaView(arena, arrays[p.name]!, program, p.name);
  const offsets: string[] = [], addresses: string[] = [];
  for (const p of program.params) {
    const base = arrays[p.name]!.byteOffset;
    const perLane = two && !interleaved.has(p.name);
    if (p.offset === null) {
      addresses.push(String(base));
      if (perLane) addresses.push(String(base));
    } else if (perLane) {
      offsets.push(`${p.offset}_0`, `${p.offset}_1`);
      addresses.push(`${base} + 8 * ${p.offset}_0`, `${base} + 8 * ${p.offset}_1`);
    } else {
      offsets.push(p.offset);
      addresses.push(`${base} + ${two ? 16 : 8} * ${p.offset}`);
    }
  }
  const body = `"use strict";\nreturn function (${offsets.join(', ')}) {\nrun(${addresses.join(', ')});\n};`;
  return new Function('run', body)(instantiate(program, options)) as BoundKernel;
}

/** The backend record (registered by `backend.ts`). */
export const wasmF64Backend = {
  name: WASM_F64,
  precision: 'f64' as const,
  lanes: 2,
  available: wasmAvailable,
  compile: compileWasm,
  bind: bindWasm,
  allocate: (length: number): Float64Array => threadArena().allocate(length),
};
