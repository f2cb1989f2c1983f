// What a command means, as the dictionary declares it (spacelink/dictionary.py, served by
// GET /api/v1/dictionary): its kind, how a motion command moves the rover, how long it runs.
// Nothing in the console names a command to learn these.

import type { ArgValue, CommandSpec } from "./types";

/** An argument's number as sent, else its default; null when neither is a number. */
function numberArg(spec: CommandSpec, args: Record<string, ArgValue>, name: string): number | null {
  const v = args[name] ?? spec.args.find((a) => a.name === name)?.default;
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** The signed amount the duration counts (a motion's distance or angle), or null. */
export function amountOf(spec: CommandSpec, args: Record<string, ArgValue>): number | null {
  const name = spec.duration?.amount;
  return name === null || name === undefined ? null : numberArg(spec, args, name);
}

/** Amount per mission second (a motion's speed or turn rate), or null. */
export function rateOf(spec: CommandSpec, args: Record<string, ArgValue>): number | null {
  const rate = spec.duration?.rate;
  if (rate === undefined) return null;
  const r = typeof rate === "number" ? rate : numberArg(spec, args, rate);
  return r !== null && r > 0 ? r : null;
}

/** Mission seconds the command runs with these arguments, or null when they do not say. */
export function durationOf(spec: CommandSpec, args: Record<string, ArgValue>): number | null {
  const d = spec.duration;
  if (d === undefined) return spec.expected_duration_s;
  if (d.amount === null) return d.fixed_s;
  const amount = amountOf(spec, args);
  const rate = rateOf(spec, args);
  return amount === null || rate === null ? null : d.fixed_s + Math.abs(amount) / rate;
}

/** Whether the command moves the rover (one at a time: a new one interrupts the running one). */
export function isMotion(spec: CommandSpec | undefined): boolean {
  return spec?.kind === "motion";
}
