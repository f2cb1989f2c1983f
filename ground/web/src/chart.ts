// One live uPlot chart: a few channels against rover time, their limits drawn behind the
// data, redrawn at most once per animation frame however fast samples arrive.

import uPlot from "uplot";
import { h } from "./dom";
import { fmtClock } from "./time";
import type { Limits } from "./types";

export interface SeriesDef {
  channel: string;
  label: string;
  color: string;
  limits: Limits | null;
}

const MAX_POINTS = 1200;
const RED = "rgba(240, 92, 92, ";
const YELLOW = "rgba(230, 180, 70, ";

/** The x range. With a single sample uPlot would stretch the time axis over a day from it
 * (its labels then all read 00:00:00): show a minute around that sample instead. */
function xRange(u: uPlot, lo: number | null, hi: number | null): uPlot.Range.MinMax {
  const xs = u.data[0] ?? [];
  const first = xs[0];
  if (first === undefined || lo === null || hi === null) {
    const now = Date.now() / 1000;
    return [now - 60, now];
  }
  const last = xs[xs.length - 1] ?? first;
  return last - first < 1 ? [first - 30, first + 30] : [lo, hi];
}

/** Dots only while a series has too few samples to draw a line. */
function fewPoints(u: uPlot, seriesIdx: number): boolean {
  const ys = u.data[seriesIdx] ?? [];
  let n = 0;
  for (const v of ys) if (v !== null && v !== undefined && ++n > 1) return false;
  return n === 1;
}

export class LiveChart {
  readonly el: HTMLElement;
  private plot: uPlot | null = null;
  private xs: number[] = [];
  private ys: (number | null)[][];
  private dirty = false;
  private frame = 0;
  private width = 300;
  private height = 120;

  constructor(readonly series: SeriesDef[], private readonly unit: string | null) {
    this.ys = series.map(() => []);
    this.el = h("div.chart-canvas");
  }

  mount(width: number, height: number): void {
    this.width = Math.max(120, Math.floor(width));
    this.height = Math.max(60, Math.floor(height));
    if (this.plot !== null) {
      this.plot.setSize({ width: this.width, height: this.height });
      return;
    }
    const opts: uPlot.Options = {
      width: this.width,
      height: this.height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 5 } },
      tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
      scales: { x: { time: true, range: (u, lo, hi) => xRange(u, lo, hi) }, y: { range: (_u, lo, hi) => this.yRange(lo, hi) } },
      axes: [
        {
          stroke: "#7d8794", grid: { stroke: "rgba(255,255,255,0.05)", width: 1 }, ticks: { show: false },
          font: "10px ui-sans-serif, system-ui, sans-serif", size: 20, space: 64,
          values: (_u, splits) => splits.map((s) => fmtClock(s * 1000)),
        },
        { stroke: "#7d8794", grid: { stroke: "rgba(255,255,255,0.05)", width: 1 }, ticks: { show: false }, font: "10px ui-sans-serif, system-ui, sans-serif", size: 44, space: 24 },
      ],
      series: [
        {},
        ...this.series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, points: { show: fewPoints, size: 4 }, spanGaps: true })),
      ],
      hooks: { drawClear: [(u: uPlot) => this.drawLimits(u)] },
    };
    this.plot = new uPlot(opts, this.data(), this.el);
  }

  /** Adds one sample row at rover time t (seconds). Keeps time order; replaces equal times. */
  push(t: number, values: (number | null)[]): void {
    const n = this.xs.length;
    let i = n;
    if (n > 0 && t <= (this.xs[n - 1] as number)) {
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((this.xs[mid] as number) < t) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
    }
    if (i < n && this.xs[i] === t) {
      this.ys.forEach((col, k) => { const v = values[k]; if (v !== null && v !== undefined) col[i] = v; });
    } else if (i === n) {
      this.xs.push(t);
      this.ys.forEach((col, k) => col.push(values[k] ?? null));
    } else {
      this.xs.splice(i, 0, t);
      this.ys.forEach((col, k) => col.splice(i, 0, values[k] ?? null));
    }
    if (this.xs.length > MAX_POINTS * 1.25) {
      const drop = this.xs.length - MAX_POINTS;
      this.xs = this.xs.slice(drop);
      this.ys = this.ys.map((col) => col.slice(drop));
    }
    this.schedule();
  }

  clearData(): void {
    this.xs = [];
    this.ys = this.series.map(() => []);
    this.schedule();
  }

  private data(): uPlot.AlignedData {
    return [this.xs, ...this.ys] as unknown as uPlot.AlignedData;
  }

  private schedule(): void {
    if (this.dirty) return;
    this.dirty = true;
    this.frame = requestAnimationFrame(() => {
      this.dirty = false;
      this.plot?.setData(this.data());
    });
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.plot?.destroy();
    this.plot = null;
  }

  private yRange(lo: number | null, hi: number | null): uPlot.Range.MinMax {
    if (lo === null || hi === null || !Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
    let span = hi - lo;
    if (span < 1e-9) span = Math.max(Math.abs(hi) * 0.1, 1);
    let min = lo - span * 0.12;
    let max = hi + span * 0.12;
    // Show the nearest limit when it is close enough to matter (single-channel charts).
    for (const s of this.series.length === 1 ? this.series : []) {
      const l = s.limits;
      if (l === null) continue;
      for (const v of [l.yellow_low, l.red_low]) if (v !== null && v < min && min - v < span * 0.6) min = v - span * 0.05;
      for (const v of [l.yellow_high, l.red_high]) if (v !== null && v > max && v - max < span * 0.6) max = v + span * 0.05;
    }
    if (this.unit === "%") {
      min = Math.max(min, -2);
      max = Math.min(max, 102);
    }
    return [min, max];
  }

  private drawLimits(u: uPlot): void {
    if (this.xs.length === 0) return;
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const yOf = (v: number): number => u.valToPos(v, "y", true);
    const clampY = (y: number): number => Math.min(top + height, Math.max(top, y));
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    const single = this.series.length === 1;
    for (const s of this.series) {
      const l = s.limits;
      if (l === null) continue;
      if (single) {
        const band = (from: number, to: number, color: string): void => {
          const y0 = clampY(yOf(from));
          const y1 = clampY(yOf(to));
          if (Math.abs(y1 - y0) < 0.5) return;
          ctx.fillStyle = color;
          ctx.fillRect(left, Math.min(y0, y1), width, Math.abs(y1 - y0));
        };
        const [ymin, ymax] = [u.scales.y?.min ?? 0, u.scales.y?.max ?? 1];
        if (l.red_low !== null) band(ymin, l.red_low, `${RED}0.10)`);
        if (l.yellow_low !== null) band(l.red_low ?? ymin, l.yellow_low, `${YELLOW}0.07)`);
        if (l.yellow_high !== null) band(l.yellow_high, l.red_high ?? ymax, `${YELLOW}0.07)`);
        if (l.red_high !== null) band(l.red_high, ymax, `${RED}0.10)`);
      }
      ctx.setLineDash([4, 4]);
      ctx.lineWidth = 1;
      // Several channels share a multi-channel chart: their limits are tabs at the right
      // edge, in the channel's colour, so the lines do not bury the data.
      const x0 = single ? left : left + width * 0.88;
      const line = (v: number | null, color: string): void => {
        if (v === null) return;
        const y = Math.round(yOf(v)) + 0.5;
        if (y < top || y > top + height) return;
        ctx.strokeStyle = single ? color : s.color;
        ctx.beginPath();
        ctx.moveTo(x0, y);
        ctx.lineTo(left + width, y);
        ctx.stroke();
        if (!single) {
          ctx.fillStyle = color;
          ctx.fillRect(left + width - 3, y - 2, 3, 4);
        }
      };
      line(l.red_low, `${RED}0.75)`);
      line(l.red_high, `${RED}0.75)`);
      line(l.yellow_low, `${YELLOW}${single ? 0.6 : 0.4})`);
      line(l.yellow_high, `${YELLOW}${single ? 0.6 : 0.4})`);
    }
    ctx.restore();
  }
}
