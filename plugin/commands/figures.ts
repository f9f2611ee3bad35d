// SPDX-License-Identifier: BSD-3-Clause
/**
 * Static figures of a training report: ECharts rendered server-side to SVG strings (no DOM, no
 * canvas), and resvg for PNG. Data only in, strings and bytes out; the caller writes the files.
 *
 * Readable at a glance: one panel per quantity with its own unit on the axis (RMSEs of energy
 * and forces are not comparable numbers), each quantity in its fixed colour of the product's
 * palette (`../plots/palette.ts`, the same in parity, learning and cross-validation plots), and
 * the cross-validation panels spanning exactly the decades of the λ grid that was tried, with the
 * chosen λ drawn as a labelled vertical line.
 */
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import type { Quantity } from '../../src/models/design.js';
import type { CvPoint, LearningCurvePoint, ParityData } from '../../src/models/train.js';
import { NEUTRAL, QUANTITY_COLOURS } from '../plots/palette.js';

const WIDTH = 720;
const HEIGHT = 480;
const FONT = 'DejaVu Sans, sans-serif';

/** Units of the model: names of its energy and length units (`'eV'`, `'Å'`; `'epsilon0'`, `'sigma0'`). */
export interface ModelUnitNames {
  energy: string;
  length: string;
}

/** The unit of a quantity's values in the model's units (energy and virial per particle). */
export function quantityUnit(q: Quantity, energy: string, length: string): string {
  return q === 'forces' ? `${energy}/${length}` : energy;
}

/** Axis titles per quantity (model units). */
export function quantityLabel(q: Quantity, energy: string, length: string): string {
  switch (q) {
    case 'energy':
      return `energy per particle (${energy})`;
    case 'forces':
      return `force component (${energy}/${length})`;
    case 'torques':
      return `torque component (${energy})`;
    case 'virial':
      return `virial per particle (${energy})`;
  }
}

/** Tick labels: 3 significant digits, exponents for powers of ten far from 1. */
function tick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(0).replace('e+', 'e') : String(Number(v.toPrecision(3)));
}

/** `[10^⌊log10 lo⌋, 10^⌈log10 hi⌉]` of the positive values (at least one decade), or null if none. */
export function decadeRange(values: Iterable<number>): [number, number] | null {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (v > 0 && Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!(hi >= lo)) return null;
  const a = Math.floor(Math.log10(lo) + 1e-9), b = Math.ceil(Math.log10(hi) - 1e-9);
  return [10 ** a, 10 ** Math.max(b, a + 1)];
}

/** One curve of a log–log panel. */
interface LogSeries {
  name: string;
  colour: string;
  points: [number, number][];
}

/** One log–log panel: its own axes, titles with units, and an optional labelled vertical line. */
interface LogPanel {
  title: string;
  xLabel: string;
  yLabel: string;
  xRange: [number, number];
  series: LogSeries[];
  marker?: { x: number; label: string };
}

function logAxis(k: number, name: string, gap: number, range: [number, number]) {
  const decades = Math.round(Math.log10(range[1] / range[0]));
  return {
    type: 'log',
    gridIndex: k,
    name,
    nameLocation: 'middle',
    nameGap: gap,
    nameTextStyle: { fontSize: 12 },
    min: range[0],
    max: range[1],
    // A label every decade up to 6 decades, then every second or third one.
    interval: Math.max(1, Math.ceil(decades / 6)),
    axisLine: { onZero: false },
    axisLabel: { formatter: tick, fontSize: 11 },
    splitLine: { lineStyle: { color: '#e6e6e6' } },
  };
}

/** Panels side by side (up to 3 a row; 4 as 2 × 2), each with its own log axes. */
function logPanelsSvg(title: string, panels: readonly LogPanel[]): string {
  const columns = panels.length === 4 ? 2 : Math.max(1, Math.min(3, panels.length));
  const rows = Math.max(1, Math.ceil(panels.length / columns));
  const width = Math.max(WIDTH, 380 * columns);
  const top = 44;
  const cellW = width / columns, cellH = Math.max(HEIGHT - top, 330 * rows) / rows;
  const height = top + cellH * rows;
  const grid: unknown[] = [], xAxis: unknown[] = [], yAxis: unknown[] = [], series: unknown[] = [];
  const titles: unknown[] = [{ text: title, left: 'center', top: 8, textStyle: { fontSize: 16, fontFamily: FONT } }];
  panels.forEach((p, k) => {
    const x0 = (k % columns) * cellW, y0 = top + Math.floor(k / columns) * cellH;
    grid.push({ left: x0 + 78, top: y0 + 30, width: cellW - 78 - 24, height: cellH - 30 - 58 });
    titles.push({ text: p.title, left: x0 + 78 + (cellW - 78 - 24) / 2, top: y0 + 4, textAlign: 'center', textStyle: { fontSize: 13, fontWeight: 'normal', fontFamily: FONT } });
    const yRange = decadeRange(p.series.flatMap((s) => s.points.map((q) => q[1]))) ?? [0.1, 1];
    xAxis.push(logAxis(k, p.xLabel, 30, p.xRange));
    yAxis.push(logAxis(k, p.yLabel, 58, yRange));
    for (const s of p.series) {
      series.push({ type: 'line', name: s.name, xAxisIndex: k, yAxisIndex: k, data: s.points, color: s.colour, symbolSize: 7, lineStyle: { width: 2 }, animation: false });
    }
    if (p.marker) {
      const m = p.marker;
      series.push({
        type: 'line',
        name: m.label,
        xAxisIndex: k,
        yAxisIndex: k,
        data: [[m.x, yRange[0]], [m.x, yRange[1]]],
        color: NEUTRAL,
        showSymbol: false,
        lineStyle: { width: 1.5, type: 'dashed' },
        animation: false,
      });
      // The label at the top of the line, on the side with more room.
      const right = Math.log10(m.x / p.xRange[0]) < Math.log10(p.xRange[1] / m.x);
      series.push({
        type: 'scatter',
        name: m.label,
        xAxisIndex: k,
        yAxisIndex: k,
        data: [[m.x, yRange[1]]],
        symbolSize: 0,
        label: { show: true, formatter: m.label, position: right ? 'right' : 'left', offset: [0, 10], color: '#404040', fontSize: 12, fontFamily: FONT },
        animation: false,
      });
    }
  });
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, backgroundColor: '#ffffff', textStyle: { fontFamily: FONT }, title: titles, grid, xAxis, yAxis, series });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** PNG bytes of an SVG string (twice the SVG's size; system fonts for the text). */
export function svgToPng(svg: string): Uint8Array {
  return new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
}

/** Test RMSE against the number of training frames (log–log), one panel per quantity in its unit. */
export function learningCurveSvg(points: readonly LearningCurvePoint[], quantities: readonly Quantity[], units: ModelUnitNames): string {
  const shown = quantities.filter((q) => points.some((p) => (p.test[q]?.rmse ?? 0) > 0));
  const frames = points.map((p) => p.frames);
  const xRange = decadeRange(frames) ?? [1, 10];
  const panels = shown.map(
    (q): LogPanel => ({
      title: `${q}: test RMSE`,
      xLabel: 'training frames (count)',
      yLabel: `${q} RMSE (${quantityUnit(q, units.energy, units.length)})`,
      xRange,
      series: [{ name: `${q} RMSE`, colour: QUANTITY_COLOURS[q], points: points.filter((p) => (p.test[q]?.rmse ?? 0) > 0).map((p) => [p.frames, p.test[q]!.rmse]) }],
    }),
  );
  if (panels.length === 0) panels.push({ title: 'no test errors', xLabel: 'training frames (count)', yLabel: 'RMSE', xRange, series: [] });
  return logPanelsSvg('Learning curve (test set)', panels);
}

/** The label of the chosen-λ line: `chosen λ = 1e-4` (2 significant digits). */
export function chosenLambdaLabel(chosen: number): string {
  const m = Number(chosen.toPrecision(2)).toExponential();
  return `chosen λ = ${m.replace('e+', 'e').replace(/\.?0+e/, 'e')}`;
}

/**
 * Weighted validation loss and per-quantity validation RMSE against the relative λ, one panel
 * each; the x-axis spans the decades of the λ grid tried (`cv`), the chosen λ is a labelled line.
 */
export function cvCurveSvg(cv: readonly CvPoint[], chosen: number, quantities: readonly Quantity[], units: ModelUnitNames): string {
  const xRange = decadeRange([...cv.map((p) => p.lambda), chosen]) ?? [chosen / 10, chosen * 10];
  const marker = { x: chosen, label: chosenLambdaLabel(chosen) };
  const xLabel = 'relative λ (dimensionless)';
  const panels: LogPanel[] = [
    {
      title: 'weighted loss (chooses λ)',
      xLabel,
      yLabel: 'ω²·residual² per row (dimensionless)',
      xRange,
      series: [{ name: 'weighted loss', colour: QUANTITY_COLOURS.loss, points: cv.filter((p) => p.loss > 0).map((p) => [p.lambda, p.loss]) }],
      marker,
    },
  ];
  for (const q of quantities) {
    if (!cv.some((p) => (p.rmse[q] ?? 0) > 0)) continue;
    panels.push({
      title: `${q}: validation RMSE`,
      xLabel,
      yLabel: `${q} RMSE (${quantityUnit(q, units.energy, units.length)})`,
      xRange,
      series: [{ name: `${q} RMSE`, colour: QUANTITY_COLOURS[q], points: cv.filter((p) => (p.rmse[q] ?? 0) > 0).map((p) => [p.lambda, p.rmse[q]!]) }],
      marker,
    });
  }
  return logPanelsSvg(`Cross-validation over ${cv.length} λ values`, panels);
}

/** Predicted against reference values of one quantity, with the diagonal; `axisLabel` names the quantity and its unit. */
export function paritySvg(parity: ParityData, q: Quantity, axisLabel: string): string {
  const d = parity[q] ?? { reference: [], predicted: [] };
  let lo = Infinity, hi = -Infinity;
  for (const x of [...d.reference, ...d.predicted]) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  if (!(hi > lo)) {
    lo = (Number.isFinite(lo) ? lo : 0) - 1;
    hi = lo + 2;
  }
  const pad = 0.05 * (hi - lo);
  const axis = (name: string, gap: number) => ({
    type: 'value',
    name,
    nameLocation: 'middle',
    nameGap: gap,
    min: lo - pad,
    max: hi + pad,
    axisLine: { onZero: false },
    axisLabel: { formatter: tick, showMinLabel: false, showMaxLabel: false },
    splitLine: { lineStyle: { color: '#e6e6e6' } },
  });
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT },
      title: { text: `Parity: ${q} (test set)`, left: 'center', textStyle: { fontSize: 16, fontFamily: FONT } },
      grid: { top: 50, left: 90, right: 40, bottom: 60 },
      xAxis: axis(`reference ${axisLabel}`, 30),
      yAxis: axis(`predicted ${axisLabel}`, 60),
      series: [
        { type: 'scatter', name: q, symbolSize: 6, color: QUANTITY_COLOURS[q], itemStyle: { opacity: 0.7 }, data: d.reference.map((x, k) => [x, d.predicted[k]]) },
        { type: 'line', name: 'y = x', symbol: 'none', color: NEUTRAL, lineStyle: { type: 'dashed', width: 1 }, data: [[lo - pad, lo - pad], [hi + pad, hi + pad]] },
      ],
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
