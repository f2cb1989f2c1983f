// Mission clock, Mars time (Mars24, Allison & McEwen 2000) and time formatting.
// mission_time = link.now + (wall elapsed since we read it) * time_scale.

import type { Link } from "./types";

export class MissionClock {
  private anchorMissionMs = Date.now();
  private anchorPerfMs = performance.now();
  scale = 1;
  synced = false;

  sync(link: Link): void {
    const t = Date.parse(link.now);
    if (Number.isNaN(t)) return;
    this.anchorMissionMs = t;
    this.anchorPerfMs = performance.now();
    this.scale = link.time_scale > 0 ? link.time_scale : 1;
    this.synced = true;
  }

  /** Mission time now, in epoch milliseconds. */
  now(): number {
    return this.anchorMissionMs + (performance.now() - this.anchorPerfMs) * this.scale;
  }
}

const TT_MINUS_UTC_S = 37 + 32.184;

/** Mars Sol Date at a mission instant (epoch ms). */
export function marsSolDate(ms: number): number {
  const jdUt = ms / 86_400_000 + 2_440_587.5;
  const jdTt = jdUt + TT_MINUS_UTC_S / 86_400;
  return (jdTt - 2_405_522.0028779) / 1.0274912517;
}

/** Local mean solar time at an east longitude, in hours [0, 24). */
export function lmstHours(ms: number, lonEastDeg: number): number {
  const msd = marsSolDate(ms);
  const mtc = 24 * (msd - Math.floor(msd));
  return (((mtc + lonEastDeg / 15) % 24) + 24) % 24;
}

/** Sol count at the site: MSD shifted by the site's longitude. */
export function siteSolDate(ms: number, lonEastDeg: number): number {
  return marsSolDate(ms) + lonEastDeg / 360;
}

export function fmtHours(hours: number): string {
  const total = Math.floor(hours * 3600);
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}

export function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** "HH:MM:SS" in UTC. */
export function fmtClock(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** "HH:MM:SS" when `ms` falls on the same UTC date as `now` (mission time), else
 * "YYYY-MM-DD HH:MM:SS": a time on another day never passes for today's. */
export function fmtWhen(ms: number, now: number): string {
  return sameUtcDate(ms, now) ? fmtClock(ms) : `${fmtDate(ms)} ${fmtClock(ms)}`;
}

export function sameUtcDate(a: number, b: number): boolean {
  return Math.floor(a / 86_400_000) === Math.floor(b / 86_400_000);
}

/** "YYYY-MM-DD" in UTC. */
export function fmtDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Day of year in UTC, as mission control writes it ("DOY 135"). */
export function dayOfYear(ms: number): number {
  const d = new Date(ms);
  return Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
}

export function fmtIso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A duration for people: "42 s", "12m 03s", "1h 04m", "3d 02h". Negative gets a minus. */
export function fmtDur(seconds: number): string {
  if (!Number.isFinite(seconds)) return "—";
  const sign = seconds < 0 ? "−" : "";
  const s = Math.abs(seconds);
  if (s < 10) return `${sign}${s.toFixed(1)} s`;
  if (s < 60) return `${sign}${Math.floor(s)} s`;
  if (s < 3600) return `${sign}${Math.floor(s / 60)}m ${pad(Math.floor(s % 60))}s`;
  if (s < 86_400) return `${sign}${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  return `${sign}${Math.floor(s / 86_400)}d ${pad(Math.floor((s % 86_400) / 3600))}h`;
}

/** A countdown that keeps its width: "12:03", "1:02:03". */
export function fmtCountdown(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  return hh > 0 ? `${hh}:${pad(mm)}:${pad(ss)}` : `${pad(mm)}:${pad(ss)}`;
}

export function parseTime(iso: string | null | undefined): number | null {
  if (iso === null || iso === undefined) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}
