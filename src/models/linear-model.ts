// SPDX-License-Identifier: BSD-3-Clause
/**
 * A trained linear model as data, self-contained: its feature blocks (calculator kind, every
 * hyper-parameter with defaults filled in, the density-width rule), species, units, raw weights and
 * baselines, the standardisation and regularisation used, and training metadata. It holds no code;
 * `modelCalculator` (model-calculator.ts) builds its features, and {@link createModelProvider}
 * turns both into a {@link ForceProvider} in Å and eV. The file format is in `model-file.ts`.
 *
 * Units: the model works in its own units (`units.length`, `units.energy`, those of its training
 * data; e.g. LJ reduced units σ0, ε0): hypers, weights (energy per feature unit) and baselines
 * (energy per particle) are in them. `toAngstrom` / `toEv` are the sizes of one model unit in Å and
 * eV; {@link UnitScaledProvider} converts at the boundary.
 */
import { Cell } from '../core/cell.js';
import { AnisoError } from '../core/errors.js';
import type { ForceProvider, ForceResult, ParticleSystem } from '../core/system.js';
import type { DensityWidths } from '../features/density-widths.js';
import type { FeatureCalculator } from '../features/feature-calculator.js';
import type { Quantity } from './design.js';
import { LinearEnergyProvider } from './linear-energy-provider.js';
import type { CvPoint, ErrorsByQuantity, LearningCurvePoint, QuantityWeights, ScalingMode, TrainResult } from './train.js';

/** The format name written in every model file. */
export const MODEL_FORMAT = 'anisodrive-linear-model';
/** The format version written by this code (`MAJOR.MINOR`; a reader refuses a newer MAJOR). */
export const MODEL_FORMAT_VERSION = '2.0';

/** A unit: its name and its size in the internal unit (Å or eV). */
export interface ModelUnits {
  length: { name: string; toAngstrom: number };
  energy: { name: string; toEv: number };
}

/** Å and eV. */
export const INTERNAL_UNITS: ModelUnits = Object.freeze({
  length: Object.freeze({ name: 'angstrom', toAngstrom: 1 }),
  energy: Object.freeze({ name: 'eV', toEv: 1 }),
}) as ModelUnits;

/** One block of features the model is built on: a registry kind, its hyper-parameters and density widths (JSON, model length unit). */
export interface ModelFeatureBlock {
  kind: string;
  /** Hyper-parameters as given to the registry (without `kind` and runtime options), every default filled in. */
  hypers: Record<string, unknown>;
  /**
   * Where the Gaussian density widths come from (`features/density-widths.ts`), for calculators that
   * read them from `system.semiaxes`; `null` for those that do not. With a `'fixed'` rule, the
   * semi-axes of the data or the driver's mapping never change the model's features.
   */
  densityWidths: DensityWidths | null;
  /** Features per particle of this block (checked against the calculator built from `hypers`). */
  featureCount: number;
}

/** Features per particle of all blocks together (F, the width of a weight row). */
export function modelFeatureCount(blocks: readonly ModelFeatureBlock[]): number {
  return blocks.reduce((sum, b) => sum + b.featureCount, 0);
}

/** Everything recorded about the training run (JSON data). */
export interface TrainingMetadata {
  /** ISO 8601 date and time. */
  date: string;
  /** Program and version, e.g. `anisodrive 0.1.0`. */
  software: string;
  /** Training data files as given. */
  dataFiles: string[];
  seed: number;
  testFraction: number;
  /** Residual weights per quantity. */
  weights: QuantityWeights;
  /** Quantities fitted. */
  fitted: Quantity[];
  counts: {
    frames: number;
    trainFrames: number;
    testFrames: number;
    trainParticles: number;
    rows: Record<Quantity, number>;
  };
  /** Train RMSE (MAE null) and test RMSE/MAE per quantity, model units (energy per particle). */
  errors: { train: ErrorsByQuantity; test: ErrorsByQuantity };
  learningCurve: LearningCurvePoint[];
  warnings: string[];
}

/** A trained linear model (module doc). Arrays are type-major (`t·F + f`). */
export interface LinearModel {
  format: typeof MODEL_FORMAT;
  version: string;
  /** Feature blocks, concatenated along the feature axis in this order (one block today). */
  features: ModelFeatureBlock[];
  /** Species ids per type index (as in the hypers, e.g. atomic numbers, 0 for X). */
  species: number[];
  /** Species names per type index as in the data files (e.g. `X`). */
  speciesNames: string[];
  units: ModelUnits;
  /** Raw weights, T·F. */
  weights: Float64Array;
  /** Per-type baselines, T (energy per particle). */
  baselines: Float64Array;
  /** Standardisation used in training (already folded into the raw weights). */
  scaler: { kind: ScalingMode; shift: Float64Array; scale: Float64Array };
  regularisation: {
    /** Chosen relative λ. */
    lambda: number;
    /** λ in the standardised normal equations. */
    lambdaAbsolute: number;
    /** The relative grid searched. */
    grid: number[];
    cvFolds: number;
    /** CV curve. */
    cv: CvPoint[];
  };
  training: TrainingMetadata;
}

/** Assemble a {@link LinearModel} from a training result and its context. */
export function modelFromTraining(args: {
  features: ModelFeatureBlock[];
  species: number[];
  speciesNames: string[];
  units: ModelUnits;
  result: TrainResult;
  date: Date;
  software: string;
  dataFiles: string[];
  seed: number;
  testFraction: number;
  weights: QuantityWeights;
}): LinearModel {
  const r = args.result;
  return {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    features: args.features.map((b) => ({ ...b })),
    species: [...args.species],
    speciesNames: [...args.speciesNames],
    units: args.units,
    weights: Float64Array.from(r.weights),
    baselines: Float64Array.from(r.baselines),
    scaler: { kind: r.scaler.kind, shift: Float64Array.from(r.scaler.shift), scale: Float64Array.from(r.scaler.scale) },
    regularisation: {
      lambda: r.lambda.relative,
      lambdaAbsolute: r.lambda.absolute,
      grid: r.cv.map((p) => p.lambda),
      cvFolds: r.cvFolds,
      cv: r.cv,
    },
    training: {
      date: args.date.toISOString(),
      software: args.software,
      dataFiles: [...args.dataFiles],
      seed: args.seed,
      testFraction: args.testFraction,
      weights: { ...args.weights },
      fitted: [...r.fitted],
      counts: {
        frames: r.counts.frames,
        trainFrames: r.split.train.length,
        testFrames: r.split.test.length,
        trainParticles: r.counts.particles,
        rows: { ...r.counts.rows },
      },
      errors: { train: r.train, test: r.test },
      learningCurve: r.learningCurve,
      warnings: [...r.warnings],
    },
  };
}

/**
 * Check that `calculator` (built from `model.features`) matches the model: same species, and
 * `featureCount` equal to the model's F (all blocks).
 * @throws AnisoError `E_CONFIG` naming the mismatch
 */
export function checkModelAgainstCalculator(model: LinearModel, calculator: FeatureCalculator): void {
  const m = calculator.metadata;
  const T = model.species.length;
  const F = modelFeatureCount(model.features);
  if (m.species.length !== T || m.species.some((s, t) => s !== model.species[t])) {
    throw new AnisoError('E_CONFIG', `model species [${model.species.join(', ')}] differ from the calculator's [${m.species.join(', ')}]`);
  }
  if (m.featureCount !== F) {
    throw new AnisoError(
      'E_CONFIG',
      `model weights have F = ${F} features per type, but the ${m.name} calculator built from the model's hypers has ${m.featureCount}`,
    );
  }
  if (model.weights.length !== T * m.featureCount) {
    throw new AnisoError('E_CONFIG', `model weights have ${model.weights.length} entries, expected T·F = ${T}·${m.featureCount}`);
  }
}

/**
 * A provider in Å and eV around a provider in other units: lengths (positions, cell, semi-axes)
 * are divided by `length` (Å per model unit) on the way in; energy, torques and virial are
 * multiplied by `energy` (eV per model unit) and forces by `energy / length` on the way out.
 */
export class UnitScaledProvider implements ForceProvider {
  readonly name: string;
  constructor(
    readonly inner: ForceProvider,
    readonly length: number,
    readonly energy: number,
  ) {
    if (!(length > 0) || !(energy > 0) || !Number.isFinite(length) || !Number.isFinite(energy)) {
      throw new AnisoError('E_CONFIG', `unit scales must be finite and > 0, got length ${length} Å, energy ${energy} eV`);
    }
    this.name = inner.name;
  }

  compute(system: ParticleSystem): ForceResult {
    const L = this.length, E = this.energy;
    const inv = 1 / L;
    const scaled = (a: Float64Array) => {
      const out = new Float64Array(a.length);
      for (let k = 0; k < a.length; k++) out[k] = a[k]! * inv;
      return out;
    };
    const cell = Cell.isPeriodic(system.cell) ? Cell.fromRows(scaled(system.cell.h), system.cell.pbc) : system.cell;
    const inner: ParticleSystem = {
      ...system,
      positions: scaled(system.positions),
      cell,
      ...(system.semiaxes ? { semiaxes: scaled(system.semiaxes) } : {}),
    };
    const r = this.inner.compute(inner);
    const fScale = E / L;
    for (let k = 0; k < r.forces.length; k++) r.forces[k] = r.forces[k]! * fScale;
    if (r.torques) for (let k = 0; k < r.torques.length; k++) r.torques[k] = r.torques[k]! * E;
    for (let k = 0; k < 9; k++) r.virial[k] = r.virial[k]! * E;
    r.energy *= E;
    return r;
  }
}

/**
 * The model as a {@link ForceProvider} in Å and eV: `LinearEnergyProvider(calculator, raw weights,
 * baselines)` in model units, wrapped in {@link UnitScaledProvider} unless the model is in Å and eV.
 * `calculator` must be built from `model.features` by `modelCalculator` (model-calculator.ts: with
 * the model's density widths); species and feature count are checked.
 */
export function createModelProvider(model: LinearModel, calculator: FeatureCalculator, name = 'model'): ForceProvider {
  checkModelAgainstCalculator(model, calculator);
  const inner = new LinearEnergyProvider(calculator, { weights: model.weights, baselines: model.baselines, name });
  const L = model.units.length.toAngstrom, E = model.units.energy.toEv;
  return L === 1 && E === 1 ? inner : new UnitScaledProvider(inner, L, E);
}
