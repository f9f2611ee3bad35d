// SPDX-License-Identifier: BSD-3-Clause
/**
 * Density widths: the standard deviations (along body x, y, z) of the Gaussian density a
 * feature calculator places on each particle — AniSOAP reads them from `system.semiaxes`. They are
 * a hyper-parameter of a model, not a property of the simulated particles: a model trained with
 * widths w must see w whatever semi-axes the data file or the driver's mapping declare. A
 * {@link DensityWidths} rule says where the widths come from:
 *
 * - `{ rule: 'fixed', semiaxes: [[a, b, c], …] }`: one triple per type index (length unit of the
 *   calculator), whatever the system says — the system's semi-axes are geometry only and ignored;
 * - `{ rule: 'shape', scale: s }`: the particle's own semi-axes times `s` (the system must carry
 *   semi-axes; with `s = 1` the system is passed through untouched).
 *
 * {@link DensityWidthCalculator} applies a rule in front of any {@link FeatureCalculator}, so that
 * training, `predict`, `replay` and `drive` compute the same features from the same model.
 */
import { z } from 'zod';
import { AnisoError } from '../core/errors.js';
import type { ForceResult, ParticleSystem } from '../core/system.js';
import type { FeatureCalculator, FeatureMetadata, FeatureSumGradients } from './feature-calculator.js';
import type { Contraction } from './contraction.js';
import type { DensityExpansion } from './density-expansion.js';

const width = z.number({ error: (iss) => `density width ${String(iss.input)} must be a finite length > 0` }).positive();

/** The zod schema of a {@link DensityWidths} rule (as stored in model files). */
export const DensityWidthsSchema = z.discriminatedUnion('rule', [
  z.strictObject({
    rule: z.literal('fixed'),
    semiaxes: z.array(z.tuple([width, width, width])).min(1).describe('density widths along body x, y, z per type index (length unit of the features)'),
  }),
  z.strictObject({
    rule: z.literal('shape'),
    scale: width.describe("density widths = scale × the particle's own semi-axes"),
  }),
]);

/** Where a feature calculator's density widths come from (module doc). */
export type DensityWidths = z.infer<typeof DensityWidthsSchema>;

const triple = z.tuple([width, width, width]);

/**
 * The `densityWidths` of a train configuration's feature entry: `[a, b, c]` for every species,
 * `{ species: { NAME: [a, b, c], … } }` per species (symbol or id as in the data), or
 * `{ scaleShape: s }` for the particles' own semi-axes × s. Absent: the training data's semi-axes,
 * which must then be the same for all particles of a species ({@link resolveDensityWidths}).
 */
export const TrainDensityWidthsSchema = z
  .union([
    triple,
    z.strictObject({ species: z.record(z.string(), triple) }),
    z.strictObject({ scaleShape: width }),
  ])
  .describe("Gaussian density widths of the features (length unit of the data): [a, b, c] for every species, { species: { NAME: [a, b, c] } }, or { scaleShape: s } (each particle's semi-axes × s); default: the training data's semi-axes, uniform per species");

/** A validated `densityWidths` entry of a train configuration. */
export type TrainDensityWidths = z.infer<typeof TrainDensityWidthsSchema>;

/**
 * The {@link DensityWidths} rule of a model from its train-configuration entry (`spec`), the
 * species names by type index and the training systems (for the default).
 * @throws AnisoError `E_CONFIG` for species missing from or unknown to a per-species map, or, by
 * default, training particles of one species with different semi-axes
 */
export function resolveDensityWidths(spec: TrainDensityWidths | undefined, speciesNames: readonly string[], systems: readonly ParticleSystem[]): DensityWidths {
  if (Array.isArray(spec)) return { rule: 'fixed', semiaxes: speciesNames.map(() => [spec[0], spec[1], spec[2]]) };
  if (spec && 'scaleShape' in spec) return { rule: 'shape', scale: spec.scaleShape };
  if (spec && 'species' in spec) {
    const unknown = Object.keys(spec.species).filter((k) => !speciesNames.includes(k));
    if (unknown.length > 0) throw new AnisoError('E_CONFIG', `densityWidths.species names ${unknown.join(', ')}, not among the data's species [${speciesNames.join(', ')}]`);
    const missing = speciesNames.filter((k) => !(k in spec.species));
    if (missing.length > 0) throw new AnisoError('E_CONFIG', `densityWidths.species has no widths for species ${missing.join(', ')}`);
    return { rule: 'fixed', semiaxes: speciesNames.map((k) => [...spec.species[k]!] as [number, number, number]) };
  }
  const found = uniformWidths(systems, speciesNames.length);
  if (!found) {
    throw new AnisoError(
      'E_CONFIG',
      "the training particles' semi-axes are missing or differ within a species, so the model's density widths are not defined: " +
        'set features.densityWidths to [a, b, c], { "species": { NAME: [a, b, c] } } or { "scaleShape": 1 } (each particle\'s own semi-axes)',
    );
  }
  return found;
}

/**
 * The fixed rule that reproduces `systems` (per type, every particle the same semi-axes), or
 * `null` if a type has particles with different semi-axes or no system carries semi-axes.
 * Types with no particle get the first type's widths found (they never enter the features).
 */
export function uniformWidths(systems: readonly ParticleSystem[], typeCount: number): DensityWidths | null {
  const w: ([number, number, number] | null)[] = Array.from({ length: typeCount }, () => null);
  for (const s of systems) {
    if (!s.semiaxes) return null;
    for (let i = 0; i < s.n; i++) {
      const t = s.types ? s.types[i]! : 0;
      const a = s.semiaxes[3 * i]!, b = s.semiaxes[3 * i + 1]!, c = s.semiaxes[3 * i + 2]!;
      const seen = w[t];
      if (seen === null || seen === undefined) w[t] = [a, b, c];
      else if (seen[0] !== a || seen[1] !== b || seen[2] !== c) return null;
    }
  }
  const first = w.find((x) => x !== null);
  if (!first) return null;
  return { rule: 'fixed', semiaxes: w.map((x) => x ?? first) };
}

/** A {@link FeatureCalculator} whose systems get their semi-axes from a {@link DensityWidths} rule. */
export class DensityWidthCalculator implements FeatureCalculator {
  /** The inner calculator's metadata. */
  readonly metadata: FeatureMetadata;
  private scratch = new Float64Array(0);

  /** @throws AnisoError `E_CONFIG` when a fixed rule does not give one triple per species of `inner`. */
  constructor(
    readonly inner: FeatureCalculator,
    readonly widths: DensityWidths,
  ) {
    this.metadata = inner.metadata;
    const T = inner.metadata.species.length;
    if (widths.rule === 'fixed' && widths.semiaxes.length !== T) {
      throw new AnisoError('E_CONFIG', `density widths give ${widths.semiaxes.length} semi-axis triple(s), but the ${inner.metadata.name} calculator has ${T} species [${inner.metadata.species.join(', ')}]`);
    }
    if (widths.rule === 'shape' && !(widths.scale > 0)) throw new AnisoError('E_CONFIG', `density widths: scale ${widths.scale} must be > 0`);
  }

  /** `system` with the rule's semi-axes (reuses one scratch array: the result is valid until the next call). */
  private apply(system: ParticleSystem): ParticleSystem {
    const w = this.widths;
    if (w.rule === 'shape' && w.scale === 1) return system;
    const n = system.n;
    if (this.scratch.length < 3 * n) this.scratch = new Float64Array(Math.max(3 * n, Math.ceil(1.25 * this.scratch.length)));
    const out = this.scratch.subarray(0, 3 * n);
    if (w.rule === 'fixed') {
      const types = system.types;
      for (let i = 0; i < n; i++) {
        const t = types ? types[i]! : 0;
        const row = w.semiaxes[t];
        if (!row) throw new AnisoError('E_ARG', `particle ${i} has type ${t}, but the density widths cover types 0…${w.semiaxes.length - 1}`);
        out[3 * i] = row[0];
        out[3 * i + 1] = row[1];
        out[3 * i + 2] = row[2];
      }
    } else {
      const s = system.semiaxes;
      if (!s || s.length !== 3 * n) {
        throw new AnisoError('E_ARG', `density widths follow the particle shape (× ${w.scale}), but the system has ${s ? s.length : 'no'} semi-axes for ${n} particles`);
      }
      for (let k = 0; k < 3 * n; k++) out[k] = s[k]! * w.scale;
    }
    return { ...system, semiaxes: out };
  }

  /** The inner calculator's density expansion, computed with the rule's density widths (if it has one). */
  get densityExpansion(): DensityExpansion | undefined {
    const e = this.inner.densityExpansion;
    if (e === undefined) return undefined;
    if (this.expansion === null || this.expansionOf !== e) {
      this.expansionOf = e;
      this.expansion = { metadata: e.metadata, compute: (system) => e.compute(this.apply(system)), backward: (adjoint, out) => e.backward(adjoint, out) };
    }
    return this.expansion;
  }

  /** The inner calculator's contraction of its density expansion (if it has one). */
  get contraction(): Contraction | undefined {
    return this.inner.contraction;
  }

  private expansion: DensityExpansion | null = null;
  private expansionOf: DensityExpansion | null = null;

  /** Features of `system` with the rule's density widths. */
  values(system: ParticleSystem, out?: Float64Array): Float64Array {
    return this.inner.values(this.apply(system), out);
  }

  /** Feature sums and gradients with the rule's density widths. */
  sumGradients(system: ParticleSystem): FeatureSumGradients {
    return this.inner.sumGradients(this.apply(system));
  }

  /** Linear-model energy, forces, torques and virial with the rule's density widths. */
  linearForces(system: ParticleSystem, weights: Float64Array): ForceResult {
    return this.inner.linearForces(this.apply(system), weights);
  }

  /** Close the inner calculator. */
  close(): void {
    this.inner.close?.();
  }
}
