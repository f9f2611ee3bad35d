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
    new DataView(this.buf.buffer, this.buf.byteOffset + this.len, 8).setFloat64(0, x, true);
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

/** One function body: locals declared by `let`, array addresses as parameters. */
class FunctionBuilder {
  readonly code = new Bytes();
  private readonly locals = new Map<string, number>();
  private readonly params: Map<string, number>;

  constructor(private readonly where: string, arrays: readonly ArrayParam[]) {
    this.params = new Map(arrays.map((p, k) => [p.name, k]));
  }

  /** Number of f64 locals declared. */
  get localCount(): number {
    return this.locals.size;
  }

  private address(array: string): number {
    const k = this.params.get(array);
    if (k === undefined) throw new AnisoError('E_ARG', `kernel emitter: array '${array}' is not a parameter of ${this.where}`);
    return k;
  }

  private localIndex(name: string): number {
    const k = this.locals.get(name);
    if (k === undefined) throw new AnisoError('E_ARG', `kernel emitter: local '${name}' used before its let in ${this.where}`);
    return k;
  }

  /** Push `e` (IR order). */
  expr(e: Expr): void {
    const c = this.code;
    switch (e.op) {
      case 'const':
        if (!Number.isFinite(e.value)) throw new AnisoError('E_ARG', `kernel emitter: non-finite constant ${e.value} in ${this.where}`);
        c.byte(OP.f64Const).f64(e.value);
        return;
      case 'local':
        c.byte(OP.localGet).u32(this.localIndex(e.name));
        return;
      case 'load':
        c.byte(OP.localGet).u32(this.address(e.array)).byte(OP.f64Load).u32(ALIGN_F64).u32(8 * e.index);
        return;
      case 'add':
        this.expr(e.args[0]!);
        for (let k = 1; k < e.args.length; k++) {
          const a = e.args[k]!;
          if (a.op === 'neg') {
            this.expr(a.arg);
            c.byte(OP.f64Sub);
          } else {
            this.expr(a);
            c.byte(OP.f64Add);
          }
        }
        return;
      case 'mul':
        this.expr(e.args[0]!);
        for (let k = 1; k < e.args.length; k++) {
          this.expr(e.args[k]!);
          c.byte(OP.f64Mul);
        }
        return;
      case 'neg':
        this.expr(e.arg);
        c.byte(OP.f64Neg);
        return;
    }
  }

  /** Append the statements of `stage`. */
  stage(stage: KernelStage): void {
    const c = this.code;
    for (const s of stage.body) {
      if (s.op === 'let') {
        this.expr(s.value);
        if (this.locals.has(s.name)) throw new AnisoError('E_ARG', `kernel emitter: local '${s.name}' bound twice in ${this.where}`);
        const k = this.params.size + this.locals.size;
        this.locals.set(s.name, k);
        c.byte(OP.localSet).u32(k);
      } else {
        const base = this.address(s.array);
        c.byte(OP.localGet).u32(base);
        if (s.accumulate) c.byte(OP.localGet).u32(base).byte(OP.f64Load).u32(ALIGN_F64).u32(8 * s.index);
        this.expr(s.value);
        if (s.accumulate) c.byte(OP.f64Add);
        c.byte(OP.f64Store).u32(ALIGN_F64).u32(8 * s.index);
      }
    }
  }

  /** The encoded body (locals vector, code, `end`) with its size prefix. */
  finish(): Bytes {
    const body = new Bytes();
    if (this.locals.size > 0) body.u32(1).u32(this.locals.size).byte(F64);
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
 * exports `run(addr₀, addr₁, …)` with one i32 byte address per array of `program.params`.
 * @throws AnisoError `E_ARG` for a load or store of an array a stage does not declare, a local used
 *   before it is bound or bound twice, or a non-finite constant.
 */
export function emitWasmModule(program: KernelProgram): Uint8Array {
  const known = new Set(program.params.map((p) => p.name));
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
  const stageTypes = program.stages.map((s) => typeOf(s.params.length));
  const runType = typeOf(program.params.length);

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
    const f = new FunctionBuilder(`stage '${st.name}' of '${program.name}'`, st.params);
    f.stage(st);
    code.append(f.finish());
  }
  // run: call each stage with the addresses of its arrays
  const index = new Map(program.params.map((p, k) => [p.name, k]));
  const run = new Bytes().u32(0);
  program.stages.forEach((st, k) => {
    for (const p of st.params) run.byte(OP.localGet).u32(index.get(p.name)!);
    run.byte(OP.call).u32(k);
  });
  run.byte(OP.end);
  code.append(new Bytes().u32(run.length).append(run));
  section(out, 10, code);
  return out.bytes();
}
