// Dead reckoning for the traverse map: where the rover will be once the commands in flight
// (and, separately, those still queued) execute, starting from the latest telemetry pose.
// Which commands move the rover, how, how far and how fast is the dictionary's word
// (semantics.ts): its motion commands and how each moves.

import { progressFraction } from "./queue";
import { amountOf, isMotion, rateOf } from "./semantics";
import type { Command, CommandSpec } from "./types";

export interface Pose {
  x: number;
  y: number;
  heading: number;
}

/** How heading maps to the map's axes. "compass": 0 = +y (north), clockwise; "math": 0 = +x, counter-clockwise. */
export type HeadingConvention = "compass" | "math";

export function unitVector(headingDeg: number, conv: HeadingConvention): [number, number] {
  const r = (headingDeg * Math.PI) / 180;
  return conv === "compass" ? [Math.sin(r), Math.cos(r)] : [Math.cos(r), Math.sin(r)];
}

/**
 * The convention a channel's description states ("Heading, counter-clockwise from east"),
 * or null when it states none.
 */
export function conventionFromText(description: string | undefined): HeadingConvention | null {
  if (description === undefined) return null;
  const d = description.toLowerCase();
  if (/(counter-?clockwise|anti-?clockwise|ccw) from (the )?east/.test(d)) return "math";
  if (/(^|[^-a-z])clockwise from (the )?north/.test(d) && !/(counter|anti)-?clockwise/.test(d)) return "compass";
  return null;
}

/** The compass bearing (clockwise from north, degrees) a heading points to. */
export function bearingOf(headingDeg: number, conv: HeadingConvention): number {
  const b = conv === "compass" ? headingDeg : 90 - headingDeg;
  return ((b % 360) + 360) % 360;
}

const POINTS = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"];

/** "N", "NE", … for a heading, in the given convention. */
export function cardinal(headingDeg: number, conv: HeadingConvention): string {
  return POINTS[Math.round(bearingOf(headingDeg, conv) / 45) % 8] as string;
}

/**
 * Applies commands in id order; returns the waypoints after each moving step. A motion is
 * cut short when the next motion command reaches Mars before it can finish (on the rover a
 * new motion command interrupts the running one): at most rate x time between arrivals.
 */
export function predict(start: Pose, commands: Command[], conv: HeadingConvention,
  specOf: (name: string) => CommandSpec | undefined): Pose[] {
  const out: Pose[] = [];
  let p: Pose = { ...start };
  const sorted = [...commands].sort((a, b) => a.id - b.id);
  sorted.forEach((cmd, i) => {
    const spec = specOf(cmd.name);
    if (spec === undefined || !isMotion(spec)) return;
    let amount = amountOf(spec, cmd.args);
    if (amount === null) return;
    const done = cmd.state === "started" ? progressFraction(cmd.progress) ?? 0 : 0;
    const left = 1 - done;
    const next = sorted.slice(i + 1).find((c) => isMotion(specOf(c.name)));
    const t0 = cmd.predicted_arrival !== null ? Date.parse(cmd.predicted_arrival) : NaN;
    const t1 = next?.predicted_arrival !== null && next?.predicted_arrival !== undefined ? Date.parse(next.predicted_arrival) : NaN;
    const rate = rateOf(spec, cmd.args);
    if (rate !== null && Number.isFinite(t0) && Number.isFinite(t1) && t1 >= t0) {
      amount = Math.sign(amount) * Math.min(Math.abs(amount), rate * (t1 - t0) / 1000);
    }
    if (spec.moves === "drive") {
      const [ux, uy] = unitVector(p.heading, conv);
      p = { x: p.x + ux * amount * left, y: p.y + uy * amount * left, heading: p.heading };
    } else if (spec.moves === "turn") {
      p = { ...p, heading: (((p.heading + amount * left) % 360) + 360) % 360 };
    } else {
      return;
    }
    out.push(p);
  });
  return out;
}

/**
 * Learns the heading convention from the track: a move of more than 0.2 m scores each
 * convention by how well the heading points along it. Returns the better one, or the
 * given default while the evidence is thin.
 */
export function inferConvention(track: { x: number; y: number; heading: number | null }[], fallback: HeadingConvention): HeadingConvention {
  let compass = 0;
  let math = 0;
  let n = 0;
  for (let i = 1; i < track.length; i += 1) {
    const a = track[i - 1];
    const b = track[i];
    if (a === undefined || b === undefined || b.heading === null) continue;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.hypot(dx, dy);
    if (len < 0.2) continue;
    const [cx, cy] = unitVector(b.heading, "compass");
    const [mx, my] = unitVector(b.heading, "math");
    compass += Math.abs(cx * dx + cy * dy) / len;
    math += Math.abs(mx * dx + my * dy) / len;
    n += 1;
  }
  if (n < 3 || Math.abs(compass - math) < n * 0.2) return fallback;
  return compass > math ? "compass" : "math";
}
