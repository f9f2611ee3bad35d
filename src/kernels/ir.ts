// SPDX-License-Identifier: BSD-3-Clause
/**
 * A small straight-line intermediate representation for generated numeric kernels: programs of
 * one or more stages (functions called in order with the same arrays), each a list of `let`
 * bindings and array stores over expressions of constants, locals, array loads, n-ary sums and
 * products and negation. No loops, branches or calls: every index is a constant, so the same IR
 * can be emitted as JavaScript (`emit-js.ts`), or as WGSL / gpu.js beside it.
 *
 * Evaluation order is part of the meaning (floating-point addition is not associative): `add`
 * and `mul` fold their arguments left to right, `((a₀ ∘ a₁) ∘ a₂) ∘ …`, and every emitter must
 * keep that order so that all backends of one precision give the same numbers.
 *
 * Arrays are parameters of the program, each optionally paired with an offset parameter:
 * `{ name: 'D', offset: 'dOff' }` makes `load(D, k)` read `D[dOff + k]`.
 */

/** An array parameter, optionally with a scalar offset parameter added to every index. */
export interface ArrayParam {
  /** Name of the array (an identifier). */
  readonly name: string;
  /** Name of its offset parameter, or null for absolute indices. */
  readonly offset: string | null;
}

/** A scalar expression. */
export type Expr =
  | { readonly op: 'const'; readonly value: number }
  | { readonly op: 'local'; readonly name: string }
  | { readonly op: 'load'; readonly array: string; readonly index: number }
  | { readonly op: 'add'; readonly args: readonly Expr[] }
  | { readonly op: 'mul'; readonly args: readonly Expr[] }
  | { readonly op: 'neg'; readonly arg: Expr };

/** A statement: bind a local once, or store (or add) into an array element. */
export type Stmt =
  | { readonly op: 'let'; readonly name: string; readonly value: Expr }
  | { readonly op: 'store'; readonly array: string; readonly index: number; readonly value: Expr; readonly accumulate: boolean };

/** One stage: straight-line code over some of the program's arrays. */
export interface KernelStage {
  /** Name for profiles and error messages, e.g. `'moments-0'`. */
  readonly name: string;
  /** The arrays this stage uses (a subset of the program's, in the program's order). */
  readonly params: readonly ArrayParam[];
  /** Statements in order. */
  readonly body: readonly Stmt[];
}

/** A kernel: its arrays and the stages run one after another. */
export interface KernelProgram {
  /** Kernel name, e.g. `'anisoap/pair-features'`. */
  readonly name: string;
  /** The arrays of the kernel in call order. */
  readonly params: readonly ArrayParam[];
  /** Stages in call order. */
  readonly stages: readonly KernelStage[];
}

/** `value` as an expression. */
export function constant(value: number): Expr {
  return { op: 'const', value };
}

/** The local `name`. */
export function local(name: string): Expr {
  return { op: 'local', name };
}

/** `array[offset + index]` (or `array[index]` without offset). */
export function load(array: string, index: number): Expr {
  return { op: 'load', array, index };
}

/** Left-to-right sum; a single argument is returned as is; no argument is the constant 0. */
export function add(args: readonly Expr[]): Expr {
  if (args.length === 0) return constant(0);
  return args.length === 1 ? args[0]! : { op: 'add', args };
}

/** Left-to-right product; a single argument is returned as is; no argument is the constant 1. */
export function mul(args: readonly Expr[]): Expr {
  if (args.length === 0) return constant(1);
  return args.length === 1 ? args[0]! : { op: 'mul', args };
}

/** `−arg`. */
export function neg(arg: Expr): Expr {
  return { op: 'neg', arg };
}

/** Number of multiplications in a stage (a size measure for chunking and tests). */
export function countMultiplications(stage: KernelStage): number {
  let count = 0;
  const visit = (e: Expr): void => {
    if (e.op === 'mul') count += e.args.length - 1;
    if (e.op === 'add' || e.op === 'mul') e.args.forEach(visit);
    else if (e.op === 'neg') visit(e.arg);
  };
  for (const s of stage.body) visit(s.value);
  return count;
}
