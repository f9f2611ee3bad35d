// SPDX-License-Identifier: BSD-3-Clause
/**
 * WebAssembly emitter of the kernel IR (`ir.ts`): a program becomes one module that imports a
 * shared linear memory (`env.memory`) and exports `run`, taking one `i32` byte address per
 * program array (the address of element 0, the array's offset parameter already added). Each
 * stage is a function of its arrays' addresses; every `let` is an `f64` local, every constant an
 * `f64.const`, every load and store an `f64.load`/`f64.store` with the element index in the
 * instruction's static offset. Sums and products are emitted as the IR's left-to-right chains
 * (`a + (−b)` as `f64.sub`, which IEEE 754 defines as the same operation), so the module computes
 * bitwise what the JavaScript emitter and the IR interpreter compute.
 *
 * Why a second CPU emitter: V8 compiles a WebAssembly module with its baseline compiler in a few
 * milliseconds and optimises hot functions in the background, while the same straight-line code
 * as JavaScript costs hundreds of milliseconds of optimising compilation per thread before it runs
 * fast. A compiled module can also be sent to worker threads without compiling it again.
 *
 * Binary format: WebAssembly 1.0 core specification plus the threads proposal's shared memory
 * flag (limits flag 3), both supported by Node ≥ 16.
 */
import { AnisoError } from '../core/errors.js';
import type { ArrayParam, Expr, KernelProgram, KernelStage } from './ir.js';

/** Value types and opcodes used (WebAssembly 1.0, §5.3–5.4). */
const I32 = 0x7f, F64 = 0x7c;
const OP = {
  end: 0x0b, call: 0x10, localGet: 0x20, localSet: 0x21,
  f64Load: 0x2b, f64Store: 0x39, f64Const: 0x44,
  f64Neg: 0x9a, f64Add: 0xa0, f64Sub: 0xa1, f64Mul: 0xa2,
} as const;
/** log2 of the natural alignment of an f64 access. */
const ALIGN_F64 = 3;

/** Scratch for the byte encoding of an f64 (the platform's order: little-endian wherever Node runs WebAssembly). */
const F64_SCRATCH = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64_SCRATCH.buffer);
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('emit-wasm: a big-endian platform is not supported');

/** A growable byte buffer with the encodings of the binary format. */
class Bytes {
  private buf = new Uint8Array(1024);
  private len = 0;

  get length(): number {
    return this.len;
  }

  private reserve(k: number): void {
    if (this.len + k <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + k) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): this {
    this.reserve(1);
    this.buf[this.len++] = b;
    return this;
  }

  /** Unsigned LEB128. */
  u32(v: number): this {
    do {
      let b = v & 0x7f;
      v = Math.floor(v / 128);
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
    return this;
  }

  /** IEEE 754 binary64, little-endian. */
  f64(x: number): this {
    this.reserve(8);
    F64_SCRATCH[0] = x;
    this.buf.set(F64_BYTES, this.len);
    this.len += 8;
    return this;
  }

  append(other: Bytes): this {
    this.reserve(other.len);
    this.buf.set(other.buf.subarray(0, other.len), this.len);
    this.len += other.len;
    return this;
  }

  name(s: string): this {
    const b = new TextEncoder().encode(s);
    this.u32(b.length);
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/**
 * How a program is emitted: one pair per call (`lanes: 1`, scalar f64), or two (`lanes: 2`,
 * `f64x2` vectors, lane l holding pair l). With two lanes an array is either **interleaved**
 * (listed in `interleaved`: element k of lane l at `2k + l`, one address; e.g. per-pair slots and
 * outputs) or **per lane** (one address per lane, e.g. each pair's own Wigner block or
 * accumulator). Each lane computes exactly the scalar operations, so results are bitwise those of
 * two scalar calls in lane order; accumulating stores to per-lane arrays add lane 0 first, then
 * lane 1 (the same element when both lanes address it).
 */
export interface WasmEmitOptions {
  /** Pairs per call, 1 or 2. Default 1. */
  readonly lanes?: 1 | 2;
  /** With `lanes: 2`, the arrays stored interleaved (the others get one address per lane). */
  readonly interleaved?: readonly string[];
}

/** SIMD opcodes (prefix 0xfd; WebAssembly 2.0 §5.4.8). */
const SIMD = {
  prefix: 0xfd, load: 0x00, load64Splat: 0x0a, store: 0x0b, const: 0x0c,
  f64x2ExtractLane: 0x21, load64Lane: 0x57,
  f64x2Neg: 0xed, f64x2Add: 0xf0, f64x2Sub: 0xf1, f64x2Mul: 0xf2,
} as const;
const V128 = 0x7b;
/** log2 of the alignment of a v128 access. */
const ALIGN_V128 = 4;

/** The address parameters of `arrays`: one per array, or one per lane for per-lane arrays. */
function addressSlots(arrays: readonly ArrayParam[], lanes: number, interleaved: ReadonlySet<string>): number {
  return arrays.reduce((n, p) => n + (lanes === 2 && !interleaved.has(p.name) ? 2 : 1), 0);
}

/** One function body: locals declared by `let`, array addresses as parameters. */
class FunctionBuilder {
  readonly code = new Bytes();
  private readonly locals = new Map<string, number>();
  /** Address parameter(s) of each array: `[all]` or `[lane 0, lane 1]`. */
  private readonly params = new Map<string, number[]>();
  private readonly paramCount: number;
  /** The v128 scratch local of per-lane stores (after the `let` locals), and whether it is used. */
  private scratch = -1;
  private usesScratch = false;

  constructor(private readonly where: string, arrays: readonly ArrayParam[], private readonly lanes: 1 | 2, interleaved: ReadonlySet<string>) {
    let k = 0;
    for (const p of arrays) {
      const n = lanes === 2 && !interleaved.has(p.name) ? 2 : 1;
      this.params.set(p.name, n === 2 ? [k, k + 1] : [k]);
      k += n;
    }
    this.paramCount = k;
  }

  private address(array: string): number[] {
    const k = this.params.get(array);
    if (k === undefined) throw new AnisoError('E_ARG', `kernel emitter: array '${array}' is not a parameter of ${this.where}`);
    return k;
  }

  private localIndex(name: string): number {
    const k = this.locals.get(name);
    if (k === undefined) throw new AnisoError('E_ARG', `kernel emitter: local '${name}' used before its let in ${this.where}`);
    return k;
  }

  private simd(op: number): Bytes {
    return this.code.byte(SIMD.prefix).u32(op);
  }

  /** Push `e` (IR order). */
  expr(e: Expr): void {
    const c = this.code, two = this.lanes === 2;
    switch (e.op) {
      case 'const':
        if (!Number.isFinite(e.value)) throw new AnisoError('E_ARG', `kernel emitter: non-finite constant ${e.value} in ${this.where}`);
        if (two) this.simd(SIMD.const).f64(e.value).f64(e.value);
        else c.byte(OP.f64Const).f64(e.value);
        return;
      case 'local':
        c.byte(OP.localGet).u32(this.localIndex(e.name));
        return;
      case 'load': {
        const a = this.address(e.array);
        if (!two) c.byte(OP.localGet).u32(a[0]!).byte(OP.f64Load).u32(ALIGN_F64).u32(8 * e.index);
        else if (a.length === 1) {
          c.byte(OP.localGet).u32(a[0]!);
          this.simd(SIMD.load).u32(ALIGN_V128).u32(16 * e.index);
        } else {
          // lane 1's address under lane 0's splatted value, then lane 1 loaded into its lane
          c.byte(OP.localGet).u32(a[1]!).byte(OP.localGet).u32(a[0]!);
          this.simd(SIMD.load64Splat).u32(ALIGN_F64).u32(8 * e.index);
          this.simd(SIMD.load64Lane).u32(ALIGN_F64).u32(8 * e.index).byte(1);
        }
        return;
      }
      case 'add':
        this.expr(e.args[0]!);
        for (let k = 1; k < e.args.length; k++) {
          const a = e.args[k]!;
          if (a.op === 'neg') {
            this.expr(a.arg);
            if (two) this.simd(SIMD.f64x2Sub);
            else c.byte(OP.f64Sub);
          } else {
            this.expr(a);
            if (two) this.simd(SIMD.f64x2Add);
            else c.byte(OP.f64Add);
          }
        }
        return;
      case 'mul':
        this.expr(e.args[0]!);
        for (let k = 1; k < e.args.length; k++) {
          this.expr(e.args[k]!);
          if (two) this.simd(SIMD.f64x2Mul);
          else c.byte(OP.f64Mul);
        }
        return;
      case 'neg':
        this.expr(e.arg);
        if (two) this.simd(SIMD.f64x2Neg);
        else c.byte(OP.f64Neg);
        return;
    }
  }

  /** Append the statements of `stage`. */
  stage(stage: KernelStage): void {
    const c = this.code;
    this.scratch = this.paramCount + this.locals.size + stage.body.filter((st) => st.op === 'let').length;
    for (const s of stage.body) {
      if (s.op === 'let') {
        this.expr(s.value);
        if (this.locals.has(s.name)) throw new AnisoError('E_ARG', `kernel emitter: local '${s.name}' bound twice in ${this.where}`);
        const k = this.paramCount + this.locals.size;
        this.locals.set(s.name, k);
        c.byte(OP.localSet).u32(k);
        continue;
      }
      const a = this.address(s.array);
      if (this.lanes === 1 || a.length === 1) {
        const [load, store, align, size] = this.lanes === 1 ? [OP.f64Load, OP.f64Store, ALIGN_F64, 8] : [-1, -1, ALIGN_V128, 16];
        c.byte(OP.localGet).u32(a[0]!);
        if (s.accumulate) {
          c.byte(OP.localGet).u32(a[0]!);
          if (load >= 0) c.byte(load).u32(align).u32(size * s.index);
          else this.simd(SIMD.load).u32(align).u32(size * s.index);
        }
        this.expr(s.value);
        if (s.accumulate) {
          if (this.lanes === 1) c.byte(OP.f64Add);
          else this.simd(SIMD.f64x2Add);
        }
        if (store >= 0) c.byte(store).u32(align).u32(size * s.index);
        else this.simd(SIMD.store).u32(align).u32(size * s.index);
        continue;
      }
      // per-lane array: the vector into the scratch local, then lane 0's element, then lane 1's
      this.expr(s.value);
      const t = this.scratch;
      this.usesScratch = true;
      c.byte(OP.localSet).u32(t);
      for (let lane = 0; lane < 2; lane++) {
        c.byte(OP.localGet).u32(a[lane]!);
        if (s.accumulate) c.byte(OP.localGet).u32(a[lane]!).byte(OP.f64Load).u32(ALIGN_F64).u32(8 * s.index);
        c.byte(OP.localGet).u32(t);
        this.simd(SIMD.f64x2ExtractLane).byte(lane);
        if (s.accumulate) c.byte(OP.f64Add);
        c.byte(OP.f64Store).u32(ALIGN_F64).u32(8 * s.index);
      }
    }
  }

  /** The encoded body (locals vector, code, `end`) with its size prefix. */
  finish(): Bytes {
    const body = new Bytes();
    const type = this.lanes === 2 ? V128 : F64;
    const count = this.locals.size + (this.usesScratch ? 1 : 0);
    if (count > 0) body.u32(1).u32(count).byte(type);
    else body.u32(0);
    body.append(this.code).byte(OP.end);
    return new Bytes().u32(body.length).append(body);
  }
}

function section(out: Bytes, id: number, content: Bytes): void {
  out.byte(id).u32(content.length).append(content);
}

/** Pages (64 KiB) a shared memory may grow to: the 4 GiB of 32-bit addresses. */
export const WASM_MAX_PAGES = 65536;

/**
 * The binary module of `program`: imports `env.memory` (shared, up to {@link WASM_MAX_PAGES}),
 * exports `run(addr₀, addr₁, …)` with one i32 byte address per array of `program.params` (two,
 * lane 0 then lane 1, for a per-lane array of a two-lane module; see {@link WasmEmitOptions}).
 * @throws AnisoError `E_ARG` for a load or store of an array a stage does not declare, a local used
 *   before it is bound or bound twice, or a non-finite constant.
 */
export function emitWasmModule(program: KernelProgram, options: WasmEmitOptions = {}): Uint8Array {
  const lanes = options.lanes ?? 1;
  if (lanes !== 1 && lanes !== 2) throw new AnisoError('E_ARG', `kernel emitter: lanes ${String(lanes)} is not 1 or 2`);
  const interleaved = new Set(options.interleaved ?? []);
  const known = new Set(program.params.map((p) => p.name));
  for (const name of interleaved) {
    if (!known.has(name)) throw new AnisoError('E_ARG', `kernel emitter: interleaved array '${name}' is not a parameter of program '${program.name}'`);
  }
  for (const st of program.stages) {
    for (const p of st.params) {
      if (!known.has(p.name)) throw new AnisoError('E_ARG', `kernel emitter: stage '${st.name}' uses array '${p.name}' that program '${program.name}' does not declare`);
    }
  }
  // Types: one per distinct arity (all parameters i32, no results).
  const arities: number[] = [];
  const typeOf = (n: number): number => {
    let k = arities.indexOf(n);
    if (k < 0) k = arities.push(n) - 1;
    return k;
  };
  const stageTypes = program.stages.map((s) => typeOf(addressSlots(s.params, lanes, interleaved)));
  const runType = typeOf(addressSlots(program.params, lanes, interleaved));

  const out = new Bytes();
  out.byte(0x00).byte(0x61).byte(0x73).byte(0x6d).byte(0x01).byte(0x00).byte(0x00).byte(0x00);
  const types = new Bytes().u32(arities.length);
  for (const n of arities) {
    types.byte(0x60).u32(n);
    for (let k = 0; k < n; k++) types.byte(I32);
    types.u32(0);
  }
  section(out, 1, types);
  // import env.memory: shared limits (flag 3), min 0, max WASM_MAX_PAGES
  section(out, 2, new Bytes().u32(1).name('env').name('memory').byte(0x02).byte(0x03).u32(0).u32(WASM_MAX_PAGES));
  const funcs = new Bytes().u32(program.stages.length + 1);
  for (const t of stageTypes) funcs.u32(t);
  funcs.u32(runType);
  section(out, 3, funcs);
  section(out, 7, new Bytes().u32(1).name('run').byte(0x00).u32(program.stages.length));
  const code = new Bytes().u32(program.stages.length + 1);
  for (const st of program.stages) {
    const f = new FunctionBuilder(`stage '${st.name}' of '${program.name}'`, st.params, lanes, interleaved);
    f.stage(st);
    code.append(f.finish());
  }
  // run: call each stage with the address(es) of its arrays
  const first = new Map<string, number>();
  let slot = 0;
  for (const p of program.params) {
    first.set(p.name, slot);
    slot += lanes === 2 && !interleaved.has(p.name) ? 2 : 1;
  }
  const run = new Bytes().u32(0);
  program.stages.forEach((st, k) => {
    for (const p of st.params) {
      const a = first.get(p.name)!;
      run.byte(OP.localGet).u32(a);
      if (lanes === 2 && !interleaved.has(p.name)) run.byte(OP.localGet).u32(a + 1);
    }
    run.byte(OP.call).u32(k);
  });
  run.byte(OP.end);
  code.append(new Bytes().u32(run.length).append(run));
  section(out, 10, code);
  return out.bytes();
}
