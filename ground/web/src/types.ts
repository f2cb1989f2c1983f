// The HTTP API v1 / WebSocket contract, as the console reads it. Every body the HTTP API
// answers is the generated contract (api-types.ts, made from the ground's OpenAPI; docs/api.md):
// the names here are aliases of it. What the OpenAPI does not describe is written here: the
// WebSocket's messages (made of the same bodies) and the console's own sets of states.

import type { components } from "./api-types";

type Schemas = components["schemas"];

// GET /api/v1/dictionary
export type Dictionary = Schemas["Dictionary"];
export type CommandSpec = Schemas["CommandSpec"];
export type ArgSpec = Schemas["ArgSpec"];
export type ArgType = ArgSpec["type"];
/** A typed value of the dictionary: a number, a boolean, or an enum's choice. */
export type ArgValue = NonNullable<ArgSpec["default"]>;
export type DurationSpec = Schemas["DurationSpec"];
export type ChannelSpec = Schemas["ChannelSpec"];
export type Limits = Schemas["Limits"];
export type EventSpec = Schemas["EventSpec"];
export type Severity = EventSpec["severity"];
export type HousekeepingSpec = Schemas["HousekeepingSpec"];

// GET /api/v1/health, /link, /rovers
export type Health = Schemas["Health"];
export type Link = Schemas["Link"];
export type Rover = Schemas["Rover"];
export type Downlink = Schemas["Downlink"];
export type BridgeCounters = Schemas["BridgeCounters"];

// /api/v1/rovers/{rover}/commands and /queue
export type CommandRequest = Schemas["CommandRequest"];
export type Command = Schemas["Command"];
export type CommandState = Command["state"];
export type HistoryEntry = Schemas["HistoryEntry"];
export type QueueState = Schemas["QueueState"];

// /api/v1/rovers/{rover}/telemetry and /events
export type TelemetrySnapshot = Schemas["TelemetrySnapshot"];
export type ChannelValue = Schemas["ChannelValue"];
export type ChannelHistory = Schemas["ChannelHistory"];
export type Sample = Schemas["Sample"];
export type RoverEvent = Schemas["RoverEvent"];

// Errors: 401, 404, 405, 409 say it in words; 422 names each field.
export type ErrorMessage = Schemas["Message"];
export type ValidationErrors = Schemas["ValidationErrors"];

/** A rover's presence, as the stream announces it: who plays it, and the bridge's counters. */
export type RoverPresence = Pick<Rover, "id" | "online" | "played_by" | "since" | "supports" | "bridge">;

/**
 * What the console holds of a rover: GET /rovers' answer, kept up to date by the stream's
 * presence (and before that answer, what the presence said).
 */
export type RoverView = Pick<Rover, "id" | "online"> & Partial<Rover>;

/** WS /api/v1/stream: each message one of the API's bodies (a telemetry one: the news only). */
export type StreamMessage =
  | { type: "command"; rover: string | null; data: Command }
  | { type: "telemetry"; rover: string | null; data: TelemetrySnapshot }
  | { type: "event"; rover: string | null; data: RoverEvent }
  | { type: "link"; rover: string | null; data: Link }
  | { type: "rover"; rover: string | null; data: RoverPresence };

export const TERMINAL_STATES: ReadonlySet<CommandState> = new Set<CommandState>([
  "completed", "rejected", "failed", "timed_out", "cancelled",
]);
export const IN_FLIGHT_STATES: ReadonlySet<CommandState> = new Set<CommandState>([
  "radiated", "accepted", "started",
]);
