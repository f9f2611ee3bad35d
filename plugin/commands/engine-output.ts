// SPDX-License-Identifier: BSD-3-Clause
/**
 * The engine's output files, written so that an existing file is never lost: each output is
 * written to a hidden temporary file in the target's directory (`io/atomic-write.ts` names it),
 * created before the engine listens (so an unwritable location fails at once), and renamed over
 * the target only when the run ends normally. A failed run that wrote something keeps it as
 * `<prefix>.partial.<ext>`; one that wrote nothing leaves no file behind.
 */
import { open, rename, unlink } from 'node:fs/promises';
import { once } from 'node:events';
import type { WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { AnisoError } from '../../src/core/errors.js';
import { temporaryPathFor } from '../../src/io/atomic-write.js';

/** Why a file cannot be created at `path`, from the error of creating it (or a file next to it). */
export function unwritableReason(path: string, err: NodeJS.ErrnoException): string {
  const dir = dirname(path);
  if (err.code === 'ENOENT') return `directory ${dir} does not exist`;
  if (err.code === 'ENOTDIR') return `a component of ${dir} is not a directory`;
  if (err.code === 'EACCES' || err.code === 'EPERM') return `permission denied to write in ${dir}`;
  if (err.code === 'EROFS') return `${dir} is on a read-only file system`;
  return `${err.code ?? ''} ${err.message}`.trim();
}

/** One output file in the making: a temporary file until {@link commit}. */
export class PendingOutput {
  #failure: Error | null = null;
  #done = false;

  private constructor(
    /** The file this becomes on {@link commit}. */
    readonly path: string,
    /** Where the text goes meanwhile. */
    readonly temporaryPath: string,
    private readonly stream: WriteStream,
  ) {
    stream.on('error', (err) => (this.#failure ??= err));
  }

  /**
   * Create the temporary file for `path`. Throws `E_ARG` naming `path` and the reason (missing
   * directory, permission) when it cannot be created; `path` itself is not touched.
   */
  static async create(path: string): Promise<PendingOutput> {
    const tmp = temporaryPathFor(path);
    try {
      const fh = await open(tmp, 'wx', 0o644);
      return new PendingOutput(path, tmp, fh.createWriteStream());
    } catch (err) {
      throw new AnisoError('E_ARG', `cannot write the output ${path}: ${unwritableReason(path, err as NodeJS.ErrnoException)}`, { cause: err });
    }
  }

  /** Append `text` (buffered; a write error surfaces at {@link commit} or {@link keepAs}). */
  write(text: string): void {
    if (!this.#done) this.stream.write(text);
  }

  async #finish(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    if (!this.stream.destroyed) {
      this.stream.end();
      await Promise.race([once(this.stream, 'close'), once(this.stream, 'error')]).catch(() => undefined);
    }
  }

  /** Close and rename the temporary file over {@link path}. Throws `E_IO` if writing failed. */
  async commit(): Promise<void> {
    await this.keepAs(this.path);
  }

  /** Close and rename the temporary file to `target` instead (a partial result). */
  async keepAs(target: string): Promise<void> {
    await this.#finish();
    if (this.#failure) {
      await unlink(this.temporaryPath).catch(() => undefined);
      throw new AnisoError('E_IO', `cannot write the output ${this.path}: ${this.#failure.message}`, { cause: this.#failure });
    }
    await rename(this.temporaryPath, target);
  }

  /** Close and delete the temporary file; {@link path} stays as it was. */
  async discard(): Promise<void> {
    await this.#finish();
    await unlink(this.temporaryPath).catch(() => undefined);
  }
}
