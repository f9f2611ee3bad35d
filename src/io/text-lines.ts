// SPDX-License-Identifier: BSD-3-Clause
/**
 * Streaming text input: a file (plain or gzip, detected by its magic bytes `1f 8b`, not by its
 * name) read in chunks and split into lines, so that readers hold one chunk and one frame at a
 * time whatever the file size.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { AnisoError } from '../core/errors.js';

/** Longest line accepted (characters); longer ones are errors rather than unbounded buffering. */
export const MAX_LINE_LENGTH = 1 << 26;

/**
 * Splits text chunks into lines (`\n`, `\r\n`), keeping the incomplete tail between chunks.
 * @throws AnisoError `E_IO` (via `tooLong`) when a line grows beyond {@link MAX_LINE_LENGTH}
 */
export class LineSplitter {
  private rest = '';

  /** @param tooLong builds the error for an over-long line, given the count of complete lines before it */
  constructor(private readonly tooLong: (linesBefore: number) => Error = (k) => new AnisoError('E_IO', `line ${k + 1} is longer than ${MAX_LINE_LENGTH} characters`)) {}

  private count = 0;

  /** The complete lines of `chunk` (with what was left over before it). */
  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop()!;
    if (this.rest.length > MAX_LINE_LENGTH) throw this.tooLong(this.count + lines.length);
    for (let k = 0; k < lines.length; k++) {
      const l = lines[k]!;
      if (l.length > 0 && l.charCodeAt(l.length - 1) === 13) lines[k] = l.slice(0, -1);
    }
    this.count += lines.length;
    return lines;
  }

  /** The last line (not ended by a newline), if any. */
  end(): string[] {
    const r = this.rest;
    this.rest = '';
    if (r === '') return [];
    this.count++;
    return [r.endsWith('\r') ? r.slice(0, -1) : r];
  }
}

/** Does the file start with the gzip magic bytes? */
export async function isGzipFile(path: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw new AnisoError('E_IO', `${path}: cannot open: ${(err as Error).message}`, { cause: err });
  }
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } catch (err) {
    throw new AnisoError('E_IO', `${path}: cannot read: ${(err as Error).message}`, { cause: err });
  } finally {
    await fh.close();
  }
}

/** An open text input: a byte stream (decompressed if needed) and whether it was gzip. */
export interface TextInput {
  stream: Readable;
  gzip: boolean;
  /** Destroy the underlying streams (idempotent). */
  close(): void;
}

/** Open `path` for streaming, decompressing gzip files. */
export async function openTextInput(path: string): Promise<TextInput> {
  const gzip = await isGzipFile(path);
  const file = createReadStream(path, { highWaterMark: 1 << 16 });
  if (!gzip) return { stream: file, gzip, close: () => file.destroy() };
  const gunzip = createGunzip();
  file.on('error', (err) => gunzip.destroy(err));
  file.pipe(gunzip);
  return {
    stream: gunzip,
    gzip,
    close: () => {
      file.unpipe(gunzip);
      file.destroy();
      gunzip.destroy();
    },
  };
}

/**
 * The lines of `path` in batches (one batch per chunk read), plain or gzip. The batch arrays are
 * fresh each time; the last line needs no newline.
 * @param onError maps stream errors (I/O, corrupt gzip) to the error to throw, given the number of
 *   lines delivered so far
 */
export async function* lineBatches(path: string, onError: (err: Error, linesSoFar: number) => Error): AsyncGenerator<string[]> {
  const input = await openTextInput(path);
  let delivered = 0;
  const splitter = new LineSplitter((k) => new AnisoError('E_IO', `${path}:${k + 1}: line is longer than ${MAX_LINE_LENGTH} characters`));
  const decoder = new StringDecoder('utf8');
  try {
    try {
      for await (const chunk of input.stream) {
        const lines = splitter.push(decoder.write(chunk as Buffer));
        if (lines.length > 0) {
          delivered += lines.length;
          yield lines;
        }
      }
    } catch (err) {
      if (err instanceof AnisoError) throw err;
      throw onError(err as Error, delivered);
    }
    const tail = splitter.push(decoder.end());
    tail.push(...splitter.end());
    if (tail.length > 0) yield tail;
  } finally {
    input.close();
  }
}
