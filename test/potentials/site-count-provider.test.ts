// SPDX-License-Identifier: BSD-3-Clause
/**
 * The per-N rebuild (`SiteCountProvider`) and the driver's composition `mappedSiteProvider`
 * (guard + rebuild + mapped ellipsoid terms + site terms): built once per site count, rebuilt
 * when N changes, same numbers as composing the parts by hand.
 */
import { describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import type { ForceProvider, ParticleSystem } from '../../src/core/system.js';
import { DumbbellMapping } from '../../src/mapping/dumbbell.js';
import { MappedProvider } from '../../src/mapping/mapped-provider.js';
import { GayBerne } from '../../src/potentials/gay-berne.js';
import { HarmonicRestraint } from '../../src/potentials/harmonic-restraint.js';
import { mappedSiteProvider } from '../../src/potentials/mapped-sum.js';
import { SiteCountProvider } from '../../src/potentials/site-count-provider.js';
import { SumProvider } from '../../src/potentials/sum-provider.js';
import { ZeroProvider } from '../../src/potentials/zero.js';
import { expectCode } from '../support/assertions.js';
import { seededRandom } from '../support/random.js';

const cell = Cell.orthorhombic(20, 20, 20);

/** `m` dumbbells of length 1.6 Å, random axes, in a row 2.2 Å apart (every neighbour pair interacts). */
function dumbbells(m: number, seed: number): ParticleSystem {
  const rand = seededRandom(seed);
  const p = new Float64Array(6 * m);
  for (let i = 0; i < m; i++) {
    const z = 2 * rand() - 1, phi = 2 * Math.PI * rand(), r = Math.sqrt(1 - z * z);
    const u = [r * Math.cos(phi), r * Math.sin(phi), z];
    for (let k = 0; k < 3; k++) {
      const c = 2.2 * (k === 0 ? i : 0) + 0.3 * rand();
      p[6 * i + k] = c - 0.7 * u[k]!;
      p[6 * i + 3 + k] = c + 0.9 * u[k]!;
    }
  }
  return { n: 2 * m, positions: p, cell };
}

describe('SiteCountProvider', () => {
  it('builds on the first request, reuses for the same N, rebuilds when N changes', () => {
    const built: number[] = [];
    const p = new SiteCountProvider((n) => (built.push(n), new ZeroProvider()), 'counted');
    p.compute(dumbbells(3, 1));
    p.compute(dumbbells(3, 2));
    expect(built).toEqual([6]);
    expect(p.siteCount).toBe(6);
    p.compute(dumbbells(5, 3));
    p.compute(dumbbells(3, 4));
    expect(built).toEqual([6, 10, 6]);
    expect(p.name).toBe('counted');
  });

  it('lets a failed build propagate and tries again on the next request', () => {
    let fail = true;
    const p = new SiteCountProvider(() => {
      if (fail) throw new Error('no');
      return new ZeroProvider();
    });
    expect(() => p.compute(dumbbells(2, 1))).toThrow('no');
    expect(p.siteCount).toBe(-1);
    fail = false;
    expect(p.compute(dumbbells(2, 1)).energy).toBe(0);
  });
});

describe('mappedSiteProvider', () => {
  const mapping = new DumbbellMapping({ semiaxes: [0.5, 0.5, 1.5], length: 1.5 });
  const gb = GayBerne.fromClassic({ kappa: 3, kappaPrime: 5, mu: 2, nu: 1, sigma0: 1, epsilon0: 1, cutoff: 4 }).gayBerne;

  it('gives bitwise the result of the hand-made composition, for each N in turn', () => {
    const provider = mappedSiteProvider({ mapping, ellipsoidTerms: [gb], siteTerms: [(n) => HarmonicRestraint.forMapping(mapping, n, 3)] });
    expect(provider.name).toBe('anisodrive');
    for (const [m, seed] of [[8, 1], [11, 2], [8, 3]] as const) {
      const sys = dumbbells(m, seed);
      const byHand: ForceProvider = new SumProvider([new MappedProvider(mapping, gb), HarmonicRestraint.forMapping(mapping, sys.n, 3)], 'total');
      const a = provider.compute(sys), b = byHand.compute(sys);
      const energies = a.extras.energies as Record<string, number>;
      expect(Math.abs(energies.gayberne!)).toBeGreaterThan(1e-3);
      expect(Math.abs(energies.restraint!)).toBeGreaterThan(1e-3);
      expect(a.energy).toBe(b.energy);
      expect(Array.from(a.forces)).toEqual(Array.from(b.forces));
      expect(Array.from(a.virial)).toEqual(Array.from(b.virial));
    }
  });

  it('refuses a site count the mapping cannot split, and blown-up positions, naming them', () => {
    const provider = mappedSiteProvider({ mapping, ellipsoidTerms: [gb], siteTerms: [] });
    expectCode(() => provider.compute({ n: 3, positions: new Float64Array(9), cell }), 'E_SIZE', /multiple of 2 sites.*got 3/);
    const sys = dumbbells(2, 5);
    (sys.positions as Float64Array)[4] = 1e40;
    expectCode(() => provider.compute(sys), 'E_ARG', /site 1 is at .* Å, over 1e\+6 cell widths away/);
  });

  it('needs at least one term', () => {
    expectCode(() => mappedSiteProvider({ mapping, ellipsoidTerms: [], siteTerms: [] }), 'E_ARG', /at least one term/);
  });
});
