// SPDX-License-Identifier: BSD-3-Clause
/**
 * Public API of the AniSOAP feature family: the calculator, its hyper-parameters, the plan
 * (layouts and labels) and the converters to the AniSOAP package's own layouts.
 */
export { AniSoapCalculator, type AniSoapOptions } from './calculator.js';
export {
  ANISOAP_MODES,
  ANISOAP_RADIAL_BASES,
  resolveAniSoapHypers,
  type AniSoapHypers,
  type AniSoapMode,
  type ResolvedAniSoapHypers,
} from './hypers.js';
export {
  nu1ToNativeLayout,
  nu1ToPackageLayout,
  packageChannels,
  packageFeatureCount,
  packagePowerSpectrum,
  toPackageLayout,
  type PackageChannels,
  type PackagePowerSpectrum,
} from './package-layout.js';
export { AniSoapPlan } from './plan.js';
