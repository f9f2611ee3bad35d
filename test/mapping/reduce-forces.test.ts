// SPDX-License-Identifier: BSD-3-Clause
/**
 * `SiteMapping.reduceForces` (site forces → force on each centre and torque about it) for every
 * mapping: (1) the round trip through `backward` recovers a rigid-body (F, τ) to 1e-12 (a
 * dumbbell: τ perpendicular to its axis; identity: τ = 0); (2) for random site forces, F and τ
 * are the finite-difference derivatives of the virtual work Σ f·r under a rigid translation and a
 * rigid rotation of the group about the mapping's centre. Triclinic cell, groups straddling the
 * periodic boundary.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import { quatFromAxisAngle, quatRotate } from '../../src/core/quaternion.js';
import type { ParticleSystem } from '../../src/core/system.js';
import { DumbbellMapping } from '../../src/mapping/dumbbell.js';
import { IdentityMapping } from '../../src/mapping/identity.js';
import { MoleculeMapping } from '../../src/mapping/molecule.js';
import type { SiteMapping } from '../../src/mapping/site-mapping.js';
import { TriadMapping } from '../../src/mapping/triad.js';
import { expectCode } from '../support/assertions.js';
import { seededRandom } from '../support/random.js';
import { TRICLINIC_CELL, bodyAxis, jiggledSites, maxAbs, straddles } from '../support/toy-ellipsoid-potential.js';

const M = 6;
const mappings: Array<[string, SiteMapping, number[]]> = [
  ['identity', new IdentityMapping(), [1, 1, 1]],
  ['dumbbell', new DumbbellMapping({ semiaxes: [0.9, 0.9, 1.7], masses: [12, 16], length: 1.6 }), [0.9, 0.9, 1.7]],
  ['triad (geometry)', new TriadMapping({ semiaxes: [1.3, 0.8, 1.7], geometry: [0.1, -0.2, -0.7, 0.0, 0.1, 0.9, 1.1, 0.2, 0.3], masses: [1, 2, 3] }), [1.3, 0.8, 1.7]],
  ['triad (axis mode x, z)', new TriadMapping({ semiaxes: [1.3, 0.8, 1.7], primaryAxis: 'x', secondaryAxis: 'z', primary: [2, 1], secondary: [0, 1] }), [1.3, 0.8, 1.7]],
  [
    'molecule (4 atoms)',
    new MoleculeMapping({ semiaxes: [1.4, 0.9, 1.9], masses: [12.011, 1.008, 15.999, 14.007], reference: [0, 0, 0, 1.05, 0.1, -0.3, -0.4, 1.2, 0.2, 0.3, -0.5, 1.1] }),
    [1.4, 0.9, 1.9],
  ],
];

/** Sites of `mapping` for M random ellipsoids; the triad in axis mode borrows the geometry triad's layout. */
function sitesFor(mapping: SiteMapping, semi: number[], seed: number): ParticleSystem {
  const builder = mapping.bodySites() === null ? mappings[2]![1] : mapping;
  return jiggledSites(builder, TRICLINIC_CELL, seed, M, semi, 0.1);
}

function randomVectors(rand: () => number, n: number, scale: number): Float64Array {
  return Float64Array.from({ length: 3 * n }, () => scale * (2 * rand() - 1));
}

/** max |a − b| / max |b|. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  for (let k = 0; k < b.length; k++) num = Math.max(num, Math.abs(a[k]! - b[k]!));
  return num / Math.max(maxAbs(b), 1e-300);
}

const worst: Record<string, number> = {};
const note = (key: string, err: number) => void (worst[key] = Math.max(worst[key] ?? 0, err));

describe('SiteMapping.reduceForces', () => {
  afterAll(() => console.info(`reduceForces worst relative errors: ${Object.entries(worst).map(([k, v]) => `${k} ${v.toExponential(1)}`).join('; ')}`));
  for (const [label, mapping, semi] of mappings) {
    it(`${label}: backward then reduceForces gives back the rigid-body force and torque (1e-12)`, () => {
      const sites = sitesFor(mapping, semi, 11);
      if (mapping.sitesPerEllipsoid > 1) expect(straddles(mapping, sites, 3)).toBe(true);
      const ells = mapping.forward(sites);
      const rand = seededRandom(5);
      const F = randomVectors(rand, M, 2);
      const tau = randomVectors(rand, M, 3);
      if (mapping.kind === 'dumbbell') {
        // Two sites carry only the torque perpendicular to the axis.
        for (let i = 0; i < M; i++) {
          const u = bodyAxis(ells.orientations!, 4 * i, 2);
          const along = tau[3 * i]! * u[0]! + tau[3 * i + 1]! * u[1]! + tau[3 * i + 2]! * u[2]!;
          for (let d = 0; d < 3; d++) tau[3 * i + d] = tau[3 * i + d]! - along * u[d]!;
        }
      }
      const siteForces = mapping.backward(sites, ells, { energy: 0, forces: F, torques: tau, virial: new Float64Array(9), extras: {} }).forces;
      const red = mapping.reduceForces(sites, siteForces);
      expect(red.forces.length).toBe(3 * M);
      note(`${label} round-trip F`, relErr(red.forces, F));
      expect(relErr(red.forces, F)).toBeLessThan(1e-12);
      if (mapping.kind === 'identity') expect(maxAbs(red.torques)).toBe(0);
      else {
        note(`${label} round-trip τ`, relErr(red.torques, tau));
        expect(relErr(red.torques, tau)).toBeLessThan(1e-12);
      }
    });

    it(`${label}: F and τ are the derivatives of Σ f·r under rigid translation and rotation about the centre`, () => {
      const sites = sitesFor(mapping, semi, 12);
      const rand = seededRandom(6);
      const f = randomVectors(rand, sites.n, 1.5);
      const red = mapping.reduceForces(sites, f);
      const centres = mapping.forward(sites).positions;
      const h = 1e-5;
      const q = new Float64Array(4), d = new Float64Array(3), moved = new Float64Array(3);
      let worstF = 0, worstT = 0;
      for (let i = 0; i < M; i++) {
        // Work of the group's forces at sites r_s = R + t + Rot(θ) mic(r_s − R).
        const work = (t: number[], axis: number, angle: number): number => {
          const a = [0, 0, 0];
          a[axis] = 1;
          quatFromAxisAngle(q, 0, a[0]!, a[1]!, a[2]!, angle);
          let w = 0;
          for (let s = 0; s < mapping.sitesPerEllipsoid; s++) {
            const is = 3 * mapping.siteIndex(i, s);
            for (let k = 0; k < 3; k++) d[k] = sites.positions[is + k]! - centres[3 * i + k]!;
            Cell.minimumImage(sites.cell, d, 0);
            quatRotate(moved, 0, q, 0, d, 0);
            for (let k = 0; k < 3; k++) w += f[is + k]! * (centres[3 * i + k]! + t[k]! + moved[k]!);
          }
          return w;
        };
        for (let k = 0; k < 3; k++) {
          const tp = [0, 0, 0], tm = [0, 0, 0];
          tp[k] = h; tm[k] = -h;
          const dF = (work(tp, 0, 0) - work(tm, 0, 0)) / (2 * h);
          const dT = (work([0, 0, 0], k, h) - work([0, 0, 0], k, -h)) / (2 * h);
          worstF = Math.max(worstF, Math.abs(dF - red.forces[3 * i + k]!));
          worstT = Math.max(worstT, Math.abs(dT - red.torques[3 * i + k]!));
        }
      }
      note(`${label} FD F`, worstF / maxAbs(red.forces));
      note(`${label} FD τ`, worstT / Math.max(maxAbs(red.torques), 1));
      expect(worstF / maxAbs(red.forces)).toBeLessThan(1e-8);
      expect(worstT / Math.max(maxAbs(red.torques), 1)).toBeLessThan(1e-8);
      if (mapping.kind !== 'identity') expect(maxAbs(red.torques)).toBeGreaterThan(0.1);
    });

    it(`${label}: refuses site forces of the wrong length`, () => {
      const sites = sitesFor(mapping, semi, 13);
      expectCode(() => mapping.reduceForces(sites, new Float64Array(3 * sites.n - 3)), 'E_SIZE', /site forces have length/);
    });
  }
});
