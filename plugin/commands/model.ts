// SPDX-License-Identifier: BSD-3-Clause
/**
 * `anisodrive model convert OLD NEW (--density-semiaxes a,b,c | --density-from-shape [scale])`:
 * rewrite a format-1 model file (anisodrive 0.1) in the current format, adding the density widths
 * the model was trained with (format 1 did not record them; the old driver used whatever semi-axes
 * a system declared). `--density-semiaxes` gives the widths used in training (the train
 * configuration's `data.semiaxes`, or the semi-axes of its data files), the same for every species;
 * `--density-from-shape` keeps the old behaviour (each particle's declared semi-axes × scale,
 * default 1). Weights and all other fields carry over exactly.
 */
import { AnisoError } from '../../src/core/errors.js';
import type { DensityWidths } from '../../src/features/density-widths.js';
import { convertModelFile } from '../config/model-io.js';
import { describeWidths } from './train.js';

/** Flags of `anisodrive model convert`. */
export interface ModelConvertFlags {
  densitySemiaxes?: [number, number, number];
  /** commander gives `true` for the bare flag, a string for `--density-from-shape 0.5`. */
  densityFromShape?: boolean | string;
}

/** The density-width rule the flags ask for. @throws AnisoError `E_ARG` unless exactly one of the two flags is given */
export function widthsFromFlags(flags: ModelConvertFlags): DensityWidths {
  const shape = flags.densityFromShape;
  if ((flags.densitySemiaxes === undefined) === (shape === undefined)) {
    throw new AnisoError('E_ARG', 'model convert needs exactly one of --density-semiaxes a,b,c (the widths used in training) or --density-from-shape [scale] (the old behaviour)');
  }
  if (flags.densitySemiaxes) return { rule: 'fixed', semiaxes: [flags.densitySemiaxes] };
  const scale = shape === true ? 1 : Number(shape);
  if (!Number.isFinite(scale) || scale <= 0) throw new AnisoError('E_ARG', `--density-from-shape scale must be a positive number, got '${String(shape)}'`);
  return { rule: 'shape', scale };
}

/** Run `model convert`; returns the exit code. */
export async function modelConvertCommand(from: string, to: string, flags: ModelConvertFlags, print: (line: string) => void = (l) => process.stdout.write(l + '\n')): Promise<number> {
  const model = convertModelFile(from, to, widthsFromFlags(flags));
  print(`anisodrive model convert: ${from} → ${to} (format ${model.version}; density widths ${describeWidths(model.features[0]!.densityWidths, model.speciesNames)})`);
  return 0;
}
