// SPDX-License-Identifier: BSD-3-Clause
/**
 * File side of the data commands: reading extended XYZ files line by line (no whole-file string)
 * through the one frame reader (`src/io/read-frames.ts`), species tables, and labelled frames as
 * {@link LabelledSystem}s for training and prediction.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { AnisoError } from '../../src/core/errors.js';
import type { ParticleSystem } from '../../src/core/system.js';
import { atomicNumber, elementSymbol } from '../../src/io/elements.js';
import type { Frame } from '../../src/io/frame.js';
import { readFramesSync, type ReadOptions } from '../../src/io/read-frames.js';
import type { LabelledSystem } from '../../src/models/design.js';

/** The lines of a file, read in 1 MiB chunks. @throws AnisoError `E_IO` if it cannot be opened. */
export function* fileLines(path: string): Generator<string> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new AnisoError('E_IO', `cannot open ${path}: ${(err as Error).message}`);
  }
  try {
    const buf = Buffer.alloc(1 << 20);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (;;) {
      const got = readSync(fd, buf, 0, buf.length, null);
      if (got === 0) break;
      const text = rest + decoder.write(buf.subarray(0, got));
      const parts = text.split('\n');
      rest = parts.pop()!;
      for (const p of parts) yield p.endsWith('\r') ? p.slice(0, -1) : p;
    }
    rest += decoder.end();
    if (rest !== '') yield rest;
  } finally {
    closeSync(fd);
  }
}

/**
 * Options of the training-data reader: the extxyz reading options, and whether every frame must
 * hold ellipsoids (orientations and shapes; default true) or may hold point particles.
 */
export type DataReadOptions = Omit<ReadOptions, 'format' | 'requireOrientations' | 'requireShapes'> & { ellipsoids?: boolean };

/** The frames of one extxyz data file, one at a time (errors name `file:line`). */
export function dataFrames(file: string, options: DataReadOptions): Generator<Frame> {
  const { ellipsoids = true, ...rest } = options;
  return readFramesSync({ lines: fileLines(file), source: file }, { ...rest, format: 'extxyz', requireOrientations: ellipsoids, requireShapes: ellipsoids });
}

/** Every frame of every file, in order. */
export function readFrames(files: readonly string[], options: DataReadOptions): { file: string; frame: Frame }[] {
  const out: { file: string; frame: Frame }[] = [];
  for (const file of files) {
    for (const frame of dataFrames(file, options)) out.push({ file, frame });
  }
  if (out.length === 0) throw new AnisoError('E_IO', `no frames in ${files.join(', ')}`);
  return out;
}

/** Species of a model: ids (atomic numbers, `X` = 0) and names, by type index. */
export interface SpeciesTable {
  ids: number[];
  names: string[];
}

/**
 * The species table: `configured` entries (symbols or atomic numbers) in the given order, or the
 * sorted union of the data's species (as the AniSOAP package does).
 * @throws AnisoError `E_CONFIG` for an unknown symbol or a repeated species
 */
export function speciesTable(frames: readonly Frame[], configured?: readonly (string | number)[]): SpeciesTable {
  const toId = (s: string | number): number => {
    try {
      return typeof s === 'number' ? s : atomicNumber(s);
    } catch (err) {
      throw new AnisoError('E_CONFIG', (err as Error).message);
    }
  };
  let ids: number[];
  if (configured && configured.length > 0) {
    ids = configured.map(toId);
    const seen = new Set<number>();
    for (const z of ids) {
      if (seen.has(z)) throw new AnisoError('E_CONFIG', `species ${elementSymbol(z)} (${z}) is listed twice`);
      seen.add(z);
    }
  } else {
    const set = new Set<number>();
    for (const f of frames) for (const s of f.species) set.add(toId(s));
    ids = [...set].sort((a, b) => a - b);
  }
  return { ids, names: ids.map(elementSymbol) };
}

/**
 * The type index of the species `name` in the model's table; `where` (e.g. `file:line`) starts the
 * message of the `E_IO` error for an unknown or foreign species.
 */
export function speciesTypeIndex(name: string, species: SpeciesTable, where: string): number {
  let z: number;
  try {
    z = atomicNumber(name);
  } catch (err) {
    throw new AnisoError('E_IO', `${where}: ${(err as Error).message}`);
  }
  const t = species.ids.indexOf(z);
  if (t < 0) throw new AnisoError('E_IO', `${where}: species '${name}' is not one of the model's [${species.names.join(', ')}]`);
  return t;
}

/** A frame as a {@link ParticleSystem} with type indices from `species`. */
export function frameSystem(frame: Frame, species: SpeciesTable, source: string): ParticleSystem {
  const types = new Int32Array(frame.n);
  for (let i = 0; i < frame.n; i++) {
    types[i] = speciesTypeIndex(frame.species[i]!, species, `${source}:${frame.line + 2 + i}`);
  }
  return {
    n: frame.n,
    positions: frame.positions,
    cell: frame.cell,
    types,
    ...(frame.orientations ? { orientations: frame.orientations } : {}),
    ...(frame.semiaxes ? { semiaxes: frame.semiaxes } : {}),
  };
}

/** Frames as labelled systems (energy, forces, torques, virial as read). */
export function labelledSystems(frames: readonly { file: string; frame: Frame }[], species: SpeciesTable): LabelledSystem[] {
  return frames.map(({ file, frame }) => ({
    system: frameSystem(frame, species, file),
    labels: { energy: frame.energy ?? null, forces: frame.forces ?? null, torques: frame.torques ?? null, virial: frame.virial ?? null },
  }));
}
