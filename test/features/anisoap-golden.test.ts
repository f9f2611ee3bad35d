// SPDX-License-Identifier: BSD-3-Clause
/**
 * AniSOAP against the package's own outputs (`data/reference/anisoap/golden`, AniSOAP main@6b28869):
 * native layouts, the package layout and per-frame mean, ν = 1 coefficients, labels; from the JSON
 * inputs (full precision, 1e-10) and from the 10-decimal `.xyz` files (1e-8).
 */
import { describe, expect, it } from 'vitest';
import { AniSoapCalculator } from '../../src/features/anisoap/calculator.js';
import { nu1ToNativeLayout, nu1ToPackageLayout, packagePowerSpectrum } from '../../src/features/anisoap/package-layout.js';
import { GOLDEN_CASES, goldenXyzSystems, loadGolden, relDiff } from '../support/anisoap-fixtures.js';

const TOL = 1e-10;

describe.each(GOLDEN_CASES)('golden case %s', (name) => {
  const g = loadGolden(name);
  const calc = new AniSoapCalculator(g.hypers);
  const F = calc.metadata.featureCount;
  const S = calc.plan.nSpecies;

  it('native power spectrum and labels', () => {
    expect(Array.from(calc.metadata.labels.values)).toEqual(g.json.native_feature_labels.flat());
    const ours: number[] = [], ref: number[] = [];
    g.systems.forEach((sys, fi) => {
      const v = calc.values(sys);
      expect(v.length).toBe(sys.n * F);
      ours.push(...v);
      ref.push(...g.json.native_power_spectrum_per_particle[fi]!.flat());
    });
    const err = relDiff(ours, ref);
    console.log(`[golden] ${name}: native power spectrum rel. error ${err.toExponential(2)}`);
    expect(err).toBeLessThan(TOL);
  });

  it('native ν = 1 coefficients', () => {
    const ours: number[] = [], ref: number[] = [];
    g.systems.forEach((sys, fi) => {
      const c = calc.expansion(sys);
      for (let i = 0; i < sys.n; i++) ours.push(...nu1ToNativeLayout(calc.plan, c, i * S * calc.plan.nc));
      ref.push(...g.json.native_nu1_per_particle[fi]!.flat(2));
    });
    expect(relDiff(ours, ref)).toBeLessThan(TOL);
  });

  it('package layout per particle, per-frame mean and ν = 1 blocks', () => {
    const pkg = packagePowerSpectrum(calc, g.systems);
    const ours: number[] = [], ref: number[] = [];
    pkg.perParticle.forEach((rows, fi) => {
      rows.forEach((r, i) => {
        expect(r.length).toBe(g.json.package_power_spectrum_per_particle[fi]![i]!.length);
        ours.push(...r);
        ref.push(...g.json.package_power_spectrum_per_particle[fi]![i]!);
      });
    });
    expect(relDiff(ours, ref)).toBeLessThan(TOL);
    const meanRef = g.json.package_power_spectrum_frame_mean;
    const meanRows = typeof meanRef[0] === 'number' ? [meanRef as number[]] : (meanRef as number[][]);
    expect(pkg.frameMean.length).toBe(meanRows.length);
    expect(relDiff(pkg.frameMean.flatMap((m) => Array.from(m)), meanRows.flat())).toBeLessThan(TOL);
    const nuOurs: number[] = [], nuRef: number[] = [];
    g.systems.forEach((sys, fi) => {
      const c = calc.expansion(sys);
      for (let i = 0; i < sys.n; i++) {
        const t = sys.types![i]!;
        const blocks = nu1ToPackageLayout(calc.plan, pkg.channels, t, c, i * S * calc.plan.nc);
        const refBlocks = g.json.package_nu1_per_particle[fi]![i]!;
        blocks.forEach((b, l) => {
          nuOurs.push(...b);
          nuRef.push(...refBlocks[String(l)]!.flat());
        });
      }
    });
    expect(relDiff(nuOurs, nuRef)).toBeLessThan(TOL);
  });

  it('from the .xyz file (10 decimals) to 1e-8', () => {
    const systems = goldenXyzSystems(name, g.json.species_atomic_numbers);
    const ours: number[] = [], ref: number[] = [];
    systems.forEach((sys, fi) => {
      ours.push(...calc.values(sys));
      ref.push(...g.json.native_power_spectrum_per_particle[fi]!.flat());
    });
    expect(relDiff(ours, ref)).toBeLessThan(1e-8);
  });
});

describe('package layout with the species listed in another order', () => {
  it('box2sp_gto_noself with species [8, 6] gives the same package outputs', () => {
    const g = loadGolden('box2sp_gto_noself');
    const calc = new AniSoapCalculator({ ...g.hypers, species: [8, 6] });
    const systems = g.systems.map((s) => ({ ...s, types: s.types!.map((t) => 1 - t) }));
    const pkg = packagePowerSpectrum(calc, systems);
    expect(relDiff(pkg.perParticle.flat().flatMap((r) => Array.from(r)), g.json.package_power_spectrum_per_particle.flat(2))).toBeLessThan(TOL);
    expect(relDiff(Array.from(pkg.frameMean[0]!), g.json.package_power_spectrum_frame_mean as number[])).toBeLessThan(TOL);
  });
});
