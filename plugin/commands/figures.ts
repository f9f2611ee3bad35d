// SPDX-License-Identifier: BSD-3-Clause
/**
 * Static figures of a training report: ECharts rendered server-side to SVG strings (no DOM, no
 * canvas), and resvg for PNG. Data only in, strings and bytes out; the caller writes the files.
 */
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import type { Quantity } from '../../src/models/design.js';
import type { CvPoint, LearningCurvePoint, ParityData } from '../../src/models/train.js';

const WIDTH = 720;
const HEIGHT = 480;

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

const logAxis = (name: string, gap: number) => ({ type: 'log', name, nameLocation: 'middle', nameGap: gap, axisLabel: { formatter: tick } });
const valueAxis = (name: string, gap: number, lo: number, hi: number) => ({
  type: 'value',
  name,
  nameLocation: 'middle',
  nameGap: gap,
  min: lo,
  max: hi,
  axisLine: { onZero: false },
  axisLabel: { formatter: tick, showMinLabel: false, showMaxLabel: false },
});

function render(option: echarts.EChartsCoreOption): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  chart.setOption({ animation: false, backgroundColor: '#ffffff', textStyle: { fontFamily: 'DejaVu Sans, sans-serif' }, ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

/** PNG bytes of an SVG string (system fonts for the text). */
export function svgToPng(svg: string): Uint8Array {
  return new Resvg(svg, { fitTo: { mode: 'width', value: 2 * WIDTH }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
}

/** Test RMSE per quantity against the number of training frames (log–log). */
export function learningCurveSvg(points: readonly LearningCurvePoint[], quantities: readonly Quantity[]): string {
  const series = quantities
    .filter((q) => points.some((p) => p.test[q]))
    .map((q) => ({
      name: `${q} RMSE`,
      type: 'line',
      symbolSize: 8,
      data: points.filter((p) => p.test[q] && p.test[q].rmse > 0).map((p) => [p.frames, p.test[q]!.rmse]),
    }));
  return render({
    title: { text: 'Learning curve (test set)', left: 'center' },
    legend: { bottom: 5 },
    grid: { top: 50, left: 80, right: 40, bottom: 90 },
    xAxis: logAxis('training frames', 30),
    yAxis: logAxis('RMSE (model units)', 55),
    series,
  });
}

/** Weighted validation loss and per-quantity RMSE against the relative λ. */
export function cvCurveSvg(cv: readonly CvPoint[], chosen: number, quantities: readonly Quantity[]): string {
  const series: Record<string, unknown>[] = [
    {
      name: 'weighted loss',
      type: 'line',
      symbolSize: 8,
      data: cv.filter((p) => p.loss > 0).map((p) => [p.lambda, p.loss]),
      markLine: { symbol: 'none', lineStyle: { type: 'dashed' }, label: { formatter: `chosen λ = ${chosen.toExponential(0)}` }, data: [{ xAxis: chosen }] },
    },
  ];
  for (const q of quantities) {
    if (!cv.some((p) => p.rmse[q] !== undefined)) continue;
    series.push({ name: `${q} RMSE`, type: 'line', symbolSize: 6, data: cv.filter((p) => (p.rmse[q] ?? 0) > 0).map((p) => [p.lambda, p.rmse[q]]) });
  }
  return render({
    title: { text: 'Cross-validation', left: 'center' },
    legend: { bottom: 5 },
    grid: { top: 50, left: 80, right: 40, bottom: 90 },
    xAxis: logAxis('relative λ', 30),
    yAxis: logAxis('validation error', 55),
    series,
  });
}

/** Predicted against reference values of one quantity, with the diagonal. */
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
  return render({
    title: { text: `Parity: ${q} (test set)`, left: 'center' },
    grid: { top: 50, left: 90, right: 40, bottom: 60 },
    xAxis: valueAxis(`reference ${axisLabel}`, 30, lo - pad, hi + pad),
    yAxis: valueAxis('predicted', 60, lo - pad, hi + pad),
    series: [
      { type: 'scatter', symbolSize: 4, data: d.reference.map((x, k) => [x, d.predicted[k]]) },
      { type: 'line', symbol: 'none', lineStyle: { type: 'dashed', color: '#888' }, data: [[lo - pad, lo - pad], [hi + pad, hi + pad]] },
    ],
  });
}
