// The console's single state: what the server last told us, plus a tiny typed pub/sub.
// Views subscribe to topics and read the store; only main.ts and the views' actions write it.

import type { StreamState } from "./stream";
import { MissionClock, parseTime } from "./time";
import type {
  ChannelSpec, ChannelValue, Command, CommandSpec, Dictionary, Link, QueueState, RoverEvent,
  RoverView,
} from "./types";

export interface Topics {
  dictionary: Dictionary;
  link: Link;
  rover: RoverView;
  command: Command;
  commandsReset: Command[];
  telemetry: Record<string, ChannelValue>;
  event: RoverEvent;
  eventsReset: RoverEvent[];
  queue: QueueState;
  stream: StreamState;
  health: { status: string; broker?: string } | null;
  /** A change of who plays the rover: a new entry in `playerBreaks`. */
  player: number;
}

type Listener<T> = (value: T) => void;

/** Housekeeping periods without a sample beyond which a line breaks (see Store.gapMs). */
const GAP_PERIODS = 3.5;

export class Store {
  readonly clock = new MissionClock();
  dictionary: Dictionary = { commands: [], telemetry: [], events: [], housekeeping: [] };
  link: Link | null = null;
  roverId = "";
  rover: RoverView | null = null;
  /** Mission time (epoch ms) when `rover` was read: anchors the sol count. */
  roverReadAt = 0;
  private roverAnchorPending = false;
  queue: QueueState = { held: false, length: 0 };
  readonly commands = new Map<number, Command>();
  readonly latest = new Map<string, ChannelValue>();
  /** Mission time (epoch ms) at which each channel was last updated on this console. */
  lastTelemetryAt = 0;
  events: RoverEvent[] = [];
  stream: StreamState = { kind: "stopped" };
  health: { status: string; broker?: string } | null = null;
  /**
   * Mission times (epoch ms, ascending) at which whoever plays the rover changed: telemetry
   * on either side of one comes from different players (or sessions of one), and the charts
   * and the map never join a line across it.
   */
  playerBreaks: number[] = [];
  private player: { key: string; seenAt: number } | null = null;

  private readonly listeners = new Map<keyof Topics, Set<Listener<never>>>();

  on<K extends keyof Topics>(topic: K, fn: Listener<Topics[K]>): void {
    let set = this.listeners.get(topic);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(topic, set);
    }
    set.add(fn as Listener<never>);
  }

  /** Drops every listener: the session is over. */
  dispose(): void {
    this.listeners.clear();
  }

  emit<K extends keyof Topics>(topic: K, value: Topics[K]): void {
    const set = this.listeners.get(topic);
    if (set === undefined) return;
    for (const fn of set) {
      try {
        (fn as Listener<Topics[K]>)(value);
      } catch (exc) {
        console.error(`listener for ${topic} failed`, exc);
      }
    }
  }

  commandSpec(name: string): CommandSpec | undefined {
    return this.dictionary.commands.find((c) => c.name === name);
  }

  channelSpec(name: string): ChannelSpec | undefined {
    return this.dictionary.telemetry.find((c) => c.name === name);
  }

  /**
   * The longest silence (mission ms) a line of this channel may span: more than
   * GAP_PERIODS housekeeping periods with no sample (three reports in a row missing) is a
   * gap, and lines break there. period_s is rover wall seconds, so it is scaled to mission
   * time by the link's time scale. Null for a channel in no housekeeping structure.
   */
  gapMs(channel: string): number | null {
    const hk = this.dictionary.housekeeping?.find((s) => s.channels.includes(channel));
    if (hk === undefined || !(hk.period_s > 0)) return null;
    const scale = this.link !== null && this.link.time_scale > 0 ? this.link.time_scale : 1;
    return GAP_PERIODS * hk.period_s * scale * 1000;
  }

  /** Whether a line from rover time a to b (epoch ms, a < b) may be drawn. */
  joins(channel: string, a: number, b: number): boolean {
    const gap = this.gapMs(channel);
    if (gap !== null && b - a > gap) return false;
    for (const t of this.playerBreaks) if (t > a && t <= b) return false;
    return true;
  }

  // --- writers -------------------------------------------------------------------------

  setDictionary(d: Dictionary): void {
    this.dictionary = d;
    this.emit("dictionary", d);
  }

  setLink(link: Link): void {
    this.link = link;
    this.clock.sync(link);
    if (this.roverAnchorPending) {
      this.roverReadAt = this.clock.now();
      this.roverAnchorPending = false;
    }
    this.emit("link", link);
  }

  /**
   * Takes what the server says of the rover. The stream's presence updates carry only the
   * presence (online, played_by, since, bridge): they update those fields and keep the rest
   * (site, Mars time, queue, downlink) from the last full answer of GET /rovers.
   */
  setRover(update: RoverView): void {
    if (update.id !== this.roverId) return;
    const merged: RoverView = { ...(this.rover ?? { id: update.id, online: false }) };
    for (const [k, v] of Object.entries(update)) {
      if (v !== undefined) (merged as unknown as Record<string, unknown>)[k] = v;
    }
    this.rover = merged;
    if (update.mars !== undefined && update.mars !== null) {
      this.roverReadAt = this.clock.now();
      this.roverAnchorPending = !this.clock.synced;
    }
    this.notePlayer(merged);
    if (update.queue !== undefined && update.queue !== null) this.setQueue(update.queue);
    this.emit("rover", merged);
  }

  /**
   * Records a change of who plays the rover. The first time, telemetry before the player's
   * `since` came from someone else. Later, the change happened between the previous
   * observation and this one: at `since` when that lies in between (the emulator's is
   * mission time), else now (presence is not delayed by the light time, so what the old
   * player sent is older than now, and what the new one sends is newer).
   */
  private notePlayer(r: RoverView): void {
    const key = `${r.online ? "on" : "off"}|${r.played_by ?? ""}|${r.since ?? ""}`;
    const now = this.clock.now();
    const since = parseTime(r.since);
    const previous = this.player;
    this.player = { key, seenAt: now };
    if (previous !== null && previous.key === key) return;
    let at: number | null;
    if (previous === null) at = r.online ? since : null;
    else at = since !== null && since >= previous.seenAt && since <= now ? since : now;
    if (at === null) return;
    this.playerBreaks.push(at);
    this.playerBreaks.sort((a, b) => a - b);
    this.emit("player", at);
  }

  setQueue(q: QueueState): void {
    this.queue = q;
    this.emit("queue", q);
  }

  putCommand(cmd: Command): void {
    if (cmd.rover !== this.roverId) return;
    // The stream can overtake an HTTP answer: never let an older copy replace a newer one.
    const known = this.commands.get(cmd.id);
    if (known !== undefined && known.history.length > cmd.history.length) return;
    this.commands.set(cmd.id, cmd);
    this.emit("command", cmd);
  }

  resetCommands(cmds: Command[]): void {
    this.commands.clear();
    for (const c of cmds) if (c.rover === this.roverId || c.rover === undefined) this.commands.set(c.id, c);
    this.emit("commandsReset", [...this.commands.values()]);
  }

  putTelemetry(channels: Record<string, ChannelValue>): void {
    for (const [name, v] of Object.entries(channels)) this.latest.set(name, v);
    this.lastTelemetryAt = this.clock.now();
    this.emit("telemetry", channels);
  }

  putEvent(ev: RoverEvent): void {
    if (this.events.some((e) => e.id === ev.id)) return;
    this.events.unshift(ev);
    if (this.events.length > 500) this.events.length = 500;
    this.emit("event", ev);
  }

  resetEvents(evs: RoverEvent[]): void {
    this.events = evs.slice(0, 500);
    this.emit("eventsReset", this.events);
  }

  setStream(s: StreamState): void {
    this.stream = s;
    this.emit("stream", s);
  }

  setHealth(h: { status: string; broker?: string } | null): void {
    this.health = h;
    this.emit("health", h);
  }
}
