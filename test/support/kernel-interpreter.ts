// SPDX-License-Identifier: BSD-3-Clause
/**
 * A direct interpreter of the kernel IR (`src/kernels/ir.ts`), independent of any emitter: it
 * walks the expressions and folds `add` / `mul` left to right, as the IR defines. Tests compare
 * compiled kernels with it bitwise.
 */
import type { Expr, KernelProgram } from '../../src/kernels/ir.js';

/** Arrays and offsets by parameter name (`offsets[param.offset]`). */
export interface InterpreterArgs {
  arrays: Record<string, Float64Array>;
  offsets: Record<string, number>;
}

/** Run `program` on `args` (arrays are modified in place). */
export function interpret(program: KernelProgram, args: InterpreterArgs): void {
  for (const stage of program.stages) {
    const locals = new Map<string, number>();
    const off = new Map(stage.params.map((p) => [p.name, p.offset === null ? 0 : args.offsets[p.offset]!]));
    const at = (array: string, index: number) => {
      if (!off.has(array)) throw new Error(`interpreter: unknown array ${array}`);
      return off.get(array)! + index;
    };
    const ev = (e: Expr): number => {
      switch (e.op) {
        case 'const': return e.value;
        case 'local': {
          const v = locals.get(e.name);
          if (v === undefined) throw new Error(`interpreter: local ${e.name} used before its definition`);
          return v;
        }
        case 'load': return args.arrays[e.array]![at(e.array, e.index)]!;
        case 'add': return e.args.slice(1).reduce((s, a) => s + ev(a), ev(e.args[0]!));
        case 'mul': return e.args.slice(1).reduce((s, a) => s * ev(a), ev(e.args[0]!));
        case 'neg': return -ev(e.arg);
      }
    };
    for (const s of stage.body) {
      if (s.op === 'let') {
        if (locals.has(s.name)) throw new Error(`interpreter: local ${s.name} bound twice`);
        locals.set(s.name, ev(s.value));
      } else {
        const a = args.arrays[s.array]!, k = at(s.array, s.index), v = ev(s.value);
        a[k] = s.accumulate ? a[k]! + v : v;
      }
    }
  }
}
