// SPDX-License-Identifier: BSD-3-Clause
/**
 * From a validated {@link DriverConfig} to the site-level {@link ForceProvider} the driver serves:
 *
 *   guard( rebuilt-per-N( sum( mapped(mapping, sum(ellipsoid terms)),  site terms… ) ) )
 *
 * Everything comes from the registries: the mapping entry (`src/mapping/registry.ts`) builds the
 * mapping, each potential entry (`DRIVER_POTENTIALS`: `src/potentials/registry.ts` + `model`)
 * says where it acts and builds its term, and `mappedSiteProvider` (library) composes them with
 * the position guard and the rebuild on a change of the site count. Reduced units
 * (`units.system: 'lj'`) are converted to Å, eV, amu by the entries, once, so the library only
 * ever sees internal units; a model declares its own units and is converted to Å and eV when it
 * is loaded, whatever `units.system` says.
 */
import { AnisoError } from '../../src/core/errors.js';
import type { ForceProvider } from '../../src/core/system.js';
import { REAL_UNITS, type UnitScales } from '../../src/mapping/mapping-entry.js';
import { mappingFromParams } from '../../src/mapping/registry.js';
import { mappedSiteProvider } from '../../src/potentials/mapped-sum.js';
import type { PotentialEntry, PotentialTerm } from '../../src/potentials/potential-entry.js';
import { SumProvider } from '../../src/potentials/sum-provider.js';
import { registryCalculator, type CalculatorFactory } from './model-io.js';
import type { PluginPotentialContext } from './model-potential.js';
import { DRIVER_POTENTIALS, type DriverConfig, type PotentialConfig } from './schema.js';

export type { UnitScales } from '../../src/mapping/mapping-entry.js';

/** Options of {@link buildProvider}. */
export interface BuildOptions {
  /** Folder that relative paths in the config (model files) are relative to: the config file's. Default: the working directory. */
  baseDir?: string;
  /** Builds feature calculators of models (default: the registry; tests inject doubles). */
  createCalculator?: CalculatorFactory;
}

/** The scales declared by `config.units` (all 1 for `'real'`). */
export function unitScales(config: DriverConfig): UnitScales {
  const u = config.units;
  if (u.system === 'real') return { ...REAL_UNITS };
  return { length: u.sigma!, energy: u.epsilon!, mass: u.mass! };
}

type AnyEntry = PotentialEntry<typeof DRIVER_POTENTIALS[number]['schema'], PluginPotentialContext>;

/** The registry entry of a validated potential term. */
function entryOf(p: PotentialConfig): AnyEntry {
  const entry = DRIVER_POTENTIALS.find((e) => e.kind === p.kind);
  if (entry === undefined) throw new AnisoError('E_CONFIG', `unknown potential kind '${p.kind}'; allowed: ${DRIVER_POTENTIALS.map((e) => e.kind).join(', ')}`);
  return entry as unknown as AnyEntry;
}

/** The first rest length a potential declares for the mapping's groups (a restraint's `length`). */
function restLengthOf(config: DriverConfig): number | undefined {
  for (const p of config.potentials) {
    const entry = entryOf(p);
    if (entry.restLength !== undefined) return entry.restLength(p);
  }
  return undefined;
}

/**
 * Build the site-level provider described by `config`. Validation of physical consistency that
 * the schema cannot express (GB semi-axes vs the mapping, restraint without a rest length) throws
 * `E_CONFIG` here, before any connection is made.
 */
export function buildProvider(config: DriverConfig, options: BuildOptions = {}): ForceProvider {
  const scales = unitScales(config);
  const mapping = mappingFromParams(config.mapping, { scales, restLength: restLengthOf(config) });
  const context: PluginPotentialContext = {
    scales,
    mapping,
    mappingParams: config.mapping,
    baseDir: options.baseDir ?? '.',
    createCalculator: options.createCalculator ?? registryCalculator,
  };
  const ellipsoidTerms: ForceProvider[] = [];
  const siteTerms: ((nSites: number) => ForceProvider)[] = [];
  for (const p of config.potentials) {
    const term: PotentialTerm = entryOf(p).create(p, context);
    if (term.on === 'ellipsoids') ellipsoidTerms.push(term.provider);
    else siteTerms.push((n) => term.build(n));
  }
  return mappedSiteProvider({ mapping, ellipsoidTerms, siteTerms });
}

/**
 * The species table of the ellipsoid terms (type t ↔ `table[t]`), or null when every term has one
 * type without a name. Throws `E_CONFIG` for several types without names, or two terms whose
 * tables differ.
 */
function speciesTable(config: DriverConfig): string[] | null {
  let table: string[] | null = null;
  for (const p of config.potentials) {
    const names = entryOf(p).speciesNames?.(p);
    if (names === undefined || names.every((x) => x === undefined)) {
      if (names !== undefined && names.length > 1) {
        throw new AnisoError('E_CONFIG', `${p.kind} has ${names.length} types: give each a species name (types[t].species) so that replay can tell them apart`);
      }
      continue;
    }
    if (names.some((x) => x === undefined)) throw new AnisoError('E_CONFIG', `${p.kind}: every type needs a species name when one has it, got [${names.join(', ')}]`);
    const list = names as string[];
    if (table !== null && table.join('\u0000') !== list.join('\u0000')) {
      throw new AnisoError('E_CONFIG', `the ellipsoid terms name their types differently: [${table.join(', ')}] and [${list.join(', ')}]`);
    }
    table = list;
  }
  return table;
}

/**
 * Type indices of particles by species name (`species[i]` → its index in `table`). `where` starts
 * the `E_IO` message of an unknown species (e.g. the frame's source).
 */
export function typesBySpecies(species: readonly string[], table: readonly string[], where: string): Int32Array {
  const types = new Int32Array(species.length);
  for (let i = 0; i < species.length; i++) {
    const t = table.indexOf(species[i]!);
    if (t < 0) throw new AnisoError('E_IO', `${where}: particle ${i} has species '${species[i]}', not one of the configuration's types [${table.join(', ')}]`);
    types[i] = t;
  }
  return types;
}

/**
 * The ellipsoid-level provider of a driver config: its terms that act on ellipsoids (Gay–Berne,
 * `lj` with `on: 'ellipsoids'`, `model`), for rigid ellipsoids given directly; the site mapping
 * and the site terms do not apply and are listed in `skipped`. In Å and eV. `species` is the
 * table that gives particle types from species names ({@link typesBySpecies}), or null when every
 * particle is type 0.
 * @throws AnisoError `E_CONFIG` when no term acts on ellipsoids, or for unnamed types
 */
export function ellipsoidProviderFromConfig(
  config: DriverConfig,
  baseDir: string,
  factory: CalculatorFactory = registryCalculator,
): { provider: ForceProvider; skipped: string[]; species: string[] | null } {
  const context: PluginPotentialContext = { scales: unitScales(config), mapping: null, mappingParams: null, baseDir, createCalculator: factory };
  const terms: ForceProvider[] = [];
  const skipped: string[] = [];
  for (const p of config.potentials) {
    const entry = entryOf(p);
    if (entry.actsOn(p) !== 'ellipsoids') {
      skipped.push('on' in p ? `${p.kind} on '${p.on}'` : p.kind);
      continue;
    }
    const term = entry.create(p, context);
    if (term.on === 'ellipsoids') terms.push(term.provider);
  }
  if (terms.length === 0) {
    throw new AnisoError(
      'E_CONFIG',
      `the configuration has no ellipsoid terms (its terms: ${skipped.join(', ')}; e.g. gayberne, lj on ellipsoids, model) to replay an ellipsoid trajectory with`,
    );
  }
  return { provider: terms.length === 1 ? terms[0]! : new SumProvider(terms, 'ellipsoids'), skipped, species: speciesTable(config) };
}
