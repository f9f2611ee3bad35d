// SPDX-License-Identifier: BSD-3-Clause
/**
 * Atoms → ellipsoids, one frame at a time: {@link CoarseGrainer.map} turns an atomistic frame of
 * rigid molecules of one type ({@link MoleculeDefinition}) into a coarse-grained frame — centre of
 * mass, orientation, semi-axes, and, when the atoms carry forces, the CG force and torque of each
 * molecule — checking on the way that every molecule is the one defined.
 *
 * Layout: the atoms are taken k at a time in the frame's order (k = atoms per molecule); molecule
 * I owns atoms `kI … kI + k − 1`. A `molecules` id column, if given, must agree (one id per
 * group, no id in two groups); the output keeps the ids (else I).
 *
 * Per molecule (the {@link MoleculeMapping} of the definition):
 * - made whole by the minimum image relative to its **first atom**, `d_s = mic(r_s − r_0)` (each
 *   atom's own shortest vector to atom 0, so a molecule must span less than half the cell width);
 * - centre `R = r_0 + Σ_s w_s d_s` (`w_s = m_s / M`): unwrapped relative to atom 0, or wrapped
 *   into the cell with `wrapCentres`;
 * - orientation: the mass-weighted best-fit rotation of the reference coordinates onto
 *   `e_s = d_s − Σ_t w_t d_t` (Horn's quaternion, `molecule.ts`), unit, (w, x, y, z), body → lab,
 *   `w ≥ 0`;
 * - rigidity check: `δ_s = |e_s − R(q) x_s|` (Å) for the centred reference `x_s`; the largest
 *   must not exceed the definition's tolerance;
 * - force `F = Σ_s f_s` (eV/Å) and lab torque about the centre `τ = Σ_s e_s × f_s` (eV)
 *   (`SiteMapping.reduceForces`);
 * - virial: with forces and a virial label `W` (eV, row-major, `−∂E/∂ε`), the molecular virial
 *   `W − Σ_I Σ_{s∈I} f_s ⊗ e_s` — the virial of the ellipsoids at fixed lab orientations, the one
 *   `SiteMapping.backward` adds the same sum to. Without forces the virial is dropped.
 *
 * Errors are `AnisoError('E_MAPPING')` naming the frame (and its source), the molecule, the atom
 * and the value: an atom count that is not a multiple of k, a species out of order, a non-finite
 * position or force, disagreeing molecule ids, a molecule beyond the tolerance (deviation in Å),
 * a degenerate fit.
 */
import { Cell } from '../core/cell.js';
import { AnisoError } from '../core/errors.js';
import { quatToMatrix } from '../core/quaternion.js';
import type { ParticleSystem } from '../core/system.js';
import { checkMoleculeDefinition, type MoleculeDefinition } from './molecule-definition.js';
import { MoleculeMapping } from './molecule.js';

/** An atomistic frame: what {@link CoarseGrainer.map} reads (an `io` `Frame` fits). */
export interface AtomisticFrame {
  /** Atom positions (3N, Å, atom-major). */
  readonly positions: Float64Array;
  /** The cell (rows = lattice vectors, Å). */
  readonly cell: Cell;
  /** Chemical symbol per atom (N). */
  readonly species: readonly string[];
  /** Atomic forces (3N, eV/Å), optional. */
  readonly forces?: ArrayLike<number> | null;
  /** Molecule id per atom (N), optional. */
  readonly molecules?: ArrayLike<number> | null;
  /** Virial label (9, eV, row-major, `−∂E/∂ε`), optional; used only with forces. */
  readonly virial?: ArrayLike<number> | null;
}

/** A coarse-grained frame: M ellipsoids. */
export interface CoarseGrainedFrame extends ParticleSystem {
  /** Centres of mass (3M, Å). */
  readonly positions: Float64Array;
  /** Orientations (4M, unit (w, x, y, z), body → lab, w ≥ 0). */
  readonly orientations: Float64Array;
  /** Semi-axes (3M, Å, body x, y, z). */
  readonly semiaxes: Float64Array;
  /** The definition's `cgSpecies` per ellipsoid (M). */
  readonly species: string[];
  /** Molecule id per ellipsoid (M): the input's ids, else 0 … M − 1. */
  readonly molecules: Int32Array;
  /** CG forces (3M, eV/Å), when the atoms have forces. */
  readonly forces?: Float64Array;
  /** CG lab torques about the centres (3M, eV), when the atoms have forces. */
  readonly torques?: Float64Array;
  /** Molecular virial (9, eV), when the atoms have forces and a virial. */
  readonly virial?: Float64Array;
  /** Largest atom deviation from the best-fit reference over the frame (Å). */
  readonly maxDeviation: number;
}

/** Options of {@link CoarseGrainer}. */
export interface CoarseGrainOptions {
  /** Wrap each centre into the cell along its periodic directions (default false: unwrapped relative to the molecule's first atom). */
  wrapCentres?: boolean;
}

const fmt = (x: number) => String(Number(x.toPrecision(3)));

/** Atoms → ellipsoids for one molecule type (module doc). Reusable across frames; not re-entrant. */
export class CoarseGrainer {
  /** Atoms per molecule, k. */
  readonly atomsPerMolecule: number;
  /** The mapping that places and orients each molecule. */
  readonly mapping: MoleculeMapping;
  private readonly definition: MoleculeDefinition;
  private readonly wrapCentres: boolean;
  /** Centred reference coordinates (3k, Å). */
  private readonly reference: Float64Array;
  private readonly weights: Float64Array;
  /** Scratch: the minimum-image vectors of one molecule, then its centred vectors e_s (3k, Å). */
  private readonly rel: Float64Array;
  private readonly rot = new Float64Array(9);

  /** @throws AnisoError `E_CONFIG` for a bad definition (see {@link checkMoleculeDefinition}) */
  constructor(definition: MoleculeDefinition, options: CoarseGrainOptions = {}) {
    checkMoleculeDefinition(definition);
    this.definition = definition;
    this.atomsPerMolecule = definition.species.length;
    this.mapping = new MoleculeMapping({ semiaxes: definition.semiaxes, masses: definition.masses, reference: definition.coordinates });
    this.reference = this.mapping.bodySites();
    this.weights = this.mapping.weights;
    this.rel = new Float64Array(3 * this.atomsPerMolecule);
    this.wrapCentres = options.wrapCentres ?? false;
  }

  /**
   * Map one frame (module doc). `frameIndex` (0-based) and `source` (e.g. `file:line`) name the
   * frame in errors.
   * @throws AnisoError `E_SIZE` for arrays of inconsistent length, `E_MAPPING` for a frame that is
   *   not made of the defined molecules (naming frame, molecule, atom and value)
   */
  map(frame: AtomisticFrame, frameIndex: number, source?: string): CoarseGrainedFrame {
    const def = this.definition, k = this.atomsPerMolecule;
    const where = `frame ${frameIndex}${source ? ` (${source})` : ''}`;
    const n = frame.species.length;
    if (frame.positions.length !== 3 * n) throw new AnisoError('E_SIZE', `${where}: positions have length ${frame.positions.length}, expected 3·${n}`);
    if (n % k !== 0 || n === 0) {
      throw new AnisoError('E_MAPPING', `${where}: ${n} atoms is not a positive multiple of ${k} (atoms per ${def.name} molecule)`);
    }
    const m = n / k;
    const forces = frame.forces ?? null;
    if (forces !== null && forces.length !== 3 * n) throw new AnisoError('E_SIZE', `${where}: forces have length ${forces.length}, expected 3·${n}`);
    this.checkAtoms(frame, where);
    const molecules = this.moleculeIds(frame, m, where);

    const system: ParticleSystem = { n, positions: frame.positions, cell: frame.cell };
    let ell: ParticleSystem;
    try {
      ell = this.mapping.forward(system);
    } catch (err) {
      if (err instanceof AnisoError) throw new AnisoError(err.code, `${where}: ${err.message.replace('ellipsoid', 'molecule')}`, { cause: err });
      throw err;
    }
    const virial = forces !== null && frame.virial ? Float64Array.from(frame.virial) : null;
    if (virial !== null && virial.length !== 9) throw new AnisoError('E_SIZE', `${where}: virial has length ${virial.length}, expected 9 (row-major 3×3)`);
    const maxDeviation = this.checkGeometry(frame, ell.orientations!, where, forces, virial);
    const reduced = forces === null ? null : this.mapping.reduceForces(system, forces);
    if (this.wrapCentres) Cell.wrap(frame.cell, ell.positions);
    return {
      n: m,
      positions: ell.positions,
      cell: frame.cell,
      orientations: ell.orientations!,
      semiaxes: ell.semiaxes!,
      species: new Array<string>(m).fill(def.cgSpecies),
      molecules,
      ...(reduced ? { forces: reduced.forces, torques: reduced.torques } : {}),
      ...(virial ? { virial } : {}),
      maxDeviation,
    };
  }

  /** Species in the defined order; finite positions and forces. */
  private checkAtoms(frame: AtomisticFrame, where: string): void {
    const k = this.atomsPerMolecule, expected = this.definition.species, p = frame.positions, f = frame.forces;
    for (let j = 0; j < frame.species.length; j++) {
      const s = j % k, i = (j - s) / k;
      if (frame.species[j] !== expected[s]) {
        throw new AnisoError(
          'E_MAPPING',
          `${where}, molecule ${i}: atom ${s} (site ${j}) is ${frame.species[j]}, the molecule definition expects ${expected[s]} ` +
            `(atoms are taken ${k} at a time in file order: ${expected.join(' ')})`,
        );
      }
      for (let a = 0; a < 3; a++) {
        if (!Number.isFinite(p[3 * j + a]!)) throw new AnisoError('E_MAPPING', `${where}, molecule ${i}: position ${'xyz'[a]} of atom ${s} (site ${j}) is ${p[3 * j + a]} Å`);
        if (f && !Number.isFinite(f[3 * j + a]!)) throw new AnisoError('E_MAPPING', `${where}, molecule ${i}: force ${'xyz'[a]} on atom ${s} (site ${j}) is ${f[3 * j + a]} eV/Å`);
      }
    }
  }

  /** The id of each molecule: one per group, distinct; 0 … M − 1 without ids. */
  private moleculeIds(frame: AtomisticFrame, m: number, where: string): Int32Array {
    const k = this.atomsPerMolecule, ids = frame.molecules ?? null, out = new Int32Array(m);
    if (ids === null) {
      for (let i = 0; i < m; i++) out[i] = i;
      return out;
    }
    if (ids.length !== frame.species.length) throw new AnisoError('E_SIZE', `${where}: molecule ids have length ${ids.length}, expected ${frame.species.length}`);
    const owner = new Map<number, number>();
    for (let i = 0; i < m; i++) {
      const id = ids[k * i]!;
      for (let s = 1; s < k; s++) {
        if (ids[k * i + s] !== id) {
          throw new AnisoError(
            'E_MAPPING',
            `${where}, molecule ${i}: atom ${s} (site ${k * i + s}) has molecule id ${ids[k * i + s]}, atom 0 has ${id} ` +
              `(atoms are taken ${k} at a time in file order; the molecule column must agree)`,
          );
        }
      }
      const prev = owner.get(id);
      if (prev !== undefined) throw new AnisoError('E_MAPPING', `${where}, molecule ${i}: molecule id ${id} is already that of molecule ${prev} (sites ${k * prev}–${k * prev + k - 1})`);
      owner.set(id, i);
      out[i] = id;
    }
    return out;
  }

  /**
   * The largest deviation `|e_s − R(q) x_s|` over the frame (Å), refusing a molecule beyond the
   * tolerance; with `virial`, subtracts `Σ f_s ⊗ e_s` from it in place.
   */
  private checkGeometry(frame: AtomisticFrame, q: Float64Array, where: string, forces: ArrayLike<number> | null, virial: Float64Array | null): number {
    const k = this.atomsPerMolecule, m = frame.species.length / k, x = this.reference, w = this.weights, e = this.rel, r = this.rot;
    const pos = frame.positions, cell = frame.cell, periodic = Cell.isPeriodic(cell), tol = this.definition.tolerance;
    let frameMax = 0;
    for (let i = 0; i < m; i++) {
      const j0 = 3 * k * i;
      let cx = 0, cy = 0, cz = 0;
      for (let s = 0; s < k; s++) {
        const js = j0 + 3 * s;
        e[3 * s] = pos[js]! - pos[j0]!;
        e[3 * s + 1] = pos[js + 1]! - pos[j0 + 1]!;
        e[3 * s + 2] = pos[js + 2]! - pos[j0 + 2]!;
        if (periodic && s > 0) Cell.minimumImage(cell, e, 3 * s);
        cx += w[s]! * e[3 * s]!;
        cy += w[s]! * e[3 * s + 1]!;
        cz += w[s]! * e[3 * s + 2]!;
      }
      quatToMatrix(r, 0, q, 4 * i);
      let worst = 0, worstAtom = 0, sum2 = 0;
      for (let s = 0; s < k; s++) {
        const ex = (e[3 * s] = e[3 * s]! - cx), ey = (e[3 * s + 1] = e[3 * s + 1]! - cy), ez = (e[3 * s + 2] = e[3 * s + 2]! - cz);
        const a = x[3 * s]!, b = x[3 * s + 1]!, c = x[3 * s + 2]!;
        const dx = ex - (r[0]! * a + r[1]! * b + r[2]! * c);
        const dy = ey - (r[3]! * a + r[4]! * b + r[5]! * c);
        const dz = ez - (r[6]! * a + r[7]! * b + r[8]! * c);
        const d2 = dx * dx + dy * dy + dz * dz;
        sum2 += d2;
        if (d2 > worst) {
          worst = d2;
          worstAtom = s;
        }
        if (virial !== null && forces !== null) {
          const fx = forces[j0 + 3 * s]!, fy = forces[j0 + 3 * s + 1]!, fz = forces[j0 + 3 * s + 2]!;
          virial[0] = virial[0]! - fx * ex; virial[1] = virial[1]! - fx * ey; virial[2] = virial[2]! - fx * ez;
          virial[3] = virial[3]! - fy * ex; virial[4] = virial[4]! - fy * ey; virial[5] = virial[5]! - fy * ez;
          virial[6] = virial[6]! - fz * ex; virial[7] = virial[7]! - fz * ey; virial[8] = virial[8]! - fz * ez;
        }
      }
      worst = Math.sqrt(worst);
      if (!(worst <= tol)) {
        throw new AnisoError(
          'E_MAPPING',
          `${where}, molecule ${i} (sites ${k * i}–${k * i + k - 1}): atom ${worstAtom} (${this.definition.species[worstAtom]}) is ${fmt(worst)} Å ` +
            `from the best-fit ${this.definition.name} geometry (rms over the molecule ${fmt(Math.sqrt(sum2 / k))} Å), tolerance ${tol} Å`,
        );
      }
      if (worst > frameMax) frameMax = worst;
    }
    return frameMax;
  }
}
