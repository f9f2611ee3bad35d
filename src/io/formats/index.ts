// SPDX-License-Identifier: BSD-3-Clause
/**
 * The format registry: every trajectory format the readers and writers know, in sniffing order
 * (most specific first). Adding a format = one module exporting a {@link FrameFormat}, one line in
 * {@link FORMATS}, and its round-trip test in `test/io/formats/`.
 */
import { AnisoError } from '../../core/errors.js';
import { extxyz } from './extxyz.js';
import type { FrameFormat } from './format.js';
import { ipiXyz } from './ipi-xyz.js';
import { lammpsDump } from './lammps-dump.js';

export type { FormatState, FrameFormat, FrameParser, ReadOptions, WriteOptions } from './format.js';

/** The formats, in sniffing order: LAMMPS (`ITEM:`), i-PI (`# CELL` comment), extended XYZ. */
export const FORMATS: readonly FrameFormat[] = Object.freeze([lammpsDump, ipiXyz, extxyz]);

/** The format used when nothing else decides (an empty file, content no format recognises). */
export const DEFAULT_FORMAT: FrameFormat = extxyz;

/** The names of the formats, for messages and CLI choices. */
export const FORMAT_NAMES: readonly string[] = Object.freeze(FORMATS.map((f) => f.name));

/**
 * The format called `name`.
 * @throws AnisoError `E_ARG` naming the allowed names
 */
export function formatByName(name: string): FrameFormat {
  const f = FORMATS.find((x) => x.name === name);
  if (!f) throw new AnisoError('E_ARG', `trajectory format '${String(name)}'; allowed: ${FORMAT_NAMES.join(', ')}`);
  return f;
}

/** The format named by a path's extension or file name (`.gz` stripped), or null. */
export function formatFromPath(path: string): FrameFormat | null {
  const p = path.toLowerCase().replace(/\.gz$/, '');
  const base = p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  const ext = dot >= 0 ? base.slice(dot + 1) : null;
  for (const f of FORMATS) if (ext !== null && f.extensions.includes(ext)) return f;
  for (const f of FORMATS) if (f.fileNames?.test(base)) return f;
  return null;
}

/** The first format whose `sniff` accepts the first non-blank lines, else {@link DEFAULT_FORMAT}. */
export function sniffFormat(firstLines: readonly string[]): FrameFormat {
  return FORMATS.find((f) => f.sniff(firstLines)) ?? DEFAULT_FORMAT;
}
