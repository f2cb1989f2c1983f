// The HTTP API v1 / WebSocket contract, as the console reads it (see DESIGN.md).

export type ArgType = "f32" | "u8" | "u16" | "u32" | "i16" | "i32" | "bool" | "enum";
export type ArgValue = number | boolean | string;

export interface ArgSpec {
  name: string;
  type: ArgType;
  unit: string | null;
  min: number | null;
  max: number | null;
  choices: string[] | null;
  default: ArgValue | null;
  optional: boolean;
  description: string;
}

export interface CommandSpec {
  name: string;
  description: string;
  service: number;
  subtype: number;
  function_id: number;
  hazardous: boolean;
  expected_duration_s: number | null;
  args: ArgSpec[];
}

export interface Limits {
  red_low: number | null;
  yellow_low: number | null;
  yellow_high: number | null;
  red_high: number | null;
}

export interface ChannelSpec {
  name: string;
  type: string;
  unit: string | null;
  description: string;
  choices: string[] | null;
  limits: Limits | null;
}

export type Severity = "info" | "low" | "medium" | "high";

export interface EventSpec {
  name: string;
  id: number;
  severity: Severity;
  description: string;
  params?: { name: string; unit: string | null }[];
}

export interface HousekeepingSpec {
  sid: number;
  name: string;
  /** Wall seconds of the rover's own clock: period_s x time_scale mission seconds. */
  period_s: number;
  channels: string[];
}

export interface Dictionary {
  commands: CommandSpec[];
  telemetry: ChannelSpec[];
  events?: EventSpec[];
  housekeeping?: HousekeepingSpec[];
}

export interface Link {
  model: "ephemeris" | "fixed" | string;
  owlt_s: number;
  time_scale: number;
  now: string;
  state?: "open" | "closed" | string;
  distance_km?: number | null;
}

export interface Downlink {
  packets?: number;
  duplicates?: number;
  gaps?: number;
  rejected?: Record<string, number>;
}

export interface Rover {
  id: string;
  online: boolean;
  played_by?: "emulator" | "bridge" | string | null;
  /** When the current player came online (its presence's `since`). */
  since?: string | null;
  /** The commands the current player executes (a board may lack instruments); null: all. */
  supports?: string[] | null;
  site?: { lon_e_deg: number; lat_deg: number; name: string } | null;
  mars?: { msd: number; sol: number; lmst: string; ltst?: string } | null;
  queue?: QueueState | null;
  bridge?: Record<string, unknown> | null;
  /** Not in the v1 contract; shown when the ground station sends it. */
  downlink?: Downlink | null;
  last_tm_at?: string | null;
}

export interface QueueState {
  held: boolean;
  length: number;
}

export type CommandState =
  | "queued" | "radiated" | "accepted" | "started" | "completed"
  | "rejected" | "failed" | "timed_out" | "cancelled";

export interface HistoryEntry {
  state: CommandState;
  at: string;
  detail?: string | null;
}

export interface Command {
  id: number;
  rover: string;
  name: string;
  args: Record<string, ArgValue>;
  state: CommandState;
  history: HistoryEntry[];
  radiated_at: string | null;
  predicted_arrival: string | null;
  predicted_ack: string | null;
  error: string | null;
  progress?: number | null;
}

export interface ChannelValue {
  value: number | string | boolean;
  unit: string | null;
  rover_time: string;
  ground_time: string;
}

export interface TelemetrySnapshot {
  channels: Record<string, ChannelValue>;
}

export interface Sample {
  value: number | string | boolean;
  rover_time: string;
  ground_time: string;
}

export interface RoverEvent {
  id: number;
  name: string;
  severity: Severity;
  message: string;
  params: Record<string, unknown>;
  rover_time: string;
  ground_time: string;
}

export type StreamMessage =
  | { type: "command"; rover: string | null; data: Command }
  | { type: "telemetry"; rover: string | null; data: TelemetrySnapshot }
  | { type: "event"; rover: string | null; data: RoverEvent }
  | { type: "link"; rover: string | null; data: Link }
  | { type: "rover"; rover: string | null; data: Rover };

export const TERMINAL_STATES: ReadonlySet<CommandState> = new Set<CommandState>([
  "completed", "rejected", "failed", "timed_out", "cancelled",
]);
export const IN_FLIGHT_STATES: ReadonlySet<CommandState> = new Set<CommandState>([
  "radiated", "accepted", "started",
]);
