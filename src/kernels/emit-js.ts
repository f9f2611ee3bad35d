// SPDX-License-Identifier: BSD-3-Clause
/**
 * JavaScript emitter of the kernel IR (`ir.ts`): each stage becomes one strict-mode function
 * compiled with `new Function` (every constant a literal, every local a `const`), and a program
 * becomes a composite that calls its stages from fixed call sites (so each site stays
 * monomorphic for V8). Sums and products are printed as left-to-right chains with the
 * parentheses the IR's order needs, so the JavaScript evaluates exactly the IR's operations in the
 * IR's order (f64, no fused multiply-add: bitwise reproducible).
 *
 * Keep generated functions below about 60 KB of bytecode (a few thousand multiply–adds): V8's
 * optimising compiler refuses larger ones. Splitting into stages is the IR builder's job.
 */
import { AnisoError } from '../core/errors.js';
import type { ArrayParam, Expr, KernelProgram, KernelStage } from './ir.js';

/** A compiled kernel: call it with the program's arrays (and offsets) in parameter order. */
export type JsKernel = (...args: never[]) => void;

/** The JavaScript parameter names of `params`: each array, followed by its offset if any. */
export function jsParameterNames(params: readonly ArrayParam[]): string[] {
  const out: string[] = [];
  for (const p of params) {
    out.push(p.name);
    if (p.offset !== null) out.push(p.offset);
  }
  return out;
}

/** Shortest exact round-trip literal of `x` (`-0` kept). */
function literal(x: number): string {
  if (!Number.isFinite(x)) throw new AnisoError('E_ARG', `kernel emitter: non-finite constant ${x}`);
  return Object.is(x, -0) ? '-0' : String(x);
}

type Parent = 'top' | 'add' | 'mul' | 'neg';

function print(e: Expr, offsets: ReadonlyMap<string, string | null>, parent: Parent, first: boolean): string {
  switch (e.op) {
    case 'const': {
      const s = literal(e.value);
      const negative = e.value < 0 || Object.is(e.value, -0);
      return negative && (parent === 'neg' || (parent !== 'top' && !first)) ? `(${s})` : s;
    }
    case 'local':
      return e.name;
    case 'load': {
      if (!offsets.has(e.array)) throw new AnisoError('E_ARG', `kernel emitter: load from unknown array '${e.array}'`);
      const off = offsets.get(e.array);
      return off ? `${e.array}[${off} + ${e.index}]` : `${e.array}[${e.index}]`;
    }
    case 'add': {
      let s = print(e.args[0]!, offsets, 'add', true);
      for (let k = 1; k < e.args.length; k++) {
        const a = e.args[k]!;
        s += a.op === 'neg' ? ` - ${print(a.arg, offsets, 'add', false)}` : ` + ${print(a, offsets, 'add', false)}`;
      }
      return parent === 'mul' || parent === 'neg' || (parent === 'add' && !first) ? `(${s})` : s;
    }
    case 'mul': {
      const s = e.args.map((a, k) => print(a, offsets, 'mul', k === 0)).join('*');
      return parent === 'neg' || (parent === 'mul' && !first) ? `(${s})` : s;
    }
    case 'neg': {
      const s = `-${print(e.arg, offsets, 'neg', true)}`;
      return parent === 'neg' || (parent !== 'top' && !first) ? `(${s})` : s;
    }
  }
}

/** The body of `stage` as JavaScript source (parameters: {@link jsParameterNames} of its params). */
export function emitJsStage(stage: KernelStage): string {
  const offsets = new Map<string, string | null>(stage.params.map((p) => [p.name, p.offset]));
  const lines = ['"use strict";'];
  for (const s of stage.body) {
    if (s.op === 'let') {
      lines.push(`const ${s.name} = ${print(s.value, offsets, 'top', true)};`);
    } else {
      if (!offsets.has(s.array)) throw new AnisoError('E_ARG', `kernel emitter: store to unknown array '${s.array}' in stage '${stage.name}'`);
      const off = offsets.get(s.array);
      const target = off ? `${s.array}[${off} + ${s.index}]` : `${s.array}[${s.index}]`;
      lines.push(`${target} ${s.accumulate ? '+=' : '='} ${print(s.value, offsets, 'top', true)};`);
    }
  }
  return lines.join('\n');
}

/** Compiled stages, so that programs sharing a stage object share its function. */
const stageCache = new WeakMap<KernelStage, JsKernel>();

/** Compile one stage (its body named `kernel/<program>/<stage>.js` in profiles and stack traces). */
function compileStage(program: string, stage: KernelStage): JsKernel {
  let fn = stageCache.get(stage);
  if (!fn) {
    const url = `\n//# sourceURL=kernel/${program}/${stage.name}.js`;
    fn = new Function(...jsParameterNames(stage.params), emitJsStage(stage) + url) as JsKernel;
    stageCache.set(stage, fn);
  }
  return fn;
}

/**
 * Compile `program` to one function taking {@link jsParameterNames} of its params; it calls the
 * compiled stages in order, each with its own subset of the arguments. A stage object shared by
 * several programs is compiled once.
 */
export function compileJs(program: KernelProgram): JsKernel {
  const known = new Set(program.params.map((p) => p.name));
  for (const st of program.stages) {
    for (const p of st.params) {
      if (!known.has(p.name)) throw new AnisoError('E_ARG', `kernel emitter: stage '${st.name}' uses array '${p.name}' that program '${program.name}' does not declare`);
    }
  }
  const stages = program.stages.map((st) => compileStage(program.name, st));
  const names = stages.map((_, k) => `k${k}`);
  const calls = program.stages.map((st, k) => `${names[k]}(${jsParameterNames(st.params).join(', ')});`);
  const body = `"use strict";\nreturn function (${jsParameterNames(program.params).join(', ')}) {\n${calls.join('\n')}\n};`;
  return new Function(...names, body)(...stages) as JsKernel;
}

/** A kernel bound to its arrays: call it with the offset parameters alone, in parameter order. */
export type BoundKernel = (...offsets: number[]) => void;

/**
 * The offset parameters of `params` in order, after checking that `arrays` holds a
 * `Float64Array` for every array parameter.
 * @throws AnisoError `E_ARG` naming a missing array.
 */
export function offsetNames(program: KernelProgram, arrays: Readonly<Record<string, Float64Array>>): string[] {
  for (const p of program.params) {
    if (!(arrays[p.name] instanceof Float64Array)) throw new AnisoError('E_ARG', `kernel '${program.name}': no Float64Array given for array '${p.name}'`);
  }
  return program.params.flatMap((p) => (p.offset === null ? [] : [p.offset]));
}

/**
 * `program` compiled (as {@link compileJs}) and bound to `arrays` (by parameter name): a function
 * of the offset parameters that calls the kernel with those arrays.
 * @throws AnisoError `E_ARG` for a missing array.
 */
export function bindJs(program: KernelProgram, arrays: Readonly<Record<string, Float64Array>>): BoundKernel {
  const offsets = offsetNames(program, arrays);
  const kernel = compileJs(program);
  const names = program.params.map((p) => p.name);
  const body = `"use strict";\nreturn function (${offsets.join(', ')}) {\nkernel(${jsParameterNames(program.params).join(', ')});\n};`;
  return new Function('kernel', ...names, body)(kernel, ...names.map((n) => arrays[n])) as BoundKernel;
}
