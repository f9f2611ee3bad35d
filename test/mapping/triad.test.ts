// SPDX-License-Identifier: BSD-3-Clause
import { describe, expect, it } from 'vitest';
import type { Cell } from '../../src/core/cell.js';
import { quatMultiply } from '../../src/core/quaternion.js';
import type { ParticleSystem } from '../../src/core/system.js';
import { TriadMapping, type TriadMappingOptions } from '../../src/mapping/triad.js';
import { expectCode, expectFdMatch } from '../support/assertions.js';
import { randomRotation, rotateSystem, seededRandom } from '../support/random.js';
import {
  CUBIC_CELL,
  TRICLINIC_CELL,
  ToyEllipsoidPotential,
  bodyAxis,
  groupBalanceErrors,
  jiggledSites,
  mappingFdErrors,
  maxAbs,
  quatDistance,
  randomEllipsoids,
  straddles,
  wrapped,
} from '../support/toy-ellipsoid-potential.js';

const SEMI = [1.3, 0.8, 1.7, 0.9, 0.6, 1.2];
const GEOMETRY = [0.1, -0.2, -0.7, 0.0, 0.1, 0.9, 1.1, 0.2, 0.3];
const toy = new ToyEllipsoidPotential();
const reference = new TriadMapping({ semiaxes: SEMI, geometry: GEOMETRY, masses: [1, 2, 3] });

function makeSites(cell: Cell, seed: number, m = 5): ParticleSystem {
  return jiggledSites(reference, cell, seed, m, SEMI, 0.12);
}

const variants: Array<[string, TriadMappingOptions]> = [
  ['geometry mode', { semiaxes: SEMI, geometry: GEOMETRY, masses: [1, 2, 3] }],
  ['geometry mode, pairs [1,2]/[1,0]', { semiaxes: SEMI, geometry: GEOMETRY, primary: [1, 2], secondary: [1, 0] }],
  ['axis mode (defaults z, x)', { semiaxes: SEMI }],
  ['axis mode (x, z), pairs [2,1]/[0,1]', { semiaxes: SEMI, primaryAxis: 'x', secondaryAxis: 'z', primary: [2, 1], secondary: [0, 1], masses: [3, 1, 1] }],
];

describe('TriadMapping', () => {
  for (const [label, options] of variants) {
    const mapping = new TriadMapping(options);
    for (const [cellLabel, cell] of [['cubic', CUBIC_CELL], ['triclinic', TRICLINIC_CELL]] as const) {
      it(`exact site forces and virial: ${label}, ${cellLabel}, straddling groups`, () => {
        const sites = makeSites(cell, 40 + label.length);
        expect(straddles(mapping, sites, 3)).toBe(true);
        expectFdMatch(mappingFdErrors(mapping, toy, sites), 1e-7, `triad ${label} ${cellLabel}`);
      });
    }

    it(`site forces balance the centre force and torque: ${label}`, () => {
      const sites = makeSites(TRICLINIC_CELL, 5);
      const bal = groupBalanceErrors(mapping, toy, sites);
      expect(bal.force).toBeLessThan(1e-13);
      expect(bal.moment).toBeLessThan(1e-12);
    });

    it(`forward is covariant: translation keeps, rotation Q gives Q ⊗ q: ${label}`, () => {
      const rand = seededRandom(77);
      const sites = makeSites(TRICLINIC_CELL, 6);
      const a = mapping.forward(sites);
      const shift = [-0.4, 3.1, 1.7];
      const b = mapping.forward({ ...sites, positions: sites.positions.map((x, k) => x + shift[k % 3]!) });
      const q = randomRotation(rand, 2.3);
      const c = mapping.forward(rotateSystem(sites, q));
      const rc = rotateSystem(a, q);
      const qq = new Float64Array(4);
      for (let i = 0; i < a.n; i++) {
        expect(quatDistance(a.orientations!, 4 * i, b.orientations!, 4 * i)).toBeLessThan(1e-13);
        for (let d = 0; d < 3; d++) {
          expect(b.positions[3 * i + d]).toBeCloseTo(a.positions[3 * i + d]! + shift[d]!, 12);
          expect(c.positions[3 * i + d]).toBeCloseTo(rc.positions[3 * i + d]!, 12);
        }
        quatMultiply(qq, 0, q, 0, a.orientations!, 4 * i);
        expect(quatDistance(c.orientations!, 4 * i, qq, 0)).toBeLessThan(1e-13);
      }
    });
  }

  it('round trip in geometry mode: ellipsoids → sites → ellipsoids', () => {
    const rand = seededRandom(12);
    for (const options of [variants[0]![1], variants[1]![1]]) {
      const mapping = new TriadMapping(options);
      const ells = randomEllipsoids(rand, CUBIC_CELL, 6, SEMI, 2);
      const back = mapping.forward(wrapped(mapping.toSites(ells)));
      for (let i = 0; i < ells.n; i++) {
        expect(quatDistance(back.orientations!, 4 * i, ells.orientations!, 4 * i)).toBeLessThan(1e-13);
        const dc = [0, 1, 2].map((d) => back.positions[3 * i + d]! - ells.positions[3 * i + d]!);
        // wrapped sites: centres agree modulo a lattice vector (cubic cell, edge 7.2 Å)
        expect(maxAbs(dc.map((x) => x / 7.2 - Math.round(x / 7.2)))).toBeLessThan(1e-13);
      }
    }
  });

  it('axis-mode frame convention: body z along r1 − r0, body x towards site 2', () => {
    const mapping = new TriadMapping({ semiaxes: [1, 1, 1] });
    const r = Float64Array.of(0.2, 0.1, 0.3, 0.5, 1.4, 0.2, 1.3, 0.4, 0.9);
    const e = mapping.forward({ n: 3, positions: r, cell: CUBIC_CELL });
    const z = bodyAxis(e.orientations!, 0, 2), x = bodyAxis(e.orientations!, 0, 0), y = bodyAxis(e.orientations!, 0, 1);
    const a = [0, 1, 2].map((d) => r[3 + d]! - r[d]!), la = Math.hypot(a[0]!, a[1]!, a[2]!);
    for (let d = 0; d < 3; d++) expect(z[d]).toBeCloseTo(a[d]! / la, 14);
    const b = [0, 1, 2].map((d) => r[6 + d]! - r[d]!);
    expect(x[0]! * b[0]! + x[1]! * b[1]! + x[2]! * b[2]!).toBeGreaterThan(0);
    expect(Math.abs(x[0]! * a[0]! + x[1]! * a[1]! + x[2]! * a[2]!)).toBeLessThan(1e-14);
    // right-handed: y = z × x
    expect(y[0]).toBeCloseTo(z[1]! * x[2]! - z[2]! * x[1]!, 14);
    expect(y[1]).toBeCloseTo(z[2]! * x[0]! - z[0]! * x[2]!, 14);
    expect(y[2]).toBeCloseTo(z[0]! * x[1]! - z[1]! * x[0]!, 14);
  });

  it('rejects collinear and coincident sites, misfit counts and bad options', () => {
    const sites = makeSites(CUBIC_CELL, 3, 3);
    const pos = Float64Array.from(sites.positions);
    // ellipsoid 1: sites 3, 4, 5 collinear
    for (let d = 0; d < 3; d++) pos[15 + d] = 2 * pos[12 + d]! - pos[9 + d]!;
    expectCode(() => reference.forward({ ...sites, positions: pos }), 'E_MAPPING', /ellipsoid 1 \(sites 3, 4, 5\) is collinear/);
    const pos2 = Float64Array.from(sites.positions);
    pos2.copyWithin(21, 18, 21); // ellipsoid 2: site 7 onto site 6
    expectCode(() => reference.forward({ ...sites, positions: pos2 }), 'E_MAPPING', /ellipsoid 2 .*coincident/);
    expectCode(() => reference.forward({ ...sites, n: 8, positions: new Float64Array(24) }), 'E_SIZE', /multiple of 3 sites.*got 8/);
    expectCode(() => new TriadMapping({ semiaxes: SEMI, primary: [0, 1], secondary: [1, 0] }), 'E_CONFIG', /same pair/);
    expectCode(() => new TriadMapping({ semiaxes: SEMI, primaryAxis: 'y', secondaryAxis: 'y' }), 'E_CONFIG', /two different axes/);
    expectCode(() => new TriadMapping({ semiaxes: SEMI, geometry: GEOMETRY, primaryAxis: 'x' }), 'E_CONFIG', /geometry/);
    expectCode(() => new TriadMapping({ semiaxes: SEMI, geometry: [0, 0, 0, 0, 0, 1, 0, 0, 2] }), 'E_CONFIG', /degenerate/);
    expectCode(() => new TriadMapping({ semiaxes: SEMI, primary: [0, 3] as unknown as [number, number] }), 'E_CONFIG', /primary/);
    expectCode(() => new TriadMapping({ semiaxes: [1, 2] }), 'E_CONFIG', /semiaxes/);
  });
});
