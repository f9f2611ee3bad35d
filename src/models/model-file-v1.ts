// SPDX-License-Identifier: BSD-3-Clause
/**
 * Model files of format 1.x (anisodrive 0.1): `features` is one map `{ kind, hypers, featureCount }`
 * without density widths. The old code used whatever semi-axes a system declared (the data file's
 * in `predict`, `mapping.semiaxes` in `drive`) as the Gaussian widths, so such a file does not say
 * which widths the model was trained with; {@link convertModelV1} adds them (a `'fixed'` rule from
 * the widths used in training, or the `'shape'` rule that keeps the old behaviour) and returns a
 * current-format model. `anisodrive model convert` is the command-line side. Weights and every
 * other field carry over exactly.
 */
import type { DensityWidths } from '../features/density-widths.js';
import { AnisoError } from '../core/errors.js';
import { MODEL_FORMAT_VERSION, type LinearModel } from './linear-model.js';
import { decodeModelMap, modelFromMap } from './model-file.js';

/**
 * Convert a 1.x model file to the current format with density widths `widths` (`'fixed'`: one
 * triple per species, or one triple for all species; `'shape'`: the particles' semi-axes × scale).
 * @throws AnisoError `E_IO` if `bytes` are not a 1.x model file or a field is invalid; `E_ARG` for
 * a fixed rule with the wrong number of triples
 */
export function convertModelV1(bytes: Uint8Array, widths: DensityWidths): LinearModel {
  const { raw, major } = decodeModelMap(bytes);
  if (major !== 1) throw new AnisoError('E_IO', `model file: format version ${String(raw.version)} is not 1.x; nothing to convert`);
  const features = raw.features as Record<string, unknown> | undefined;
  if (features === null || typeof features !== 'object' || Array.isArray(features)) {
    throw new AnisoError('E_IO', 'model file: features: expected a map { kind, hypers, featureCount } (format 1.x)');
  }
  const T = Array.isArray(raw.species) ? raw.species.length : 0;
  let rule = widths;
  if (widths.rule === 'fixed') {
    if (widths.semiaxes.length === 1 && T > 1) rule = { rule: 'fixed', semiaxes: Array.from({ length: T }, () => [...widths.semiaxes[0]!] as [number, number, number]) };
    else if (widths.semiaxes.length !== T) throw new AnisoError('E_ARG', `density widths: ${widths.semiaxes.length} triples for a model with ${T} species; give one for all, or one per species`);
  }
  return modelFromMap({ ...raw, version: MODEL_FORMAT_VERSION, features: [{ ...features, densityWidths: rule }] });
}
