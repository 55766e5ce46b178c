// The ECharts build the dashboards load (only pages that draw a chart; see app/src/components/chart.rs):
// the chart kinds and components they use, bundled from the npm registry by esbuild in `./x`'s
// build_front into /pkg/echarts.<content id>.js, and exposed as the `echarts` global that
// charming's wasm renderer calls. Never a CDN.
import * as echarts from 'echarts/core';
import { BarChart, LineChart, RadarChart } from "echarts/charts";
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  RadarComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  LineChart,
  RadarChart,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  RadarComponent,
  TitleComponent,
  TooltipComponent,
  CanvasRenderer,
]);
globalThis.echarts = echarts;
