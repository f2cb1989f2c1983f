// One live uPlot chart: a few channels against rover time, their limits drawn behind the
// data, redrawn at most once per animation frame however fast samples arrive. A line is
// never drawn across a gap in a channel's telemetry or across a change of who plays the
// rover (the owner decides, through `joins`): there the line breaks, and a sample with no
// neighbour it may join is drawn as a dot.

import uPlot from "uplot";
import { h } from "./dom";
import { fmtClock, fmtDate, sameUtcDate } from "./time";
import type { Limits } from "./types";

export interface ChartContext {
  /** Whether the channel's line may run from rover time a to b (epoch ms, a < b). */
  joins(channel: string, a: number, b: number): boolean;
  /** Mission time now (epoch ms): axis labels on another day show their date. */
  now(): number;
}

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

/** Chart times are UTC. Module-level, capturing no chart: uPlot keeps the last function it
 * was given where V8 can hold on to it after the chart is gone. */
function utcDate(ts: number): Date {
  return uPlot.tzDate(new Date(ts * 1000), "Etc/UTC");
}

const DETACHED: ChartContext = { joins: () => false, now: () => 0 };

/** A row inserted just before a sample to break a line there: this far (s) before it.
 * Rover times are whole milliseconds, so it lies strictly between two samples. */
const BREAK_BEFORE_S = 0.0005;

export class LiveChart {
  readonly el: HTMLElement;
  private plot: uPlot | null = null;
  private xs: number[] = [];
  /** Per series, its value at each x (undefined: no sample of that channel there). */
  private ys: (number | undefined)[][];
  /** Per series, the indices (in the data given to uPlot) of samples drawn as dots. */
  private isolated: (number[] | null)[] = [];
  private dirty = false;
  private frame = 0;
  private width = 300;
  private height = 120;

  constructor(readonly series: SeriesDef[], private readonly unit: string | null,
    private ctx: ChartContext) {
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
      tzDate: utcDate,
      scales: { x: { time: true, range: (u, lo, hi) => xRange(u, lo, hi) }, y: { range: (_u, lo, hi) => this.yRange(lo, hi) } },
      axes: [
        {
          stroke: "#7d8794", grid: { stroke: "rgba(255,255,255,0.05)", width: 1 }, ticks: { show: false },
          font: "10px ui-sans-serif, system-ui, sans-serif", space: 64,
          values: (_u, splits) => {
            const now = this.ctx.now();
            return splits.map((s) => sameUtcDate(s * 1000, now) ? fmtClock(s * 1000) : `${fmtClock(s * 1000)}\n${fmtDate(s * 1000)}`);
          },
          size: (_u, values) => (values ?? []).some((v) => String(v).includes("\n")) ? 32 : 20,
        },
        { stroke: "#7d8794", grid: { stroke: "rgba(255,255,255,0.05)", width: 1 }, ticks: { show: false }, font: "10px ui-sans-serif, system-ui, sans-serif", size: 44, space: 24 },
      ],
      series: [
        {},
        ...this.series.map((s, k) => ({
          label: s.label, stroke: s.color, width: 1.5, spanGaps: false,
          points: { show: false, size: 4, fill: s.color, filter: () => this.isolated[k] ?? null },
        })),
      ],
      hooks: { drawClear: [(u: uPlot) => this.drawLimits(u)] },
    };
    this.plot = new uPlot(opts, this.data(), this.el);
  }

  /** Adds one sample row at rover time t (seconds). Keeps time order; replaces equal times. */
  push(t: number, values: (number | null | undefined)[]): void {
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
      this.ys.forEach((col, k) => col.push(values[k] ?? undefined));
    } else {
      this.xs.splice(i, 0, t);
      this.ys.forEach((col, k) => col.splice(i, 0, values[k] ?? undefined));
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

  /**
   * The rows for uPlot: the samples, plus a row holding null (uPlot's gap) for a series just
   * before each sample its line may not reach from the previous one. Undefined (no sample of
   * that channel at that time) is joined over. Also finds the samples joined to neither
   * neighbour, which are drawn as dots.
   */
  private data(): uPlot.AlignedData {
    const k = this.series.length;
    const outX: number[] = [];
    const outY: (number | null | undefined)[][] = this.series.map(() => []);
    const lastT: (number | null)[] = this.series.map(() => null);
    const lastIdx: (number | null)[] = this.series.map(() => null);
    const lastJoined: boolean[] = this.series.map(() => false);
    const isolated: number[][] = this.series.map(() => []);
    const finish = (s: number, joinedAfter: boolean): void => {
      const idx = lastIdx[s];
      if (idx !== null && idx !== undefined && !lastJoined[s] && !joinedAfter) isolated[s]?.push(idx);
    };
    for (let i = 0; i < this.xs.length; i += 1) {
      const x = this.xs[i] as number;
      let broken: boolean[] | null = null;
      const joinsPrev: boolean[] = [];
      for (let s = 0; s < k; s += 1) {
        const v = this.ys[s]?.[i];
        const prev = lastT[s];
        if (v === undefined || prev === null || prev === undefined) {
          joinsPrev[s] = false;
          continue;
        }
        joinsPrev[s] = this.ctx.joins(this.series[s]?.channel ?? "", prev * 1000, x * 1000);
        if (!joinsPrev[s]) (broken ??= this.series.map(() => false))[s] = true;
      }
      if (broken !== null) {
        outX.push(x - BREAK_BEFORE_S);
        for (let s = 0; s < k; s += 1) outY[s]?.push(broken[s] === true ? null : undefined);
      }
      for (let s = 0; s < k; s += 1) {
        const v = this.ys[s]?.[i];
        outY[s]?.push(v);
        if (v === undefined) continue;
        if (lastIdx[s] !== null) finish(s, joinsPrev[s] === true);
        lastJoined[s] = joinsPrev[s] === true;
        lastIdx[s] = outX.length;
        lastT[s] = x;
      }
      outX.push(x);
    }
    for (let s = 0; s < k; s += 1) finish(s, false);
    this.isolated = isolated.map((idxs) => (idxs.length > 0 ? idxs : null));
    return [outX, ...outY] as unknown as uPlot.AlignedData;
  }

  /** Redraw on the next frame (the breaks changed: a new player). */
  invalidate(): void {
    this.schedule();
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
    // V8 can keep the options of the last uPlot made (in an inline cache of uPlot's code),
    // and through their callbacks this chart, after the chart is gone: then let it hold
    // nothing of the session (its data, the store behind ctx, the page behind el).
    this.xs = [];
    this.ys = this.series.map(() => []);
    this.isolated = [];
    this.ctx = DETACHED;
    this.el.remove();
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
