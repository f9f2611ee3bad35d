// SPDX-License-Identifier: BSD-3-Clause
/**
 * The one palette of every figure the product draws (training report, `analyze`, examples): a
 * quantity has the same colour wherever it appears, so that a reader who learnt "forces are red"
 * in the parity plot finds them red in the learning and cross-validation curves too.
 *
 * Series that are not a quantity of their own (a reference diagonal, the chosen-λ marker) are
 * drawn in {@link NEUTRAL}; curves that are neither (several models in one panel) take the
 * {@link CYCLE}, whose colours are none of the quantity colours.
 */

/** Fixed colour (CSS hex) of each quantity drawn by the product. */
export const QUANTITY_COLOURS = Object.freeze({
  /** Energy (per particle): blue. */
  energy: '#1f77b4',
  /** Force components: red. */
  forces: '#d62728',
  /** Torque components: green. */
  torques: '#2ca02c',
  /** Virial (per particle): purple. */
  virial: '#9467bd',
  /** Weighted validation loss of the cross-validation: near-black. */
  loss: '#262626',
  /** Nematic order parameter S2 (and its S2_mid estimator, dashed): orange. */
  S2: '#ff7f0e',
  /** Fourth-rank order ⟨P4⟩: olive. */
  P4: '#bcbd22',
  /** Smectic order τ (and τ_pbc, dashed): brown. */
  smectic: '#8c564b',
  /** Orientational autocorrelation C(t): pink. */
  autocorrelation: '#e377c2',
  /** Radial distribution g(r): dark teal. */
  g: '#00575e',
  /** First-rank orientational pair function g1(r): steel blue-grey. */
  g1: '#5d6d7e',
  /** Second-rank orientational pair function g2(r): cyan. */
  g2: '#17becf',
});

/** A quantity with a fixed colour. */
export type PaletteQuantity = keyof typeof QUANTITY_COLOURS;

/** Colour of reference lines and markers (parity diagonal, chosen λ). */
export const NEUTRAL = '#7f7f7f';

/** Colours for series that are not a quantity, in order of first appearance; none is one of the quantity colours. */
export const CYCLE: readonly string[] = Object.freeze(['#1f1f1f', '#6a3d9a', '#b15928', '#1b9e77', '#7570b3', '#e6ab02', '#a6761d', '#000080']);

/** The colour of `quantity`, or `undefined` when it has none (the caller then uses {@link CYCLE}). */
export function quantityColour(quantity: string | undefined): string | undefined {
  return quantity !== undefined && Object.prototype.hasOwnProperty.call(QUANTITY_COLOURS, quantity) ? QUANTITY_COLOURS[quantity as PaletteQuantity] : undefined;
}
