// SPDX-License-Identifier: BSD-3-Clause
/**
 * Kernel backends by name, chosen at run time. A backend turns an IR program (`ir.ts`) into
 * something callable. Two run on the CPU in f64 and compute bitwise the same numbers:
 * `'cpu-f64'`, the JavaScript emitter (`emit-js.ts`), the reference every other backend is
 * compared with, and `'wasm-f64'`, the WebAssembly emitter (`emit-wasm.ts`, `wasm-backend.ts`),
 * which reaches full speed without the long optimising compilation of large JavaScript functions.
 * Arrays passed to a backend's kernels come from its {@link KernelBackend.allocate}.
 * A GPU backend (`'webgpu'`: a WGSL
 * emitter beside `emit-js.ts` and a batched dispatch over pairs) registers here with
 * {@link registerKernelBackend}; callers ask for a name or take the first available of a
 * preference list with {@link chooseKernelBackend}, and report `backend.name`.
 */
import { AnisoError } from '../core/errors.js';
import { bindJs, compileJs, type BoundKernel, type JsKernel } from './emit-js.js';
import type { KernelProgram } from './ir.js';
import { WASM_F64, wasmF64Backend } from './wasm-backend.js';

export { WASM_F64 };
export type { BoundKernel };

/** A way of running IR programs. */
export interface KernelBackend {
  /** Name used in options and reports, e.g. `'cpu-f64'`. */
  readonly name: string;
  /** Floating-point precision of its arithmetic. */
  readonly precision: 'f64' | 'f32';
  /** Whether it can run in this process now (e.g. a GPU adapter is present). */
  available(): boolean;
  /**
   * Compile `program` into a function of the program's arrays and offsets in parameter order
   * (`jsParameterNames`), evaluated per call on the calling thread.
   */
  compile(program: KernelProgram): JsKernel;
  /**
   * Compile `program` and bind it to `arrays` (by parameter name, each from
   * {@link KernelBackend.allocate}): a function of the offset parameters alone, in parameter
   * order. The fastest way to call a kernel in a loop; bind again when an array is replaced.
   */
  bind(program: KernelProgram, arrays: Readonly<Record<string, Float64Array>>, options?: KernelBindOptions): BoundKernel;
  /** Most pairs one call of a bound kernel can evaluate ({@link KernelBindOptions.lanes}). */
  readonly lanes: number;
  /** A zeroed array of `length` f64 that this backend's kernels can be called with. */
  allocate(length: number): Float64Array;
}

/**
 * How a kernel is bound: one pair per call, or `lanes` pairs evaluated together (vector
 * instructions), each lane bitwise as a call of its own, lanes applied in order. With two lanes,
 * arrays named in `interleaved` hold element k of lane l at `2k + l` (one array, one offset); the
 * others are shared by the lanes, each lane with its own offset (so the bound function takes each
 * such offset twice, lane 0 then lane 1).
 */
export interface KernelBindOptions {
  /** 1 (default) or up to the backend's {@link KernelBackend.lanes}. */
  readonly lanes?: 1 | 2;
  /** With two lanes: the interleaved arrays. */
  readonly interleaved?: readonly string[];
}

/** Name of the reference backend. */
export const CPU_F64 = 'cpu-f64';

const backends = new Map<string, KernelBackend>();

/**
 * Add a backend.
 * @throws AnisoError `E_ARG` if a backend of that name is registered already.
 */
export function registerKernelBackend(backend: KernelBackend): void {
  if (backends.has(backend.name)) throw new AnisoError('E_ARG', `kernel backend '${backend.name}' is registered already`);
  backends.set(backend.name, backend);
}

registerKernelBackend({
  name: CPU_F64,
  precision: 'f64',
  lanes: 1,
  available: () => true,
  compile: compileJs,
  bind: (program, arrays, options) => {
    if ((options?.lanes ?? 1) !== 1) throw new AnisoError('E_ARG', `kernel backend '${CPU_F64}' evaluates one pair per call (lanes ${String(options?.lanes)} asked)`);
    return bindJs(program, arrays);
  },
  allocate: (length) => new Float64Array(length),
});
registerKernelBackend(wasmF64Backend);

/** The CPU backends, fastest first: the default preference of the feature calculators. */
export const CPU_PREFERENCE: readonly string[] = [WASM_F64, CPU_F64];

/** Names of the registered backends, in registration order. */
export function kernelBackendNames(): string[] {
  return [...backends.keys()];
}

/**
 * The backend called `name` (default {@link CPU_F64}).
 * @throws AnisoError `E_CONFIG` for an unknown name (listing the known ones) or a backend that is
 *   not available in this process.
 */
export function kernelBackend(name: string = CPU_F64): KernelBackend {
  const b = backends.get(name);
  if (!b) throw new AnisoError('E_CONFIG', `kernel backend '${name}' is not one of ${kernelBackendNames().map((k) => `'${k}'`).join(', ')}`);
  if (!b.available()) throw new AnisoError('E_CONFIG', `kernel backend '${name}' is not available in this process`);
  return b;
}

/**
 * The first available backend of `preference` (names, best first), else {@link CPU_F64}.
 * Unknown names are skipped, so a preference list may name backends of later versions.
 */
export function chooseKernelBackend(preference: readonly string[] = [CPU_F64]): KernelBackend {
  for (const name of preference) {
    const b = backends.get(name);
    if (b?.available()) return b;
  }
  return backends.get(CPU_F64)!;
}
