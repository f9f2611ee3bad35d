// SPDX-License-Identifier: BSD-3-Clause
/**
 * Output locations checked before any computation: a command that will write a file (or fill a
 * directory) calls {@link checkOutputFile} / {@link checkOutputDirectory} first, so that a missing,
 * read-only or wrong-kind location fails in milliseconds with a message naming the path and the
 * reason (`AnisoError('E_ARG')`, exit code 2) instead of after minutes of work.
 *
 * Writability is tested, not guessed from mode bits: a temporary file is created (exclusively) in
 * the directory that will receive the output and removed at once. Nothing else is created; an
 * existing output file is neither opened nor touched.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AnisoError } from '../src/core/errors.js';

/** Options of the output checks. */
export interface OutputCheckOptions {
  /** The flag or setting that named the path, for the message (e.g. `--out`, `output.report`). */
  what?: string;
  /** The command creates missing directories (`mkdir -p`): a missing one is fine if its nearest existing ancestor is a writable directory. */
  createsDirectories?: boolean;
  /** Error code: `E_ARG` (default, a command-line flag) or `E_CONFIG` (a configuration setting); both exit 2. */
  code?: 'E_ARG' | 'E_CONFIG';
}

/** What names the path in messages, and the error code. */
interface Subject {
  what: string;
  code: 'E_ARG' | 'E_CONFIG';
}

function subject(options: OutputCheckOptions): Subject {
  return { what: options.what ?? '--out', code: options.code ?? 'E_ARG' };
}

function fail(who: Subject, path: string, reason: string): never {
  throw new AnisoError(who.code, `${who.what} ${path}: ${reason}`);
}

/** `stat` of `p`, or null when it (or a directory on the way) does not exist; a refused look is a failure naming `p`. */
function statOrNull(who: Subject, path: string, p: string): Stats | null {
  try {
    return statSync(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    fail(who, path, `cannot look at ${p} (${code ?? (err as Error).message}${code === 'EACCES' ? ': permission denied' : ''})`);
  }
}

/** Create and remove a temporary file in the directory `dir`; fail with the reason if that is refused. */
function probeWritable(who: Subject, path: string, dir: string): void {
  const probe = join(dir, `.anisodrive-write-check.${process.pid}.${randomBytes(4).toString('hex')}`);
  try {
    closeSync(openSync(probe, 'wx'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const reason =
      e.code === 'EACCES' || e.code === 'EPERM' ? `directory ${dir} is not writable (${e.code}: permission denied)` :
      e.code === 'EROFS' ? `directory ${dir} is on a read-only file system (EROFS)` :
      `cannot create a file in directory ${dir} (${e.code ?? e.message})`;
    fail(who, path, reason);
  }
  unlinkSync(probe);
}

/**
 * The directory that will receive the output `dir` (itself when it exists, else its nearest
 * existing ancestor when directories may be created), checked to be a writable directory.
 */
function checkDirectory(who: Subject, path: string, dir: string, createsDirectories: boolean): void {
  const target = resolve(dir);
  let d = target;
  let st = statOrNull(who, path, d);
  while (st === null) {
    const up = dirname(d);
    if (up === d) fail(who, path, `no existing ancestor of directory ${dir}`);
    d = up;
    st = statOrNull(who, path, d);
  }
  if (!st.isDirectory()) fail(who, path, `${d === target ? dir : d} is not a directory (ENOTDIR)`);
  if (d !== target && !createsDirectories) fail(who, path, `directory ${dir} does not exist (ENOENT)`);
  probeWritable(who, path, d);
}

/**
 * Check that the file `path` can be written: its directory exists (or, with
 * `createsDirectories`, can be created), is a directory and is writable, and `path` itself is not
 * a directory. Throws `AnisoError('E_ARG')` naming the path and the reason.
 */
export function checkOutputFile(path: string, options: OutputCheckOptions = {}): void {
  const who = subject(options);
  const st = statOrNull(who, path, path);
  if (st?.isDirectory()) fail(who, path, 'is a directory (EISDIR), expected a file');
  checkDirectory(who, path, dirname(path), options.createsDirectories ?? false);
}

/**
 * Check that the directory `dir` can receive output files: it exists and is a writable directory,
 * or (with `createsDirectories`, the default here) its nearest existing ancestor is one. Throws
 * `AnisoError('E_ARG')` naming the path and the reason.
 */
export function checkOutputDirectory(dir: string, options: OutputCheckOptions = {}): void {
  checkDirectory(subject(options), dir, dir, options.createsDirectories ?? true);
}
