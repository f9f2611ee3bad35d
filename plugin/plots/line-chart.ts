// SPDX-License-Identifier: BSD-3-Clause
/**
 * Static line and scatter charts for reports and examples: a grid of panels (small multiples)
 * rendered server-side by echarts to SVG, and rasterised to PNG by resvg. No browser, no DOM.
 *
 * ```ts
 * writeLineChart('out/dimers', {
 *   title: 'GB(3,5,2,1) dimers',
 *   columns: 2,
 *   panels: [{ title: 'side by side', xLabel: 'r / σ0', yLabel: 'U / ε0', yRange: [-2, 1],
 *              series: [{ name: 'GB', x: r, y: u }, { name: 'model', x: r, y: m, dashed: true }] }],
 * });  // → out/dimers.svg, out/dimers.png
 * ```
 *
 * A series keeps the same colour in every panel (by name), and the legend lists each name once.
 * Colours come from the product's one palette (`palette.ts`): a series that names its `quantity`
 * (`'S2'`, `'g'`, `'energy'`, …) takes that quantity's fixed colour; others take the cycle.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import { CYCLE, quantityColour } from './palette.js';

/** One curve (or point cloud) of a panel. */
export interface ChartSeries {
  /** Legend name; series with the same name share a colour across panels. */
  name: string;
  /** Abscissae. */
  x: ArrayLike<number>;
  /** Ordinates, same length as `x` (NaN or non-finite values leave a gap). */
  y: ArrayLike<number>;
  /** `'line'` (default) or `'scatter'`. */
  kind?: 'line' | 'scatter';
  /** Dashed line. */
  dashed?: boolean;
  /** The quantity drawn (a key of `QUANTITY_COLOURS`: `'S2'`, `'g'`, `'energy'`, …): sets the colour. */
  quantity?: string;
  /** CSS colour; default: the quantity's colour, else the palette's cycle by order of first appearance of the name. */
  color?: string;
  /** Line width (px, default 2) or symbol size (scatter, default 4). */
  size?: number;
}

/** One panel (a pair of axes). */
export interface ChartPanel {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Axis limits; `null` or absent lets echarts choose. Values outside are clipped. */
  xRange?: readonly [number | null, number | null];
  yRange?: readonly [number | null, number | null];
  /** Tick spacing; pick ranges that are multiples of it so that no odd end label crowds a tick. */
  xInterval?: number;
  yInterval?: number;
  series: readonly ChartSeries[];
}

/** A figure: panels laid out in `columns` columns, row by row. */
export interface LineChartSpec {
  title?: string;
  panels: readonly ChartPanel[];
  /** Columns of the panel grid (default: all panels in one row up to 3, then 2 or 3 per row). */
  columns?: number;
  /** Size in px (default 900 × 300 per row of panels). */
  width?: number;
  height?: number;
  /** Show the legend (default true when some name appears). */
  legend?: boolean;
}

const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

/** The echarts option for `spec` (exported for tests and for callers who want to tweak it). */
export function lineChartOption(spec: LineChartSpec, width: number, height: number): Record<string, unknown> {
  const panels = spec.panels;
  if (panels.length === 0) throw new Error('line chart: no panels');
  const columns = spec.columns ?? (panels.length <= 3 ? panels.length : panels.length === 4 ? 2 : 3);
  const rows = Math.ceil(panels.length / columns);
  const top = spec.title ? 40 : 10;
  const legendH = 30;
  const cellW = width / columns;
  const cellH = (height - top - legendH) / rows;
  const colours = new Map<string, string>();
  let cycled = 0;
  for (const p of panels) {
    for (const s of p.series) {
      if (!colours.has(s.name)) colours.set(s.name, s.color ?? quantityColour(s.quantity) ?? CYCLE[cycled++ % CYCLE.length]!);
    }
  }
  const grid: unknown[] = [], xAxis: unknown[] = [], yAxis: unknown[] = [], series: unknown[] = [];
  const titles: unknown[] = spec.title ? [{ text: spec.title, left: 'center', top: 8, textStyle: { fontSize: 16, fontFamily: FONT } }] : [];
  panels.forEach((p, k) => {
    const col = k % columns, row = Math.floor(k / columns);
    const x0 = col * cellW, y0 = top + legendH + row * cellH;
    grid.push({ left: x0 + 62, top: y0 + 26, width: cellW - 62 - 18, height: cellH - 26 - 48, containLabel: false });
    if (p.title) {
      titles.push({ text: p.title, left: x0 + cellW / 2 + 22, top: y0 + 4, textAlign: 'center', textStyle: { fontSize: 13, fontWeight: 'normal', fontFamily: FONT } });
    }
    const axis = (label: string | undefined, range: ChartPanel['xRange'], interval: number | undefined, gap: number) => ({
      type: 'value',
      gridIndex: k,
      name: label ?? '',
      nameLocation: 'middle',
      nameGap: gap,
      nameTextStyle: { fontSize: 12, fontFamily: FONT },
      axisLabel: { fontSize: 11, fontFamily: FONT },
      scale: true,
      splitLine: { lineStyle: { color: '#e6e6e6' } },
      axisLine: { onZero: false },
      ...(range?.[0] !== undefined && range[0] !== null ? { min: range[0] } : {}),
      ...(range?.[1] !== undefined && range[1] !== null ? { max: range[1] } : {}),
      ...(interval !== undefined ? { interval } : {}),
    });
    xAxis.push(axis(p.xLabel, p.xRange, p.xInterval, 28));
    yAxis.push(axis(p.yLabel, p.yRange, p.yInterval, 44));
    for (const s of p.series) {
      if (s.x.length !== s.y.length) throw new Error(`line chart: series '${s.name}' has ${s.x.length} x and ${s.y.length} y values`);
      const data: (number | null)[][] = [];
      for (let i = 0; i < s.x.length; i++) {
        const y = s.y[i]!;
        data.push([s.x[i]!, Number.isFinite(y) ? y : null]);
      }
      const colour = colours.get(s.name)!;
      const scatter = s.kind === 'scatter';
      series.push({
        type: scatter ? 'scatter' : 'line',
        name: s.name,
        xAxisIndex: k,
        yAxisIndex: k,
        data,
        color: colour,
        ...(scatter
          ? { symbolSize: s.size ?? 4, itemStyle: { opacity: 0.7 } }
          : { showSymbol: false, connectNulls: false, lineStyle: { width: s.size ?? 2, type: s.dashed ? 'dashed' : 'solid' } }),
        clip: true,
        animation: false,
      });
    }
  });
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: FONT },
    title: titles,
    legend: spec.legend === false || colours.size === 0 ? { show: false } : { top: top - 4, itemGap: 24, data: [...colours.keys()], textStyle: { fontFamily: FONT } },
    grid,
    xAxis,
    yAxis,
    series,
  };
}

/** The figure as an SVG document (echarts server-side rendering). */
export function renderLineChartSvg(spec: LineChartSpec): string {
  const columns = spec.columns ?? (spec.panels.length <= 3 ? spec.panels.length : spec.panels.length === 4 ? 2 : 3);
  const rows = Math.ceil(spec.panels.length / Math.max(1, columns));
  const width = spec.width ?? 900;
  const height = spec.height ?? 70 + 300 * rows;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(lineChartOption(spec, width, height));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Rasterise an SVG to PNG with resvg (white background, system fonts, `scale` × the SVG size). */
export function svgToPng(svg: string, scale = 1): Buffer {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}

/**
 * Render `spec` and write `<basePath>.svg` and `<basePath>.png` (PNG at `pngScale`, default 1.5×),
 * creating the folder. Returns the two paths.
 */
export function writeLineChart(basePath: string, spec: LineChartSpec, pngScale = 1.5): { svg: string; png: string } {
  const svg = renderLineChartSvg(spec);
  mkdirSync(dirname(basePath), { recursive: true });
  const paths = { svg: `${basePath}.svg`, png: `${basePath}.png` };
  writeFileSync(paths.svg, svg);
  writeFileSync(paths.png, svgToPng(svg, pngScale));
  return paths;
}
