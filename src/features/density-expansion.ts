// SPDX-License-Identifier: BSD-3-Clause
/**
 * The density-expansion seam: ν = 1 coefficients of each centre's neighbour density on a radial ×
 * spherical-harmonic basis, labelled as featomic labels its spherical expansion, and the backward
 * pass from an adjoint of those coefficients to forces, torques and virial. Contractions
 * (`contraction.ts`: power spectrum, later bispectrum or products with LODE) build invariant
 * features on top; any energy that depends on the coefficients gets its gradients through
 * {@link DensityExpansion.backward}.
 *
 * ## Blocks (featomic names)
 * - keys `(o3_lambda, o3_sigma, center_type, neighbor_type)`: the angular order λ, the parity
 *   σ = +1, the species id of the centre and of the neighbour channel;
 * - samples `(system, atom)`: every centre of type `center_type` (one system per call, system 0);
 * - components `o3_mu`: μ = −λ … λ (real spherical harmonics without Condon–Shortley phase);
 * - properties `n`: radial index 0 … N_λ − 1 (orthonormal radial basis).
 *
 * ## Flat layout (no copy)
 * The coefficients of all blocks live in one `Float64Array`, one record of
 * `metadata.recordLength` values per centre i (particle order). Within a record, block b occupies
 * `offset + n·propertyStride + (μ + λ)·componentStride`, so
 *
 * ```
 * value(b; atom i, μ, n) = values[i·recordLength + b.offset + n·b.propertyStride + (μ + λ)·b.componentStride]
 * ```
 *
 * for every atom i whose type index is `b.centerTypeIndex`. An adjoint `∂E/∂c` has the same
 * layout. {@link blockValues} copies one block out in featomic's `(samples, components,
 * properties)` order, for export and tests.
 */
import type { ParticleSystem } from '../core/system.js';

/** Key names of the blocks, in the order of {@link blockKey}. */
export const DENSITY_KEY_NAMES: readonly string[] = Object.freeze(['o3_lambda', 'o3_sigma', 'center_type', 'neighbor_type']);
/** Sample names of every block. */
export const DENSITY_SAMPLE_NAMES: readonly string[] = Object.freeze(['system', 'atom']);
/** Component names of every block. */
export const DENSITY_COMPONENT_NAMES: readonly string[] = Object.freeze(['o3_mu']);
/** Property names of every block. */
export const DENSITY_PROPERTY_NAMES: readonly string[] = Object.freeze(['n']);

/** One block of coefficients: its key and where its values sit in a centre's record. */
export interface DensityBlock {
  /** Angular order λ ≥ 0. */
  readonly o3Lambda: number;
  /** Parity σ: +1 for a density expansion (proper tensors). */
  readonly o3Sigma: number;
  /** Species id of the centres (e.g. atomic number; 0 for `X`). */
  readonly centerType: number;
  /** Species id of the neighbour channel. */
  readonly neighborType: number;
  /** Type index of the centres (index into `metadata.species`). */
  readonly centerTypeIndex: number;
  /** Type index of the neighbour channel. */
  readonly neighborTypeIndex: number;
  /** Components `2λ + 1` (μ = −λ … λ). */
  readonly componentCount: number;
  /** Properties N_λ (n = 0 … N_λ − 1). */
  readonly propertyCount: number;
  /** Start of the block inside a centre's record. */
  readonly offset: number;
  /** Distance between consecutive μ. */
  readonly componentStride: number;
  /** Distance between consecutive n. */
  readonly propertyStride: number;
}

/** What an expansion computes, known before any system is seen. */
export interface DensityExpansionMetadata {
  /** Expansion name, e.g. `'anisoap'`. */
  readonly name: string;
  /** Species ids of type indices 0, 1, …. */
  readonly species: readonly number[];
  /** The largest centre–neighbour distance that contributes (length unit). */
  readonly cutoff: number;
  /** Whether the coefficients are continuous at the cutoff (a smooth switch). */
  readonly smooth: boolean;
  /** {@link DENSITY_KEY_NAMES}. */
  readonly keyNames: readonly string[];
  /** {@link DENSITY_SAMPLE_NAMES}. */
  readonly sampleNames: readonly string[];
  /** {@link DENSITY_COMPONENT_NAMES}. */
  readonly componentNames: readonly string[];
  /** {@link DENSITY_PROPERTY_NAMES}. */
  readonly propertyNames: readonly string[];
  /** Every block, ordered by centre type, then λ, then neighbour type (type-index order). */
  readonly blocks: readonly DensityBlock[];
  /** Values per centre in the flat layout (module doc). */
  readonly recordLength: number;
}

/**
 * Coefficients of one system (views into the expansion's own memory, valid until its next
 * computation; do not keep them).
 */
export interface DensityCoefficients {
  /** Number of centres n (all particles). */
  readonly n: number;
  /** Coefficients, `n · recordLength` valid values (longer arrays possible). */
  readonly values: Float64Array;
  /** Type index of each centre (n valid values): centre i is a sample of the blocks of its type. */
  readonly types: Int32Array;
  /**
   * Scratch of the same layout owned by the expansion (contents unspecified): writing an adjoint
   * here and passing this array to {@link DensityExpansion.backward} avoids one copy.
   */
  readonly adjoint: Float64Array;
}

/** Gradients of a scalar `E(c)` through the expansion. */
export interface DensityGradients {
  /** Forces `−∂E/∂r`, 3n. */
  forces: Float64Array;
  /** Lab-frame torques `−∂E/∂θ` about each particle's centre, 3n; null for point particles. */
  torques: Float64Array | null;
  /** Virial `−∂E/∂ε`, row-major 9, for `r → (1+ε) r`, `h → (1+ε) h` at fixed lab orientations. */
  virial: Float64Array;
}

/** A ν = 1 density expansion with its backward pass (module doc). Not re-entrant. */
export interface DensityExpansion {
  /** Blocks and layout, fixed at construction. */
  readonly metadata: DensityExpansionMetadata;
  /** Coefficients of `system` (views, module doc). */
  compute(system: ParticleSystem): DensityCoefficients;
  /**
   * For the system of the most recent {@link DensityExpansion.compute} (or of any other
   * computation of the object that owns the expansion): given `adjoint = ∂E/∂c` in the flat
   * layout (n · recordLength), the forces, torques and virial of E. Writes into `out` if given
   * (overwriting), else into new arrays.
   * @throws AnisoError `E_ARG` before any computation, `E_SIZE` for a short adjoint.
   */
  backward(adjoint: Float64Array, out?: DensityGradients): DensityGradients;
}

/** `[o3_lambda, o3_sigma, center_type, neighbor_type]` of a block (species ids). */
export function blockKey(block: DensityBlock): number[] {
  return [block.o3Lambda, block.o3Sigma, block.centerType, block.neighborType];
}

/** The samples of `block` in `coefficients`: the atoms whose type is the block's centre type. */
export function blockSamples(coefficients: DensityCoefficients, block: DensityBlock): Int32Array {
  const { n, types } = coefficients;
  let count = 0;
  for (let i = 0; i < n; i++) if (types[i] === block.centerTypeIndex) count++;
  const out = new Int32Array(count);
  for (let i = 0, k = 0; i < n; i++) if (types[i] === block.centerTypeIndex) out[k++] = i;
  return out;
}

/**
 * A copy of one block in featomic's order, `samples × components × properties`:
 * `out[(s·(2λ+1) + μ + λ)·N_λ + n]` for the s-th atom of {@link blockSamples}.
 */
export function blockValues(coefficients: DensityCoefficients, block: DensityBlock, recordLength: number): Float64Array {
  const atoms = blockSamples(coefficients, block);
  const W = block.componentCount, N = block.propertyCount, v = coefficients.values;
  const out = new Float64Array(atoms.length * W * N);
  for (let s = 0; s < atoms.length; s++) {
    const base = atoms[s]! * recordLength + block.offset;
    for (let m = 0; m < W; m++) {
      for (let n = 0; n < N; n++) out[(s * W + m) * N + n] = v[base + n * block.propertyStride + m * block.componentStride]!;
    }
  }
  return out;
}
