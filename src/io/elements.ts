// SPDX-License-Identifier: BSD-3-Clause
/**
 * Chemical symbols and atomic numbers, for species columns of extended XYZ files (ASE's
 * `atom.number`; the dummy element `X` is 0, as in AniSOAP).
 */
import { AnisoError } from '../core/errors.js';

/** Symbols by atomic number, `X` (0) to `Og` (118). */
export const ELEMENT_SYMBOLS: readonly string[] = Object.freeze(
  (
    'X H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr ' +
    'Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb ' +
    'Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr Rf ' +
    'Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og'
  ).split(' '),
);

const BY_SYMBOL = new Map(ELEMENT_SYMBOLS.map((s, z) => [s, z]));

/**
 * The atomic number of `species`: a chemical symbol (`X` → 0) or a non-negative integer written as
 * text (`"6"`). Throws `E_ARG` naming the symbol otherwise.
 */
export function atomicNumber(species: string): number {
  const z = BY_SYMBOL.get(species);
  if (z !== undefined) return z;
  if (/^\d+$/.test(species)) return Number(species);
  throw new AnisoError('E_ARG', `species '${species}' is neither a chemical symbol (X, H, He, …) nor an atomic number`);
}

/** The symbol of atomic number `z` (the number as text beyond 118). */
export function elementSymbol(z: number): string {
  return ELEMENT_SYMBOLS[z] ?? String(z);
}
