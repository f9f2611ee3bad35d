// SPDX-License-Identifier: BSD-3-Clause
/**
 * Named labels of a feature axis (shared by feature calculators and the contractions that build
 * their features), kept apart so that both can import it without a cycle.
 */

/** Named labels of the feature axis: one row of `names.length` integers per feature. */
export interface FeatureLabels {
  /** Label names, e.g. `['l', 'a1', 'n1', 'a2', 'n2']`. */
  readonly names: readonly string[];
  /** `featureCount × names.length` values, row-major. */
  readonly values: Int32Array;
}
