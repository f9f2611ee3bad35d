// SPDX-License-Identifier: BSD-3-Clause
/**
 * The line the CLI prints for a failure (`anisodrive: error: LINE`): expected failures — the
 * library's `AnisoError`s and Node's system errors (`ENOENT`, `EACCES`, `ENOSPC`, …) — as one line
 * with the path and the code, never a stack trace; only unexpected errors (bugs) keep their stack.
 */
import { AnisoError } from '../src/core/errors.js';

/** Whether `err` is a Node system error (`ENOENT`, `EACCES`, …): an expected I/O failure, not a bug. */
export function isErrnoException(err: unknown): err is NodeJS.ErrnoException & { code: string } {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && /^E[A-Z0-9]+$/.test((err as NodeJS.ErrnoException).code!);
}

/**
 * The one line printed for a failure: the message and code of an `AnisoError`; the message of a
 * Node system error with its path (no stack: these are expected I/O failures); the stack of
 * anything else (a bug).
 */
export function errorLine(err: unknown): string {
  if (err instanceof AnisoError) return `${err.message} [${err.code}]`;
  if (isErrnoException(err)) {
    const path = err.path && !err.message.includes(err.path) ? ` (${err.path})` : '';
    return `${err.message}${path} [${err.code}]`;
  }
  return (err as Error)?.stack ?? String(err);
}
