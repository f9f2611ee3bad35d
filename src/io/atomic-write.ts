// SPDX-License-Identifier: BSD-3-Clause
/**
 * All-or-nothing file output: {@link writeFileAtomically} writes into a temporary file next to the
 * target (same directory, so the final rename stays on one file system) and renames it over the
 * target only when the producer succeeds; on any error the temporary file is deleted and the target
 * is left as it was — no partial output, even when a reader fails half-way through a conversion.
 */
import { randomBytes } from 'node:crypto';
import type { WriteStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';
import { AnisoError } from '../core/errors.js';

/** Where a producer writes; `write` resolves when the text is accepted (back-pressure). */
export interface AsyncTextSink {
  write(text: string): Promise<void>;
}

/** Options of {@link writeFileAtomically}. */
export interface AtomicWriteOptions {
  /** Gzip the output: true, false, or `'auto'` (default) — when the path ends in `.gz`. */
  gzip?: boolean | 'auto';
  /** File mode of a new file (default 0o644, less the umask). */
  mode?: number;
  /** fsync the temporary file before the rename (default true). */
  fsync?: boolean;
}

/** The temporary path used for `path`: hidden, in the same directory, unique per call. */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Run `producer` with a text sink writing to a temporary file, then rename it to `path`. If the
 * producer throws (or rejects), or writing fails, the temporary file is removed and the error is
 * rethrown (file-system errors as `AnisoError('E_IO')` naming the path); `path` is untouched.
 * @returns what the producer returned
 */
export async function writeFileAtomically<T>(path: string, producer: (sink: AsyncTextSink) => T | Promise<T>, options: AtomicWriteOptions = {}): Promise<T> {
  const gzip = options.gzip === undefined || options.gzip === 'auto' ? path.endsWith('.gz') : options.gzip;
  const tmp = temporaryPathFor(path);
  const ioError = (what: string, err: unknown) =>
    err instanceof AnisoError ? err : new AnisoError('E_IO', `${path}: cannot ${what}: ${(err as Error).message}`, { cause: err });
  let file: WriteStream;
  try {
    // Open first so that a missing directory or a permission problem fails before the producer runs.
    const fh = await open(tmp, 'wx', options.mode ?? 0o644);
    file = fh.createWriteStream();
  } catch (err) {
    throw ioError('create a temporary file', err);
  }
  const gz: Gzip | null = gzip ? createGzip() : null;
  const head = gz ?? file;
  let failure: Error | null = null;
  const onError = (err: Error) => {
    failure ??= err;
  };
  file.on('error', onError);
  gz?.on('error', onError);
  if (gz) gz.pipe(file);
  const closed = once(file, 'close').catch(() => undefined);

  const sink: AsyncTextSink = {
    async write(text: string): Promise<void> {
      if (failure) throw ioError('write', failure);
      if (!head.write(text)) {
        try {
          await Promise.race([once(head, 'drain'), closed]);
        } catch (err) {
          failure ??= err as Error;
        }
        if (failure) throw ioError('write', failure);
      }
    },
  };

  const cleanup = async () => {
    gz?.unpipe(file);
    gz?.destroy();
    file.destroy();
    await closed;
    await unlink(tmp).catch(() => undefined);
  };

  let result: T;
  try {
    result = await producer(sink);
  } catch (err) {
    await cleanup();
    throw err;
  }
  try {
    if (failure) throw ioError('write', failure);
    head.end();
    await closed;
    if (failure) throw ioError('write', failure);
    if (options.fsync ?? true) {
      const fh = await open(tmp, 'r+');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
    await rename(tmp, path);
  } catch (err) {
    await cleanup();
    throw ioError('write', err);
  }
  return result;
}
