// One ECharts chart in a box that follows its container's width (ResizeObserver → `resize`), drawn
// with the SVG renderer: crisper on every screen, and its text is in the DOM. Only the charts and
// components the dashboards use are registered, so the bundle carries nothing else; this module is
// imported by the dashboards page alone, which App.tsx loads lazily (the inbox never pulls it).
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { type EChartsCoreOption, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

use([
  BarChart,
  LineChart,
  HeatmapChart,
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
]);

export type { EChartsCoreOption };

/** Where a click landed: the category (bar, point, cell) and the series it belongs to. */
export interface ChartClick {
  dataIndex: number;
  seriesIndex: number;
}

interface Props {
  option: EChartsCoreOption;
  /** What the chart shows, for assistive technology (the table below it has the figures). */
  label: string;
  height: number;
  onClick?: (click: ChartClick) => void;
}

export function EChart({ option, label, height, onClick }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof init> | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    const element = box.current;
    if (element === null) return undefined;
    const instance = init(element, null, { renderer: 'svg' });
    chart.current = instance;
    instance.on('click', (params) => {
      const { dataIndex, seriesIndex } = params as { dataIndex?: number; seriesIndex?: number };
      if (typeof dataIndex === 'number') clickRef.current?.({ dataIndex, seriesIndex: seriesIndex ?? 0 });
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  const drawn = useRef('');
  useEffect(() => {
    // The page re-renders on every answer, also when a card's figures did not change: the same
    // figures are not drawn again, so a chart is not replaced under the pointer.
    const text = JSON.stringify(option);
    if (chart.current === null || text === drawn.current) return;
    drawn.current = text;
    // `notMerge`: a narrower filter must drop the series the wider one had.
    chart.current.setOption({ aria: { enabled: true }, animation: false, ...option }, { notMerge: true });
  }, [option]);

  return (
    <div
      ref={box}
      className="dash-chart"
      style={{ height }}
      role="img"
      aria-label={label}
      data-clickable={onClick ? 'true' : undefined}
    />
  );
}
