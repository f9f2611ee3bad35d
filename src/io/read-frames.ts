// SPDX-License-Identifier: BSD-3-Clause
/**
 * The one reader entry point of `io/`: {@link readFrames} streams the frames of a file (or of a
 * text in memory) as {@link Frame}s, whatever the format; {@link readFramesSync} does the same
 * synchronously for text or lines already in memory.
 *
 * A file is read in chunks (gzip decompressed on the fly, detected by its magic bytes `1f 8b`,
 * not by its name: `text-lines.ts`), split into lines and fed to the format's push parser, which
 * holds one frame; frames are yielded one at a time, so memory stays flat whatever the number of
 * frames. The format is `options.format`, or the first of the registry (`formats/index.ts`) whose
 * `sniff` accepts the first non-blank line and the line after it: `ITEM: …` → LAMMPS, a `# CELL`
 * comment → i-PI, else the XYZ family (extended XYZ, plain XYZ; frames with i-PI headers too).
 * Content decides even when the extension says otherwise; the extension only matters to
 * {@link detectFormat} for an empty file, and to the writers.
 *
 * Errors are `AnisoError('E_IO')` whose message starts with `file:line:` (truncated frames, wrong
 * column counts, non-numeric or non-finite fields, missing Lattice when a cell is required, bad
 * ITEM headers, atom count mismatches, corrupt gzip data); bad options are `E_ARG`, thrown when
 * the reader is created.
 */
import { AnisoError } from '../core/errors.js';
import { XyzParseError } from './extxyz-parse.js';
import type { Frame } from './frame.js';
import { formatByName, formatFromPath, FORMAT_NAMES, sniffFormat, type FrameParser, type ReadOptions } from './formats/index.js';
import { lineBatches, LineSplitter, openTextInput } from './text-lines.js';

export type { ReadOptions } from './formats/index.js';

/** Text already in memory; `source` names it in messages (default `<string>`). */
export interface TextInputSpec {
  text: string;
  source?: string;
}

/** Lines already split (without line ends); `source` names them in messages. */
export interface LinesInputSpec {
  lines: Iterable<string>;
  source: string;
}

/** Buffers the first non-blank line and the one after it, then picks the format (or takes the named one). */
class SniffingParser implements FrameParser {
  private inner: FrameParser | null = null;
  private readonly head: string[] = [];
  private blanks = 0;

  constructor(
    private readonly source: string,
    private readonly options: ReadOptions,
  ) {
    const name = options.format ?? 'auto';
    if (name !== 'auto') this.inner = formatByName(name).parser(source, options, false);
  }

  get linesRead(): number {
    return this.inner ? this.inner.linesRead : this.blanks + this.head.length;
  }

  push(line: string): Frame | null {
    if (this.inner) return this.inner.push(line);
    if (this.head.length === 0 && line.trim() === '') {
      this.blanks++;
      return null;
    }
    this.head.push(line);
    return this.head.length < 2 ? null : this.decide();
  }

  end(): void {
    if (!this.inner) {
      const f = this.decide();
      if (f !== null) throw new AnisoError('E_IO', `${this.source}: internal error: a frame ended on its first line`);
    }
    this.inner!.end();
  }

  /** Choose the format from the buffered lines and replay them; the frame they complete, if any. */
  private decide(): Frame | null {
    const inner = sniffFormat(this.head).parser(this.source, this.options, true);
    this.inner = inner;
    for (let k = 0; k < this.blanks; k++) inner.push('');
    let done: Frame | null = null;
    for (const line of this.head) {
      const f = inner.push(line);
      if (f !== null && done !== null) throw new AnisoError('E_IO', `${this.source}: internal error: two frames in two lines`);
      done = f ?? done;
    }
    return done;
  }
}

/**
 * Validate reading options (semi-axes, orders, column lists, the format name).
 * @throws AnisoError `E_ARG`
 */
export function checkReadOptions(options: ReadOptions): void {
  const s = options.semiaxes;
  if (s && (s.length !== 3 || !s.every((x) => Number.isFinite(x) && x > 0))) {
    throw new AnisoError('E_ARG', `semiaxes override is [${Array.from(s).join(', ')}]; expected three finite numbers > 0`);
  }
  if (options.quaternionOrder !== undefined && options.quaternionOrder !== 'wxyz' && options.quaternionOrder !== 'xyzw') {
    throw new AnisoError('E_ARG', `quaternionOrder '${String(options.quaternionOrder)}'; allowed: wxyz, xyzw`);
  }
  if (options.quaternionColumns && options.quaternionColumns.length !== 4) throw new AnisoError('E_ARG', 'quaternionColumns needs four column names');
  if (options.shapeColumns && options.shapeColumns.length !== 3) throw new AnisoError('E_ARG', 'shapeColumns needs three column names');
  if (options.format !== undefined && options.format !== 'auto' && !FORMAT_NAMES.includes(options.format)) {
    throw new AnisoError('E_ARG', `trajectory format '${String(options.format)}'; allowed: auto, ${FORMAT_NAMES.join(', ')}`);
  }
}

function asIoError(err: unknown, source: string): unknown {
  if (err instanceof XyzParseError) return new AnisoError('E_IO', `${source}:${err.line}: ${err.reason}`);
  return err;
}

/**
 * Stream the frames of a file (plain or gzip) or of a text in memory, one at a time, in constant
 * memory for files. Errors are `AnisoError('E_IO')` naming `file:line`. Each iteration reopens
 * the file, so the result can be iterated more than once; breaking out of a loop closes the file.
 * @throws AnisoError `E_ARG` (synchronously) for bad options
 */
export function readFrames(input: string | TextInputSpec, options: ReadOptions = {}): AsyncIterable<Frame> {
  checkReadOptions(options);
  if (typeof input !== 'string') {
    return {
      async *[Symbol.asyncIterator]() {
        yield* readFramesSync(input, options);
      },
    };
  }
  return { [Symbol.asyncIterator]: () => streamFrames(input, options) };
}

async function* streamFrames(path: string, options: ReadOptions): AsyncGenerator<Frame> {
  const parser = new SniffingParser(path, options);
  const streamError = (err: Error, linesSoFar: number) =>
    new AnisoError('E_IO', `${path}:${linesSoFar + 1}: ${/gzip|zlib|header check|unexpected end/i.test(`${err.message} ${(err as NodeJS.ErrnoException).code ?? ''}`) ? 'gzip data is corrupt or truncated' : 'cannot read'} (${err.message})`, { cause: err });
  try {
    for await (const batch of lineBatches(path, streamError)) {
      for (let k = 0; k < batch.length; k++) {
        const f = parser.push(batch[k]!);
        if (f !== null) yield f;
      }
    }
    parser.end();
  } catch (err) {
    throw asIoError(err, path);
  }
}

/** The lines of `text` (`\n` or `\r\n` ends; the last line needs none). */
function linesOfText(text: string): string[] {
  const splitter = new LineSplitter();
  const lines = splitter.push(text);
  lines.push(...splitter.end());
  return lines;
}

/**
 * The frames of a text or of lines in memory, synchronously, one at a time (same parsers as
 * {@link readFrames}).
 * @throws AnisoError `E_ARG` for bad options, `E_IO` naming `source:line` for malformed input
 */
export function* readFramesSync(input: TextInputSpec | LinesInputSpec, options: ReadOptions = {}): Generator<Frame> {
  checkReadOptions(options);
  const source = input.source ?? '<string>';
  const lines = 'lines' in input ? input.lines : linesOfText(input.text);
  const parser = new SniffingParser(source, options);
  try {
    for (const line of lines) {
      const f = parser.push(line);
      if (f !== null) yield f;
    }
    parser.end();
  } catch (err) {
    throw asIoError(err, source);
  }
}

/**
 * The format name of `path` by its content (the registry's sniffers on the first non-blank line
 * and the next), or by its extension when it is empty (default `extxyz`).
 */
export async function detectFormat(path: string): Promise<string> {
  const input = await openTextInput(path);
  const splitter = new LineSplitter();
  const decoder = new TextDecoder();
  const seen: string[] = [];
  try {
    for await (const chunk of input.stream) {
      for (const line of splitter.push(decoder.decode(chunk as Buffer, { stream: true }))) {
        if (seen.length === 0 && line.trim() === '') continue;
        seen.push(line);
        if (seen.length >= 2) break;
      }
      if (seen.length >= 2) break;
    }
  } catch (err) {
    throw new AnisoError('E_IO', `${path}: cannot read (${(err as Error).message})`, { cause: err });
  } finally {
    input.close();
  }
  if (seen.length < 2) seen.push(...splitter.end().filter((l) => seen.length > 0 || l.trim() !== ''));
  if (seen.length === 0) return (formatFromPath(path) ?? sniffFormat([])).name;
  return sniffFormat(seen.slice(0, 2)).name;
}
