// The console's single state: what the server last told us, plus a tiny typed pub/sub.
// Views subscribe to topics and read the store; only main.ts and the views' actions write it.

import type { StreamState } from "./stream";
import { MissionClock } from "./time";
import type {
  ChannelSpec, ChannelValue, Command, CommandSpec, Dictionary, Link, QueueState, Rover,
  RoverEvent,
} from "./types";

export interface Topics {
  dictionary: Dictionary;
  link: Link;
  rover: Rover;
  command: Command;
  commandsReset: Command[];
  telemetry: Record<string, ChannelValue>;
  event: RoverEvent;
  eventsReset: RoverEvent[];
  queue: QueueState;
  stream: StreamState;
  health: { status: string; broker?: string } | null;
}

type Listener<T> = (value: T) => void;

export class Store {
  readonly clock = new MissionClock();
  dictionary: Dictionary = { commands: [], telemetry: [] };
  link: Link | null = null;
  roverId = "";
  rover: Rover | null = null;
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

  private readonly listeners = new Map<keyof Topics, Set<Listener<never>>>();

  on<K extends keyof Topics>(topic: K, fn: Listener<Topics[K]>): void {
    let set = this.listeners.get(topic);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(topic, set);
    }
    set.add(fn as Listener<never>);
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

  setRover(rover: Rover): void {
    if (rover.id !== this.roverId) return;
    this.rover = rover;
    this.roverReadAt = this.clock.now();
    this.roverAnchorPending = !this.clock.synced;
    if (rover.queue !== undefined && rover.queue !== null) this.setQueue(rover.queue);
    this.emit("rover", rover);
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
