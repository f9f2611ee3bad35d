// SPDX-License-Identifier: BSD-3-Clause
/**
 * The one writer entry point of `io/`: {@link FrameWriter} streams frames of one format into a
 * text sink (one `write` per frame); {@link writeFrames} writes a whole file atomically
 * (`atomic-write.ts`: a temporary file renamed on success, so nothing is left at the target when
 * a frame fails to read or write), the format taken from `options.format` or the path's
 * extension, `.gz` compressing. Non-finite numbers are refused (`E_NONFINITE`).
 */
import { AnisoError } from '../core/errors.js';
import { writeFileAtomically, type AtomicWriteOptions } from './atomic-write.js';
import type { FrameInput } from './frame.js';
import { realFormatter, type TextSink } from './formats/extxyz-text.js';
import { formatByName, formatFromPath, FORMAT_NAMES, type FormatState, type FrameFormat, type WriteOptions } from './formats/index.js';

export type { TextSink } from './formats/extxyz-text.js';
export type { WriteOptions } from './formats/index.js';

function firstBad(a: ArrayLike<number> | null | undefined): number {
  if (!a) return -1;
  for (let k = 0; k < a.length; k++) if (!Number.isFinite(a[k]!)) return k;
  return -1;
}

/** Streams frames of one format into a text sink, one `write` per frame. */
export class FrameWriter {
  private readonly state: FormatState = { typeOf: new Map() };
  private readonly fmt: FrameFormat;
  private count = 0;

  /**
   * @param sink where text goes (a file stream, an `AsyncTextSink`, an array in tests)
   * @param format a format name of the registry (`formats/index.ts`)
   * @throws AnisoError `E_ARG` for a bad format or precision
   */
  constructor(
    private readonly sink: TextSink,
    readonly format: string,
    private readonly options: Omit<WriteOptions, 'format'> = {},
  ) {
    this.fmt = formatByName(format);
    realFormatter(options.precision ?? 'full');
  }

  /** Frames written so far. */
  get framesWritten(): number {
    return this.count;
  }

  /** The text of one frame in this writer's format (updates the species → type table). */
  formatFrame(frame: FrameInput): string {
    const arrays = [['positions', frame.positions], ['orientations', frame.orientations], ['semiaxes', frame.semiaxes], ['masses', frame.masses], ['velocities', frame.velocities], ['energies', frame.energies], ['forces', frame.forces], ['torques', frame.torques], ['virial', frame.virial]] as const;
    for (const [what, a] of arrays) {
      const k = firstBad(a);
      if (k >= 0) throw new AnisoError('E_NONFINITE', `trajectory frame ${frame.index ?? this.count}: ${what}[${k}] is ${a![k]}; refusing to write a non-finite value`);
    }
    if (frame.energy !== null && frame.energy !== undefined && !Number.isFinite(frame.energy)) {
      throw new AnisoError('E_NONFINITE', `trajectory frame ${frame.index ?? this.count}: energy is ${frame.energy}`);
    }
    return this.fmt.format(frame, this.options, this.state);
  }

  /** Format `frame` and write it; returns the sink's promise when it returns one (await it). */
  writeFrame(frame: FrameInput): void | Promise<void> {
    const text = this.formatFrame(frame);
    const r = this.sink.write(text);
    this.count++;
    if (r instanceof Promise) return r.then(() => undefined);
    return undefined;
  }
}

/**
 * Write `frames` to `path` atomically (temporary file + rename; nothing is left at `path` if a
 * frame fails to read or write). The format is `options.format` or the path's extension (`.gz`
 * compresses). Returns the number of frames written.
 */
export async function writeFrames(
  path: string,
  frames: Iterable<FrameInput> | AsyncIterable<FrameInput>,
  options: WriteOptions & Pick<AtomicWriteOptions, 'gzip'> = {},
): Promise<number> {
  const format = options.format ?? formatFromPath(path)?.name;
  if (format === undefined) throw new AnisoError('E_ARG', `cannot tell the trajectory format of '${path}' from its extension; set the format (${FORMAT_NAMES.join(', ')})`);
  const { format: _f, gzip, ...rest } = options;
  return writeFileAtomically(
    path,
    async (sink) => {
      const w = new FrameWriter(sink, format, rest);
      for await (const f of frames) await w.writeFrame(f);
      return w.framesWritten;
    },
    gzip === undefined ? {} : { gzip },
  );
}
