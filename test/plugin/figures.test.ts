// SPDX-License-Identifier: BSD-3-Clause
/**
 * The training report's figures, read back from their SVG: the cross-validation panels span the
 * decades of the λ grid tried (not a padded 1e-20 … 1) and mark the chosen λ with a labelled
 * line; a quantity has its palette colour in the parity, learning and CV plots alike; every axis
 * is named with its unit.
 */
import { describe, expect, it } from 'vitest';
import { chosenLambdaLabel, cvCurveSvg, decadeRange, learningCurveSvg, paritySvg, quantityLabel } from '../../plugin/commands/figures.js';
import { CYCLE, NEUTRAL, QUANTITY_COLOURS, quantityColour } from '../../plugin/plots/palette.js';
import { renderLineChartSvg } from '../../plugin/plots/line-chart.js';
import type { CvPoint, LearningCurvePoint } from '../../src/models/train.js';

const UNITS = { energy: 'eV', length: 'Å' };

/** Texts of the SVG with their anchor and position (echarts writes `transform="translate(x y)"`). */
function texts(svg: string): { text: string; anchor: string; x: number; y: number }[] {
  const out: { text: string; anchor: string; x: number; y: number }[] = [];
  for (const m of svg.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)) {
    const attrs = m[1]!;
    const t = /translate\(([-\d.]+) ([-\d.]+)\)/.exec(attrs);
    out.push({ text: m[2]!, anchor: /text-anchor="(\w+)"/.exec(attrs)?.[1] ?? '', x: t ? Number(t[1]) : NaN, y: t ? Number(t[2]) : NaN });
  }
  return out;
}

/** Numbers of the tick labels centred under an axis (x-axis ticks; y ticks are end-anchored). */
function xTicks(svg: string): number[] {
  return texts(svg).filter((t) => t.anchor === 'middle' && /^-?[\d.]+(e-?\d+)?$/.test(t.text)).map((t) => Number(t.text));
}

function colours(svg: string, attr: 'stroke' | 'fill'): Set<string> {
  return new Set([...svg.matchAll(new RegExp(`${attr}="(#[0-9a-fA-F]{6})"`, 'g'))].map((m) => m[1]!.toLowerCase()));
}

const grid = (lo: number, hi: number, n: number) => Array.from({ length: n }, (_, k) => 10 ** (lo + ((hi - lo) * k) / (n - 1)));
const cvOver = (lambdas: number[]): CvPoint[] => lambdas.map((l) => ({ lambda: l, loss: 2 + 1e3 * l, rmse: { energy: 3 + l, forces: 5 + 40 * l, torques: 1 + l } }));
const curve: LearningCurvePoint[] = [
  { fraction: 0.5, frames: 9, train: {}, test: { energy: { rmse: 0.02, mae: 0.01 }, forces: { rmse: 0.3, mae: 0.2 } } },
  { fraction: 1, frames: 18, train: {}, test: { energy: { rmse: 0.01, mae: 0.005 }, forces: { rmse: 0.2, mae: 0.1 } } },
] as unknown as LearningCurvePoint[];

describe('report figures', () => {
  it('decadeRange: the enclosing powers of ten, at least one decade', () => {
    expect(decadeRange([1e-8, 3e-5, 1e-2])).toEqual([1e-8, 1e-2]);
    expect(decadeRange([2e-7, 0.5])).toEqual([1e-7, 1]);
    expect(decadeRange([1e-3])).toEqual([1e-3, 1e-2]);
    expect(decadeRange([0, -1])).toBeNull();
  });

  it('the CV x-axis spans the λ grid tried, within a decade at each end, for grids far from 1e-20 … 1', () => {
    for (const [lo, hi, n] of [[-8, -2, 7], [-10, 0, 11], [-3.5, 1.2, 5]] as const) {
      const lambdas = grid(lo, hi, n);
      const svg = cvCurveSvg(cvOver(lambdas), lambdas[2]!, ['energy', 'forces'], UNITS);
      const ticks = xTicks(svg);
      expect(ticks.length).toBeGreaterThan(0);
      const min = Math.min(...ticks), max = Math.max(...ticks);
      expect(Math.log10(lambdas[0]!) - Math.log10(min)).toBeGreaterThanOrEqual(-1e-9);
      expect(Math.log10(lambdas[0]!) - Math.log10(min)).toBeLessThan(1);
      expect(Math.log10(max) - Math.log10(lambdas[n - 1]!)).toBeGreaterThanOrEqual(-1e-9);
      expect(Math.log10(max) - Math.log10(lambdas[n - 1]!)).toBeLessThan(1);
    }
  });

  it('marks the chosen λ with a dashed line labelled "chosen λ = …" in every panel', () => {
    const lambdas = grid(-8, -2, 7);
    const svg = cvCurveSvg(cvOver(lambdas), 1e-5, ['energy', 'forces'], UNITS);
    expect(chosenLambdaLabel(1e-5)).toBe('chosen λ = 1e-5');
    expect(chosenLambdaLabel(3.16e-7)).toBe('chosen λ = 3.2e-7');
    const labels = texts(svg).filter((t) => t.text === 'chosen λ = 1e-5');
    expect(labels).toHaveLength(3); // weighted loss, energy, forces (torques not asked for)
    expect(svg).toMatch(new RegExp(`stroke="${NEUTRAL}"[^>]*stroke-dasharray|stroke-dasharray[^>]*stroke="${NEUTRAL}"`));
  });

  it('every axis is named with its unit', () => {
    const cv = texts(cvCurveSvg(cvOver(grid(-6, 0, 7)), 1e-3, ['energy', 'forces', 'torques'], UNITS)).map((t) => t.text);
    expect(cv).toEqual(expect.arrayContaining(['relative λ (dimensionless)', 'energy RMSE (eV)', 'forces RMSE (eV/Å)', 'torques RMSE (eV)', 'ω²·residual² per row (dimensionless)']));
    const lc = texts(learningCurveSvg(curve, ['energy', 'forces'], { energy: 'epsilon0', length: 'sigma0' })).map((t) => t.text);
    expect(lc).toEqual(expect.arrayContaining(['training frames (count)', 'energy RMSE (epsilon0)', 'forces RMSE (epsilon0/sigma0)']));
    const parity = texts(paritySvg({ forces: { reference: [1, 2], predicted: [1.1, 1.9] } }, 'forces', quantityLabel('forces', 'eV', 'Å'))).map((t) => t.text);
    expect(parity).toEqual(expect.arrayContaining(['reference force component (eV/Å)', 'predicted force component (eV/Å)']));
  });

  it('a quantity has the same palette colour in the parity, learning-curve and CV plots', () => {
    const parity = paritySvg({ energy: { reference: [1, 2, 3], predicted: [1.1, 2, 2.9] } }, 'energy', quantityLabel('energy', 'eV', 'Å'));
    const lc = learningCurveSvg(curve, ['energy', 'forces'], UNITS);
    const cv = cvCurveSvg(cvOver(grid(-6, 0, 7)), 1e-3, ['energy', 'forces'], UNITS);
    const energy = QUANTITY_COLOURS.energy.toLowerCase(), forces = QUANTITY_COLOURS.forces.toLowerCase();
    expect(colours(parity, 'fill').has(energy)).toBe(true);
    expect(colours(lc, 'stroke').has(energy)).toBe(true);
    expect(colours(cv, 'stroke').has(energy)).toBe(true);
    expect(colours(lc, 'stroke').has(forces)).toBe(true);
    expect(colours(cv, 'stroke').has(forces)).toBe(true);
    // A forces-only parity plot is not drawn in the energy colour.
    const pf = paritySvg({ forces: { reference: [1, 2], predicted: [1, 2] } }, 'forces', 'f');
    expect(colours(pf, 'fill').has(energy)).toBe(false);
    expect(colours(pf, 'fill').has(forces)).toBe(true);
  });
});

describe('palette', () => {
  it('every quantity has its own colour, and the cycle uses none of them', () => {
    const values = Object.values(QUANTITY_COLOURS).map((c) => c.toLowerCase());
    expect(new Set(values).size).toBe(values.length);
    for (const c of CYCLE) expect(values).not.toContain(c.toLowerCase());
    expect(values).not.toContain(NEUTRAL.toLowerCase());
    expect(quantityColour('g2')).toBe(QUANTITY_COLOURS.g2);
    expect(quantityColour('toString')).toBeUndefined();
    expect(quantityColour(undefined)).toBeUndefined();
  });

  it('line charts colour a series by its quantity, whatever its name or place', () => {
    const svg = renderLineChartSvg({
      panels: [
        { xLabel: 'x', yLabel: 'y', series: [{ name: 'first curve', x: [0, 1], y: [0, 1] }, { name: 'order', quantity: 'S2', x: [0, 1], y: [1, 0] }] },
      ],
    });
    const strokes = colours(svg, 'stroke');
    expect(strokes.has(QUANTITY_COLOURS.S2.toLowerCase())).toBe(true);
    expect(strokes.has(CYCLE[0]!.toLowerCase())).toBe(true);
  });
});
