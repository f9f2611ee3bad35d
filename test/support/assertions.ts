// SPDX-License-Identifier: BSD-3-Clause
/** Shared expectations: library errors (codes, messages, rejections), finite-difference agreement. */
import { expect } from 'vitest';
import { AnisoError } from '../../src/core/errors.js';
import type { FdErrors } from './finite-difference.js';

/** `fn` throws an {@link AnisoError} with `code` and a message matching `pattern`. */
export function expectCode(fn: () => unknown, code: string, pattern: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AnisoError);
    expect((e as AnisoError).code).toBe(code);
    expect((e as Error).message).toMatch(pattern);
    return;
  }
  throw new Error('expected an error');
}

/** The `code` of the {@link AnisoError} that `fn` throws (asserting it is one), or `'no error'`. */
export function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AnisoError);
    return (e as AnisoError).code;
  }
  return 'no error';
}

/** The error that `p` rejects with (typed as an {@link AnisoError}; callers check it); throws if `p` resolves. */
export async function rejection(p: Promise<unknown>): Promise<AnisoError> {
  try {
    await p;
  } catch (err) {
    return err as AnisoError;
  }
  throw new Error('expected a rejection');
}

/**
 * Every relative error in `err` (forces, virial, and torques where present) is below `tol`. With
 * a `label`, first logs `[fd] <label>: forces …[, torques …], virial …`.
 */
export function expectFdMatch(err: FdErrors, tol: number, label?: string): void {
  if (label !== undefined) {
    const torques = err.torques === undefined ? '' : `, torques ${err.torques.toExponential(2)}`;
    console.log(`[fd] ${label}: forces ${err.forces.toExponential(2)}${torques}, virial ${err.virial.toExponential(2)}`);
  }
  expect(err.forces).toBeLessThan(tol);
  if (err.torques !== undefined) expect(err.torques).toBeLessThan(tol);
  expect(err.virial).toBeLessThan(tol);
}
