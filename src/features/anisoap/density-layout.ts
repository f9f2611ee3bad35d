// SPDX-License-Identifier: BSD-3-Clause
/**
 * The AniSOAP ν = 1 coefficients as featomic-labelled blocks ({@link DensityExpansionMetadata}):
 * the engine's native layout (`plan.ts`) described, not copied. A centre's record is its S species
 * channels of `nc` values each, so the block `(λ, σ = 1, centre type t, neighbour type a)` sits at
 * `offset = a·nc + cOff[λ]` with properties n at stride `2λ + 1` and components μ at stride 1,
 * for every centre of type t (native layout: every centre has every channel, zeros where no such
 * neighbour is within the cutoff).
 */
import {
  DENSITY_COMPONENT_NAMES,
  DENSITY_KEY_NAMES,
  DENSITY_PROPERTY_NAMES,
  DENSITY_SAMPLE_NAMES,
  type DensityBlock,
  type DensityExpansionMetadata,
} from '../density-expansion.js';
import type { AniSoapPlan } from './plan.js';

/** Block metadata of the AniSOAP expansion of `plan` (module doc). */
export function aniSoapDensityMetadata(plan: AniSoapPlan): DensityExpansionMetadata {
  const S = plan.nSpecies, species = plan.hypers.species, blocks: DensityBlock[] = [];
  for (let t = 0; t < S; t++) {
    for (let l = 0; l <= plan.lmax; l++) {
      for (let a = 0; a < S; a++) {
        blocks.push(Object.freeze({
          o3Lambda: l, o3Sigma: 1, centerType: species[t]!, neighborType: species[a]!,
          centerTypeIndex: t, neighborTypeIndex: a,
          componentCount: 2 * l + 1, propertyCount: plan.nPerL[l]!,
          offset: a * plan.nc + plan.cOff[l]!, componentStride: 1, propertyStride: 2 * l + 1,
        }));
      }
    }
  }
  return Object.freeze({
    name: 'anisoap',
    species: Object.freeze([...species]),
    cutoff: plan.hypers.cutoff,
    smooth: plan.hypers.mode === 'md',
    keyNames: DENSITY_KEY_NAMES,
    sampleNames: DENSITY_SAMPLE_NAMES,
    componentNames: DENSITY_COMPONENT_NAMES,
    propertyNames: DENSITY_PROPERTY_NAMES,
    blocks: Object.freeze(blocks),
    recordLength: S * plan.nc,
  });
}
