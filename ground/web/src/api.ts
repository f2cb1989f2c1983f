// HTTP client for API v1. Every call carries the bearer token; failures become ApiError
// (the server answered with an error status) or UnreachableError (it did not answer).

import type {
  ArgValue, Command, Dictionary, Link, QueueState, RoverEvent, Rover, Sample,
  TelemetrySnapshot,
} from "./types";

export interface FieldError {
  field: string | null;
  loc: (string | number)[];
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
    message: string,
  ) {
    super(message);
  }

  /** FastAPI's 422 shape: {"detail": [{"loc": [...], "msg": "..."}]}; the last loc names the field. */
  fieldErrors(): FieldError[] {
    if (!Array.isArray(this.detail)) return [];
    const out: FieldError[] = [];
    for (const item of this.detail as unknown[]) {
      if (typeof item !== "object" || item === null) continue;
      const rec = item as { loc?: unknown; msg?: unknown };
      const loc = Array.isArray(rec.loc) ? (rec.loc as (string | number)[]) : [];
      const last = loc.length > 0 ? loc[loc.length - 1] : undefined;
      out.push({
        field: typeof last === "string" ? last : null,
        loc,
        message: typeof rec.msg === "string" ? rec.msg : "invalid",
      });
    }
    return out;
  }
}

export class UnreachableError extends Error {}

function describe(status: number, detail: unknown): string {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail) && detail.length > 0) {
    const first = detail[0] as { msg?: unknown };
    if (typeof first.msg === "string") return first.msg;
  }
  return `HTTP ${status}`;
}

export class Api {
  /** `signal` ends every request of a session at logout (they reject with UnreachableError). */
  constructor(readonly base: string, readonly token: string, private readonly signal?: AbortSignal) {}

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let res: Response;
    try {
      res = await fetch(`${this.base}/api/v1${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
        signal: this.signal,
      });
    } catch (exc) {
      throw new UnreachableError(`server unreachable: ${String(exc)}`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (exc) {
      throw new UnreachableError(`answer cut short: ${String(exc)}`);
    }
    let parsed: unknown = null;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (!res.ok) {
      const detail = typeof parsed === "object" && parsed !== null && "detail" in parsed
        ? (parsed as { detail: unknown }).detail
        : parsed;
      throw new ApiError(res.status, detail, describe(res.status, detail));
    }
    return parsed as T;
  }

  health(): Promise<{ status: string; broker?: string }> {
    return this.request("GET", "/health");
  }
  dictionary(): Promise<Dictionary> {
    return this.request("GET", "/dictionary");
  }
  link(): Promise<Link> {
    return this.request("GET", "/link");
  }
  rovers(): Promise<Rover[]> {
    return this.request("GET", "/rovers");
  }
  commands(rover: string, limit = 100): Promise<Command[]> {
    return this.request("GET", `/rovers/${enc(rover)}/commands?limit=${limit}`);
  }
  send(rover: string, name: string, args: Record<string, ArgValue>): Promise<Command> {
    return this.request("POST", `/rovers/${enc(rover)}/commands`, { name, args });
  }
  cancel(rover: string, id: number): Promise<Command> {
    return this.request("DELETE", `/rovers/${enc(rover)}/commands/${id}`);
  }
  queue(rover: string): Promise<QueueState> {
    return this.request("GET", `/rovers/${enc(rover)}/queue`);
  }
  setHeld(rover: string, held: boolean): Promise<QueueState> {
    return this.request("PUT", `/rovers/${enc(rover)}/queue`, { held });
  }
  telemetry(rover: string): Promise<TelemetrySnapshot> {
    return this.request("GET", `/rovers/${enc(rover)}/telemetry`);
  }
  samples(rover: string, channel: string, limit: number): Promise<{ channel: string; samples: Sample[] }> {
    return this.request("GET", `/rovers/${enc(rover)}/telemetry/${enc(channel)}?limit=${limit}`);
  }
  events(rover: string, limit = 200): Promise<RoverEvent[]> {
    return this.request("GET", `/rovers/${enc(rover)}/events?limit=${limit}`);
  }

  streamUrl(): string {
    const url = new URL(`${this.base}/api/v1/stream`, location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("token", this.token);
    return url.toString();
  }
}

function enc(s: string): string {
  return encodeURIComponent(s);
}
