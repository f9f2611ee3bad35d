// SPDX-License-Identifier: BSD-3-Clause
/**
 * From a validated {@link DriverConfig} to the site-level {@link ForceProvider} the driver serves:
 *
 *   sum( mapped(mapping, sum(ellipsoid terms)),  site terms… )
 *
 * Gay–Berne, trained models (`kind: 'model'`) and LJ with `on: 'ellipsoids'` act on ellipsoids
 * behind the site mapping; restraints, zero and LJ with `on: 'sites'` act on the engine's sites
 * directly. Reduced units (`units.system: 'lj'`) are converted to Å, eV, amu here, once, so the
 * library only ever sees internal units; a model declares its own units and is converted to Å and
 * eV when it is loaded, whatever `units.system` says.
 */
import { resolve } from 'node:path';
import { Cell } from '../../src/core/cell.js';
import { AnisoError } from '../../src/core/errors.js';
import { emptyForceResult, type ForceProvider, type ForceResult, type ParticleSystem } from '../../src/core/system.js';
import { createMapping } from '../../src/mapping/create-mapping.js';
import { MappedProvider } from '../../src/mapping/mapped-provider.js';
import type { SiteMapping } from '../../src/mapping/site-mapping.js';
import { GayBerne } from '../../src/potentials/gay-berne.js';
import { HarmonicRestraint } from '../../src/potentials/harmonic-restraint.js';
import { LennardJones } from '../../src/potentials/lennard-jones.js';
import { SumProvider } from '../../src/potentials/sum-provider.js';
import { modelProviderFromFile, registryCalculator, type CalculatorFactory } from './model-io.js';
import type { DriverConfig, MappingConfig, PotentialConfig } from './schema.js';

/** Options of {@link buildProvider}. */
export interface BuildOptions {
  /** Folder that relative paths in the config (model files) are relative to: the config file's. Default: the working directory. */
  baseDir?: string;
  /** Builds feature calculators of models (default: the registry; tests inject doubles). */
  createCalculator?: CalculatorFactory;
}

/** Multipliers from the file's units to Å, eV, amu. */
export interface UnitScales {
  length: number;
  energy: number;
  mass: number;
}

/** The scales declared by `config.units` (all 1 for `'real'`). */
export function unitScales(config: DriverConfig): UnitScales {
  const u = config.units;
  if (u.system === 'real') return { length: 1, energy: 1, mass: 1 };
  return { length: u.sigma!, energy: u.epsilon!, mass: u.mass! };
}

/** A provider that does nothing: zero energy, forces and virial. */
class ZeroProvider implements ForceProvider {
  readonly name = 'zero';
  compute(system: ParticleSystem): ForceResult {
    return emptyForceResult(system.n, false);
  }
}

function buildMapping(m: MappingConfig, s: UnitScales, restraintLength: number | undefined): SiteMapping {
  const L = s.length;
  const scale3 = (v: readonly number[]) => v.map((x) => x * L);
  switch (m.kind) {
    case 'identity':
      return createMapping({ kind: 'identity' });
    case 'dumbbell': {
      const length = restraintLength ?? m.bondLength;
      return createMapping({
        kind: 'dumbbell',
        semiaxes: scale3(m.semiaxes),
        ...(m.masses ? { masses: m.masses.map((x) => x * s.mass) } : {}),
        ...(length !== undefined ? { length: length * L } : {}),
      });
    }
    case 'triad':
      return createMapping({
        kind: 'triad',
        semiaxes: scale3(m.semiaxes),
        ...(m.masses ? { masses: m.masses.map((x) => x * s.mass) } : {}),
        ...(m.geometry ? { geometry: m.geometry.flatMap((p) => scale3(p)) } : {}),
      });
    case 'molecule':
      return createMapping({
        kind: 'molecule',
        semiaxes: scale3(m.semiaxes),
        masses: m.masses.map((x) => x * s.mass),
        reference: m.reference.flatMap((p) => scale3(p)),
      });
  }
}

/** The Gay–Berne term of a config in Å and eV, with the semi-axes it implies. */
export function gayBerneFromConfig(p: Extract<PotentialConfig, { kind: 'gayberne' }>, s: UnitScales): { gayBerne: GayBerne; semiaxes: [number, number, number] } {
  return GayBerne.fromClassic({
    kappa: p.kappa,
    kappaPrime: p.kappaPrime,
    mu: p.mu,
    nu: p.nu,
    sigma0: p.sigma0 * s.length,
    epsilon0: p.epsilon0 * s.energy,
    cutoff: p.cutoff * s.length,
    truncation: p.truncation,
    switchWidth: p.switchWidth * s.length,
  });
}

function buildGayBerne(p: Extract<PotentialConfig, { kind: 'gayberne' }>, s: UnitScales, mapping: MappingConfig): ForceProvider {
  const { gayBerne, semiaxes } = gayBerneFromConfig(p, s);
  if (mapping.kind !== 'identity') {
    const given = mapping.semiaxes.map((x) => x * s.length);
    const bad = given.some((x, k) => Math.abs(x - semiaxes[k]!) > 1e-9 * Math.max(1, Math.abs(semiaxes[k]!)));
    if (bad) {
      throw new AnisoError(
        'E_CONFIG',
        `gayberne with kappa ${p.kappa} and sigma0 ${p.sigma0} needs mapping.semiaxes ` +
          `[${semiaxes.map((x) => x / s.length).join(', ')}], but the mapping declares [${mapping.semiaxes.join(', ')}]`,
      );
    }
  } else {
    throw new AnisoError('E_CONFIG', "gayberne acts on ellipsoids: set mapping.kind to 'dumbbell', 'triad' or 'molecule'");
  }
  return gayBerne;
}

/** The model term of a config: the model file (relative to `baseDir`) with its calculator. */
export function modelFromConfig(
  p: Extract<PotentialConfig, { kind: 'model' }>,
  baseDir: string,
  base: CalculatorFactory,
): ReturnType<typeof modelProviderFromFile> {
  const factory: CalculatorFactory = (features, runtime) => base(features, p.threads !== undefined ? { ...runtime, threads: p.threads } : runtime);
  return modelProviderFromFile(resolve(baseDir, p.file), factory, 'model');
}

function buildModel(p: Extract<PotentialConfig, { kind: 'model' }>, mapping: MappingConfig, options: BuildOptions): ForceProvider {
  if (mapping.kind === 'identity') {
    throw new AnisoError('E_CONFIG', "a model potential acts on ellipsoids: set mapping.kind to 'dumbbell', 'triad' or 'molecule'");
  }
  const file = resolve(options.baseDir ?? '.', p.file);
  const { provider, model } = modelFromConfig(p, options.baseDir ?? '.', options.createCalculator ?? registryCalculator);
  if (model.species.length !== 1) {
    throw new AnisoError(
      'E_CONFIG',
      `model ${file} has ${model.species.length} species [${model.speciesNames.join(', ')}]; the site mappings give every ellipsoid type 0, so drive serves one-species models only`,
    );
  }
  return provider;
}

/** The Lennard-Jones term of a config in Å and eV. */
export function lennardJonesFromConfig(p: Extract<PotentialConfig, { kind: 'lj' }>, s: UnitScales): ForceProvider {
  return new LennardJones({
    epsilon: p.epsilon * s.energy,
    sigma: p.sigma * s.length,
    cutoff: p.cutoff * s.length,
    shift: p.shift,
    truncation: p.truncation,
    ...(p.truncation === 'switch' ? { switchWidth: p.switchWidth * s.length } : {}),
  });
}

/** Positions beyond this many cell widths (or Å for an open cell) mean a blown-up simulation. */
const ABSURD_WIDTHS = 1e6;

/**
 * Refuse positions that cannot come from a sane simulation (non-finite, or millions of cell widths
 * away): everything downstream would fail with a misleading message (coincident sites after the
 * periodic wrap has lost all precision).
 */
function checkSanePositions(system: ParticleSystem): void {
  const w = Cell.isPeriodic(system.cell) ? Math.max(...Cell.widths(system.cell)) : 1;
  const limit = ABSURD_WIDTHS * w;
  const p = system.positions;
  for (let k = 0; k < p.length; k++) {
    const x = p[k]!;
    if (!(Math.abs(x) < limit)) {
      const i = Math.floor(k / 3);
      throw new AnisoError(
        Number.isFinite(x) ? 'E_ARG' : 'E_NONFINITE',
        `site ${i} is at (${Array.from(p.subarray(3 * i, 3 * i + 3), (v) => v.toPrecision(4)).join(', ')}) Å, ` +
          `${Number.isFinite(x) ? `over ${ABSURD_WIDTHS.toExponential(0)} cell widths away` : 'not finite'}: ` +
          `the engine's simulation has blown up (check masses, time step and units)`,
      );
    }
  }
}

/**
 * A site-level provider whose site-count-dependent terms (restraints on every group) are built on
 * the first request and rebuilt when the number of sites changes (i-PI may send a different N
 * to the same driver).
 */
class ConfiguredProvider implements ForceProvider {
  readonly name = 'anisodrive';
  private n = -1;
  private current: ForceProvider | null = null;

  constructor(private readonly build: (nSites: number) => ForceProvider) {}

  compute(system: ParticleSystem): ForceResult {
    checkSanePositions(system);
    if (system.n !== this.n || this.current === null) {
      this.current = this.build(system.n);
      this.n = system.n;
    }
    return this.current.compute(system);
  }
}

/**
 * Build the site-level provider described by `config`. Validation of physical consistency that
 * the schema cannot express (GB semi-axes vs the mapping, restraint without a rest length) throws
 * `E_CONFIG` here, before any connection is made.
 */
export function buildProvider(config: DriverConfig, options: BuildOptions = {}): ForceProvider {
  const s = unitScales(config);
  const restraint = config.potentials.find((p): p is Extract<PotentialConfig, { kind: 'restraint' }> => p.kind === 'restraint');
  const mapping = buildMapping(config.mapping, s, restraint?.length);

  const ellipsoidTerms: ForceProvider[] = [];
  const siteTerms: ((nSites: number) => ForceProvider)[] = [];
  for (const p of config.potentials) {
    switch (p.kind) {
      case 'gayberne': {
        const gb = buildGayBerne(p, s, config.mapping);
        ellipsoidTerms.push(gb);
        break;
      }
      case 'lj': {
        const lj = lennardJonesFromConfig(p, s);
        if (p.on === 'ellipsoids') ellipsoidTerms.push(lj);
        else siteTerms.push(() => lj);
        break;
      }
      case 'restraint': {
        if (mapping.sitesPerEllipsoid < 2) {
          throw new AnisoError('E_CONFIG', `a restraint needs a mapping with several sites per ellipsoid, not '${mapping.kind}'`);
        }
        if (mapping.bodySites() === null) {
          throw new AnisoError(
            'E_CONFIG',
            `restraint needs a rest geometry: set restraint.length or mapping.bondLength (dumbbell), mapping.geometry (triad)`,
          );
        }
        const k = (p.k * s.energy) / (s.length * s.length);
        siteTerms.push((n) => HarmonicRestraint.forMapping(mapping, n, k));
        break;
      }
      case 'model': {
        ellipsoidTerms.push(buildModel(p, config.mapping, options));
        break;
      }
      case 'zero': {
        const zero = new ZeroProvider();
        siteTerms.push(() => zero);
        break;
      }
    }
  }
  return new ConfiguredProvider((nSites) => {
    mapping.ellipsoidCount(nSites); // E_SIZE with a clear message if the engine's sites do not fit
    const terms: ForceProvider[] = [];
    if (ellipsoidTerms.length > 0) {
      const inner = ellipsoidTerms.length === 1 ? ellipsoidTerms[0]! : new SumProvider(ellipsoidTerms, 'ellipsoids');
      terms.push(new MappedProvider(mapping, inner));
    }
    for (const make of siteTerms) terms.push(make(nSites));
    return terms.length === 1 ? terms[0]! : new SumProvider(terms, 'total');
  });
}
