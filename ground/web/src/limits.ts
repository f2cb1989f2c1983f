// Telemetry limit checks and value formatting, shared by the table, charts and health.

import type { ChannelSpec, Limits } from "./types";

const UNIT_DISPLAY: Record<string, string> = { C: "°C", degC: "°C", deg: "°" };

/** A unit as people write it ("°C" for "C"). */
export function displayUnit(unit: string | null | undefined): string {
  if (unit === null || unit === undefined) return "";
  return UNIT_DISPLAY[unit] ?? unit;
}

export type LimitLevel = "nominal" | "yellow" | "red" | "none";

export function limitLevel(limits: Limits | null | undefined, value: unknown): LimitLevel {
  if (limits === null || limits === undefined || typeof value !== "number" || !Number.isFinite(value)) return "none";
  if (limits.red_low !== null && value < limits.red_low) return "red";
  if (limits.red_high !== null && value > limits.red_high) return "red";
  if (limits.yellow_low !== null && value < limits.yellow_low) return "yellow";
  if (limits.yellow_high !== null && value > limits.yellow_high) return "yellow";
  return "nominal";
}

export function fmtValue(spec: ChannelSpec | undefined, value: unknown): string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return String(value);
    if (spec !== undefined && spec.type !== "f32" && Number.isInteger(value)) return String(value);
    const a = Math.abs(value);
    if (spec?.unit === "m/s" || a < 1) return value.toFixed(3);
    if (a < 100) return value.toFixed(2);
    if (a < 10_000) return value.toFixed(1);
    return value.toFixed(0);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value === null || value === undefined) return "—";
  return String(value);
}

export function fmtLimits(limits: Limits | null | undefined): string {
  if (limits === null || limits === undefined) return "no limits";
  const s = (n: number | null): string => (n === null ? "—" : String(n));
  return `red < ${s(limits.red_low)} · yellow < ${s(limits.yellow_low)} · yellow > ${s(limits.yellow_high)} · red > ${s(limits.red_high)}`;
}
