// The live WebSocket stream. Reconnects by itself with exponential backoff and jitter
// (0.5 s doubling to 15 s); reports its state so the console can say what it knows.

import type { StreamMessage } from "./types";

export type StreamState =
  | { kind: "connecting"; attempt: number }
  | { kind: "open"; since: number }
  | { kind: "waiting"; attempt: number; retryAt: number; reason: string }
  | { kind: "stopped" };

export interface StreamHandlers {
  message(msg: StreamMessage): void;
  state(state: StreamState): void;
  /** Called on every (re)connection: the console re-reads what it may have missed. */
  opened(reconnected: boolean): void;
  /** Called after a connection that never opened: the owner may check the token. */
  failedToOpen(attempt: number): void;
}

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;

export class Stream {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private timer: number | null = null;
  private stopped = false;
  private everOpened = false;

  constructor(private readonly url: string, private readonly on: StreamHandlers) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) window.clearTimeout(this.timer);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws !== null) {
      ws.onclose = null;
      ws.onmessage = null;
      ws.onerror = null;
      // Closing a socket still connecting makes the browser report a failed connection:
      // close it as soon as it opens instead (or let it fail by itself).
      if (ws.readyState === WebSocket.CONNECTING) ws.onopen = () => ws.close();
      else {
        ws.onopen = null;
        ws.close();
      }
    }
    this.on.state({ kind: "stopped" });
  }

  /** Skip the rest of the backoff and try now (the operator pressed "retry"). */
  retryNow(): void {
    if (this.stopped || this.ws !== null) return;
    if (this.timer !== null) window.clearTimeout(this.timer);
    this.timer = null;
    this.connect();
  }

  private connect(): void {
    this.attempt += 1;
    this.on.state({ kind: "connecting", attempt: this.attempt });
    let opened = false;
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      opened = true;
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.attempt = 0;
      this.on.state({ kind: "open", since: Date.now() });
      this.on.opened(reconnected);
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (typeof ev.data !== "string") return;
      let msg: StreamMessage;
      try {
        msg = JSON.parse(ev.data) as StreamMessage;
      } catch {
        return;
      }
      this.on.message(msg);
    };
    ws.onclose = (ev: CloseEvent) => {
      this.ws = null;
      if (this.stopped) return;
      if (!opened) this.on.failedToOpen(this.attempt);
      const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(this.attempt, 6));
      const jittered = delay * (0.75 + Math.random() * 0.5);
      const reason = opened ? `closed (${ev.code})` : "server unreachable";
      this.on.state({ kind: "waiting", attempt: this.attempt, retryAt: Date.now() + jittered, reason });
      this.timer = window.setTimeout(() => {
        this.timer = null;
        this.connect();
      }, jittered);
    };
  }
}
