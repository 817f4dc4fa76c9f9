// The ECharts options the dashboards draw, in two shapes: horizontal bars (one category per table
// row, so long "policy · step" names stay readable on a phone, stacked when the parts add up) and a
// weekly line per series. Colours come from a fixed palette that keeps its order, and every chart
// also has a legend and the table: no figure is told by colour alone.
import type { ChartClick, EChartsCoreOption } from './EChart.js';

export const PALETTE = ['#1f5fa8', '#c2410c', '#15803d', '#7c3aed', '#a16207', '#be185d', '#0f766e'];

const AXIS_TEXT = { color: '#1f2933', fontSize: 12 };

export interface BarSeries {
  name: string;
  values: number[];
}

/**
 * Bars per category (top to bottom in the order given); `stacked` adds the series up; counts
 * (`integer`) get whole-number ticks.
 */
export function barOption(
  categories: string[],
  series: BarSeries[],
  stacked: boolean,
  integer = stacked,
): EChartsCoreOption {
  return {
    color: PALETTE,
    tooltip: { trigger: 'item' },
    legend: { top: 0, textStyle: AXIS_TEXT },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'value', axisLabel: AXIS_TEXT, minInterval: integer ? 1 : 0 },
    yAxis: {
      type: 'category',
      inverse: true,
      data: categories,
      // Long names are cut (the table has them whole) so that a phone keeps room for the bars.
      axisLabel: { ...AXIS_TEXT, width: 120, overflow: 'truncate' },
    },
    series: series.map((s) => ({
      type: 'bar',
      name: s.name,
      data: s.values,
      ...(stacked ? { stack: 'total' } : {}),
      cursor: 'pointer',
    })),
  };
}

/** A height that gives each bar category room, within bounds. */
export const barHeight = (categories: number): number => Math.min(720, Math.max(180, 60 + categories * 36));

export interface WeeklyPoint {
  week: string;
  series: string;
  value: number;
}

/** One line per series over the weeks; `rowOfClick` maps a point back to its input index. */
export function weeklyLines(
  points: WeeklyPoint[],
  integer = false,
): {
  option: EChartsCoreOption;
  rowOfClick: (click: ChartClick) => number | null;
} {
  const weeks = [...new Set(points.map((p) => p.week))].sort();
  const names = [...new Set(points.map((p) => p.series))].sort();
  const index = new Map(points.map((p, i) => [`${p.series}\u0000${p.week}`, i]));
  return {
    option: {
      color: PALETTE,
      tooltip: { trigger: 'item' },
      legend: { top: 0, type: 'scroll', textStyle: AXIS_TEXT },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: weeks, axisLabel: AXIS_TEXT },
      yAxis: { type: 'value', axisLabel: AXIS_TEXT, minInterval: integer ? 1 : 0 },
      series: names.map((name) => ({
        type: 'line',
        name,
        symbolSize: 8,
        connectNulls: false,
        data: weeks.map((week) => {
          const i = index.get(`${name}\u0000${week}`);
          return i === undefined ? null : (points[i]?.value ?? null);
        }),
      })),
    },
    rowOfClick: ({ seriesIndex, dataIndex }) =>
      index.get(`${names[seriesIndex] ?? ''}\u0000${weeks[dataIndex] ?? ''}`) ?? null,
  };
}
