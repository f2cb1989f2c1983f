// Traverse map on a canvas: the track, the rover's position and heading as last seen,
// reported hazards, and the predicted pose once in-flight motion commands execute
// (solid) and once queued ones do too (dotted). The view only grows as data arrives;
// "Fit" re-frames it. Headings follow the dictionary's convention (heading_deg's
// description), which the map states; the track breaks at gaps in the telemetry and where
// someone else began playing the rover.

import type { Api } from "./api";
import {
  cardinal, conventionFromText, inferConvention, predict, unitVector, type HeadingConvention, type Pose,
} from "./deadreckon";
import { h, setText } from "./dom";
import type { Lifetime } from "./life";
import type { Store } from "./store";
import { fmtDur, parseTime } from "./time";
import { IN_FLIGHT_STATES, type CommandSpec, type RoverEvent } from "./types";

interface TrackPoint {
  t: number;
  x: number;
  y: number;
  heading: number | null;
}

interface Hazard {
  id: number;
  x: number;
  y: number;
  severity: string;
  name: string;
  t: number;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const MAX_TRACK = 6000;
const SEVERITY_COLOR: Record<string, string> = {
  info: "#8aa4bf", low: "#d6c66a", medium: "#f0a35e", high: "#f06b6b",
};

/** A heading in whole degrees, [0, 360): 359.9999 reads 0, not 360. */
function fmtHeading(deg: number): string {
  return String(((Math.round(deg) % 360) + 360) % 360);
}

/** How the map states a heading convention. */
const CONVENTION_TEXT: Record<HeadingConvention, string> = {
  math: "heading 0° = east, + counter-clockwise (90° = north)",
  compass: "heading 0° = north, + clockwise (90° = east)",
};

export function createMap(store: Store, api: Api, life: Lifetime): { el: HTMLElement; resync(): void } {
  const canvas = h("canvas.map-canvas", { role: "img", "aria-label": "Traverse map" });
  const convention = h("div.map-convention", { id: "map-convention" });
  const readout = h("div.map-readout.num", { id: "map-seen" });
  const predOut = h("div.map-readout.pred.num", { id: "map-predicted" });
  const fitBtn = h("button.btn.small", { type: "button", title: "Re-frame the map on the track" }, "Fit");
  const legend = h("div.map-legend", null,
    h("span.lg.lg-track"), "track", h("span.lg.lg-pred"), "after in-flight", h("span.lg.lg-queued"), "after queued",
    h("span.lg.lg-haz"), "hazard");
  const north = h("div.map-north", { title: "North is up: y grows to the north, x to the east" }, "N ↑");
  const wrap = h("div.map-wrap", null, canvas, legend, north);
  const el = h("section.panel.map-panel", { "aria-label": "Traverse map" },
    h("header.panel-head", null, h("h2", null, "Traverse"), h("span.panel-note", null, "x east, y north"), fitBtn),
    wrap, h("div.map-foot", null, convention, readout, predOut));

  let track: TrackPoint[] = [];
  const hazards = new Map<number, Hazard>();
  let pose: (Pose & { t: number }) | null = null;
  // The dictionary states the convention; only if it did not would the track be asked.
  let stated = conventionFromText(store.channelSpec("heading_deg")?.description);
  let conv: HeadingConvention = stated ?? "math";
  let view: Box | null = null;
  let dirty = false;
  let cssW = 0;
  let cssH = 0;

  function addPoint(p: TrackPoint): void {
    const last = track[track.length - 1];
    if (last === undefined || p.t > last.t) track.push(p);
    else if (p.t === last.t) track[track.length - 1] = p;
    else {
      const i = track.findIndex((q) => q.t >= p.t);
      if (i >= 0 && track[i]?.t === p.t) track[i] = p;
      else track.splice(i < 0 ? track.length : i, 0, p);
    }
    if (track.length > MAX_TRACK) track = track.slice(track.length - MAX_TRACK);
  }

  function fromLatest(): void {
    const x = store.latest.get("position_x_m");
    const y = store.latest.get("position_y_m");
    const hd = store.latest.get("heading_deg");
    if (x === undefined || y === undefined || typeof x.value !== "number" || typeof y.value !== "number") return;
    const t = parseTime(x.rover_time) ?? 0;
    const heading = hd !== undefined && typeof hd.value === "number" ? hd.value : null;
    addPoint({ t, x: x.value, y: y.value, heading });
    if (pose === null || t >= pose.t) pose = { t, x: x.value, y: y.value, heading: heading ?? pose?.heading ?? 0 };
    schedule();
  }

  function addHazard(ev: RoverEvent): void {
    const x = ev.params["x_m"];
    const y = ev.params["y_m"];
    if (typeof x !== "number" || typeof y !== "number") return;
    hazards.set(ev.id, { id: ev.id, x, y, severity: ev.severity, name: ev.name, t: parseTime(ev.rover_time) ?? 0 });
    schedule();
  }

  function predictions(): { flight: Pose[]; queued: Pose[] } {
    if (pose === null) return { flight: [], queued: [] };
    const cmds = [...store.commands.values()];
    const specOf = (name: string): CommandSpec | undefined => store.commandSpec(name);
    const flight = predict(pose, cmds.filter((c) => IN_FLIGHT_STATES.has(c.state)), conv, specOf);
    const start = flight[flight.length - 1] ?? pose;
    const queued = predict(start, cmds.filter((c) => c.state === "queued"), conv, specOf);
    return { flight, queued };
  }

  function contentBox(extra: Pose[]): Box | null {
    const pts: { x: number; y: number }[] = [...track, ...hazards.values(), ...extra];
    if (pts.length === 0) return null;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const p of pts) {
      x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y); x1 = Math.max(x1, p.x); y1 = Math.max(y1, p.y);
    }
    const pad = Math.max(4, 0.12 * Math.max(x1 - x0, y1 - y0));
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    const half = Math.max(10, (Math.max(x1 - x0, y1 - y0) / 2) + pad);
    return { x0: cx - half, y0: cy - half, x1: cx + half, y1: cy + half };
  }

  function schedule(): void {
    if (dirty) return;
    dirty = true;
    requestAnimationFrame(draw);
  }

  function niceStep(span: number): number {
    const raw = span / 6;
    const p = 10 ** Math.floor(Math.log10(raw));
    for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
    return 10 * p;
  }

  function draw(): void {
    dirty = false;
    const rect = wrap.getBoundingClientRect();
    if (rect.width < 10 || rect.height < 10) return;
    const dpr = window.devicePixelRatio || 1;
    if (rect.width !== cssW || rect.height !== cssH) {
      cssW = rect.width;
      cssH = rect.height;
      canvas.width = Math.round(cssW * dpr);
      canvas.height = Math.round(cssH * dpr);
      canvas.style.width = `${cssW}px`;
      canvas.style.height = `${cssH}px`;
    }
    const ctx = canvas.getContext("2d");
    if (ctx === null) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssW, cssH);

    stated = conventionFromText(store.channelSpec("heading_deg")?.description);
    conv = stated ?? inferConvention(track.slice(-400), conv);
    setText(convention, stated !== null ? CONVENTION_TEXT[conv] : `${CONVENTION_TEXT[conv]}, as the track suggests`);
    convention.dataset["convention"] = conv;
    const { flight, queued } = predictions();
    const box = contentBox([...flight, ...queued]);
    if (box !== null) {
      view = view === null ? box : {
        x0: Math.min(view.x0, box.x0), y0: Math.min(view.y0, box.y0),
        x1: Math.max(view.x1, box.x1), y1: Math.max(view.y1, box.y1),
      };
    }
    const v = view ?? { x0: -10, y0: -10, x1: 10, y1: 10 };
    const span = Math.max(v.x1 - v.x0, v.y1 - v.y0);
    const scale = Math.min(cssW, cssH) / span;
    const cx = (v.x0 + v.x1) / 2;
    const cy = (v.y0 + v.y1) / 2;
    const sx = (x: number): number => cssW / 2 + (x - cx) * scale;
    const sy = (y: number): number => cssH / 2 - (y - cy) * scale;

    // Grid.
    const step = niceStep(span);
    ctx.lineWidth = 1;
    ctx.font = "10px ui-sans-serif, system-ui, sans-serif";
    ctx.fillStyle = "#5d6875";
    const gx0 = Math.floor((cx - cssW / 2 / scale) / step) * step;
    const gy0 = Math.floor((cy - cssH / 2 / scale) / step) * step;
    for (let gx = gx0; sx(gx) <= cssW; gx += step) {
      ctx.strokeStyle = Math.abs(gx) < step / 1000 ? "rgba(255,255,255,0.12)" : "rgba(255,255,255,0.045)";
      ctx.beginPath(); ctx.moveTo(Math.round(sx(gx)) + 0.5, 0); ctx.lineTo(Math.round(sx(gx)) + 0.5, cssH); ctx.stroke();
    }
    for (let gy = gy0; sy(gy) >= 0; gy += step) {
      ctx.strokeStyle = Math.abs(gy) < step / 1000 ? "rgba(255,255,255,0.12)" : "rgba(255,255,255,0.045)";
      ctx.beginPath(); ctx.moveTo(0, Math.round(sy(gy)) + 0.5); ctx.lineTo(cssW, Math.round(sy(gy)) + 0.5); ctx.stroke();
    }
    // Scale bar and north.
    const barPx = step * scale;
    ctx.strokeStyle = "#8b96a3";
    ctx.beginPath(); ctx.moveTo(10, cssH - 12); ctx.lineTo(10 + barPx, cssH - 12); ctx.stroke();
    ctx.fillStyle = "#8b96a3";
    ctx.fillText(`${step} m`, 14 + barPx, cssH - 8);

    // Track: broken where the telemetry has a gap or another player took over (no straight
    // line from where one left the rover to where the next one has it).
    if (track.length > 1) {
      ctx.strokeStyle = "rgba(108, 182, 255, 0.8)";
      ctx.fillStyle = "rgba(108, 182, 255, 0.8)";
      ctx.lineWidth = 1.6;
      ctx.lineJoin = "round";
      ctx.beginPath();
      const dots = new Path2D(); // a point joined to neither neighbour
      let prev: TrackPoint | null = null;
      let prevJoined = false;
      for (const p of track) {
        const joins = prev !== null && store.joins("position_x_m", prev.t, p.t);
        if (joins) {
          ctx.lineTo(sx(p.x), sy(p.y));
        } else {
          if (prev !== null && !prevJoined) dots.rect(sx(prev.x) - 1.5, sy(prev.y) - 1.5, 3, 3);
          ctx.moveTo(sx(p.x), sy(p.y));
        }
        prevJoined = joins;
        prev = p;
      }
      ctx.stroke();
      if (prev !== null && !prevJoined) dots.rect(sx(prev.x) - 1.5, sy(prev.y) - 1.5, 3, 3);
      ctx.fill(dots);
    }
    // Hazards.
    for (const hz of hazards.values()) {
      const color = SEVERITY_COLOR[hz.severity] ?? "#f0a35e";
      const px = sx(hz.x);
      const py = sy(hz.y);
      ctx.fillStyle = color;
      ctx.globalAlpha = 0.18;
      ctx.beginPath(); ctx.arc(px, py, 9, 0, Math.PI * 2); ctx.fill();
      ctx.globalAlpha = 1;
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.5;
      ctx.beginPath(); ctx.moveTo(px - 4, py - 4); ctx.lineTo(px + 4, py + 4); ctx.moveTo(px + 4, py - 4); ctx.lineTo(px - 4, py + 4); ctx.stroke();
    }
    // Predictions.
    const leg = (from: Pose, pts: Pose[], color: string, dash: number[]): void => {
      if (pts.length === 0) return;
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.5;
      ctx.setLineDash(dash);
      ctx.beginPath();
      ctx.moveTo(sx(from.x), sy(from.y));
      for (const p of pts) ctx.lineTo(sx(p.x), sy(p.y));
      ctx.stroke();
      ctx.setLineDash([]);
      const end = pts[pts.length - 1] as Pose;
      rover(end, color, true);
    };
    const rover = (p: Pose, color: string, ghost: boolean): void => {
      const [ux, uy] = unitVector(p.heading, conv);
      const px = sx(p.x);
      const py = sy(p.y);
      const fx = ux;
      const fy = -uy;
      const size = 9;
      ctx.beginPath();
      ctx.moveTo(px + fx * size * 1.4, py + fy * size * 1.4);
      ctx.lineTo(px - fx * size * 0.8 - fy * size * 0.8, py - fy * size * 0.8 + fx * size * 0.8);
      ctx.lineTo(px - fx * size * 0.4, py - fy * size * 0.4);
      ctx.lineTo(px - fx * size * 0.8 + fy * size * 0.8, py - fy * size * 0.8 - fx * size * 0.8);
      ctx.closePath();
      if (ghost) {
        ctx.strokeStyle = color;
        ctx.lineWidth = 1.5;
        ctx.stroke();
      } else {
        ctx.fillStyle = color;
        ctx.fill();
      }
    };
    if (pose !== null) {
      leg(pose, flight, "#e8c46a", [5, 4]);
      leg(flight[flight.length - 1] ?? pose, queued, "rgba(200, 200, 210, 0.55)", [2, 4]);
      rover(pose, "#e9eef5", false);
    }

    // Readouts.
    if (pose !== null) {
      const age = (store.clock.now() - pose.t) / 1000;
      setText(readout, `seen x ${pose.x.toFixed(1)} m  y ${pose.y.toFixed(1)} m  hdg ${fmtHeading(pose.heading)}° (${cardinal(pose.heading, conv)})  · ${fmtDur(age)} ago`);
    } else {
      setText(readout, "no position yet");
    }
    const last = flight[flight.length - 1];
    setText(predOut, last !== undefined
      ? `after in-flight: x ${last.x.toFixed(1)} m  y ${last.y.toFixed(1)} m  hdg ${fmtHeading(last.heading)}° (${cardinal(last.heading, conv)})`
      : "nothing in flight moves the rover");
  }

  async function loadTrack(): Promise<void> {
    try {
      const [xs, ys, hs] = await Promise.all([
        api.samples(store.roverId, "position_x_m", 2000),
        api.samples(store.roverId, "position_y_m", 2000),
        api.samples(store.roverId, "heading_deg", 2000).catch(() => ({ channel: "heading_deg", samples: [] })),
      ]);
      const yBy = new Map(ys.samples.map((s) => [s.rover_time, s.value]));
      const hBy = new Map(hs.samples.map((s) => [s.rover_time, s.value]));
      for (const s of xs.samples) {
        const y = yBy.get(s.rover_time);
        const t = parseTime(s.rover_time);
        const hd = hBy.get(s.rover_time);
        if (typeof s.value === "number" && typeof y === "number" && t !== null) {
          addPoint({ t, x: s.value, y, heading: typeof hd === "number" ? hd : null });
        }
      }
      schedule();
    } catch {
      /* the live stream still draws the track */
    }
  }

  function resync(): void {
    track = [];
    view = null;
    void loadTrack();
    for (const ev of store.events) addHazard(ev);
    fromLatest();
    schedule();
  }

  fitBtn.addEventListener("click", () => { view = null; schedule(); });
  store.on("telemetry", (ch) => { if ("position_x_m" in ch || "heading_deg" in ch) fromLatest(); });
  store.on("event", addHazard);
  store.on("eventsReset", (evs) => { for (const ev of evs) addHazard(ev); });
  store.on("command", schedule);
  store.on("commandsReset", schedule);
  store.on("player", schedule);
  life.observeResize(wrap, schedule);
  life.every(schedule, 1000);
  return { el, resync };
}
