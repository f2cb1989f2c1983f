// Rover events, newest first, with severity; filter by severity and by text. An event's
// parameters are read with the dictionary: a function id is shown as the command's name.

import { h, setClass, setText } from "./dom";
import type { Lifetime } from "./life";
import type { Store } from "./store";
import { fmtDur, fmtWhen, parseTime } from "./time";
import type { RoverEvent, Severity } from "./types";

const SEVERITIES: Severity[] = ["high", "medium", "low", "info"];
const MAX_ROWS = 300;

function fmtNumber(v: unknown): string {
  return typeof v === "number" && !Number.isInteger(v) ? v.toFixed(2) : String(v);
}

/** The command a function id stands for (ST[08] function ids are in the dictionary). */
function commandName(store: Store, id: unknown): string | null {
  if (typeof id !== "number") return null;
  return store.dictionary.commands.find((c) => c.function_id === id)?.name ?? null;
}

/** What an event says: the dictionary's description (else the server's message) and its
 * parameters, with `function_id=7` shown as `command=LIBS_SHOT`. */
export function describeEvent(store: Store, ev: RoverEvent): { text: string; params: string } {
  const params = Object.entries(ev.params).map(([k, v]) => {
    if (k === "function_id") {
      const name = commandName(store, v);
      if (name !== null) return `command=${name}`;
    }
    return `${k}=${fmtNumber(v)}`;
  }).join(", ");
  const spec = store.dictionary.events?.find((e) => e.name === ev.name);
  if (spec !== undefined && spec.description.length > 0) return { text: spec.description, params };
  // Not in our dictionary: the server's own words, with any function id named.
  const text = ev.message.replace(/function_id=(\d+)/g, (whole, id: string) => {
    const name = commandName(store, Number(id));
    return name !== null ? `command=${name}` : whole;
  });
  return { text, params: text.includes("=") ? "" : params };
}

export function createEvents(store: Store, life: Lifetime): HTMLElement {
  const shown = new Set<Severity>(SEVERITIES);
  const counts = new Map<Severity, HTMLElement>();
  const chips = SEVERITIES.map((sev) => {
    const count = h("span.chip-count.num", null, "0");
    counts.set(sev, count);
    const chip = h(`button.chip.sev-${sev}` as "button", { type: "button", "aria-pressed": "true", title: `Show ${sev} events` },
      h("span.sev-dot"), sev, count);
    chip.addEventListener("click", () => {
      if (shown.has(sev)) shown.delete(sev); else shown.add(sev);
      chip.setAttribute("aria-pressed", String(shown.has(sev)));
      setClass(chip, "off", !shown.has(sev));
      render();
    });
    return chip;
  });
  const search = h("input.input.search", { type: "search", placeholder: "filter…", "aria-label": "Filter events by text" });
  const list = h("div.ev-list", { role: "log", "aria-live": "polite", "aria-label": "Rover events" });
  const el = h("section.panel.ev-panel", { "aria-label": "Events" },
    h("header.panel-head", null, h("h2", null, "Events"), h("span.panel-note", null, "rover time · age")),
    h("div.ev-filters", null, h("div.chips", { role: "group", "aria-label": "Severities shown" }, chips), search),
    list);

  const times = new Map<Element, { time: HTMLElement; age: HTMLElement; t: number }>();

  function row(ev: RoverEvent): HTMLElement {
    const t = parseTime(ev.rover_time) ?? 0;
    const g = parseTime(ev.ground_time);
    const age = h("span.ev-age.num");
    const time = h("span.ev-time.num");
    const { text, params } = describeEvent(store, ev);
    const el = h(`div.ev-row.sev-${ev.severity}` as "div", {
      "data-event-id": ev.id,
      title: `${ev.name} (${ev.severity})\n${ev.message}\nrover time ${ev.rover_time}\nreceived ${ev.ground_time}${g !== null ? ` (light ${fmtDur((g - t) / 1000)})` : ""}`,
    },
      h("span.sev-dot"), time, h("span.ev-name", null, ev.name), age,
      h("span.ev-msg", null, text, params.length > 0 ? h("span.ev-params.num", null, ` ${params}`) : null));
    times.set(el, { time, age, t });
    return el;
  }

  function matches(ev: RoverEvent, q: string): boolean {
    if (!shown.has(ev.severity)) return false;
    if (q.length === 0) return true;
    const { text, params } = describeEvent(store, ev);
    return `${ev.name} ${text} ${params} ${ev.message}`.toLowerCase().includes(q);
  }

  function updateCounts(): void {
    for (const sev of SEVERITIES) {
      const el2 = counts.get(sev);
      if (el2 !== undefined) setText(el2, String(store.events.filter((e) => e.severity === sev).length));
    }
  }

  function render(): void {
    times.clear();
    const q = search.value.trim().toLowerCase();
    const rows = store.events.filter((e) => matches(e, q)).slice(0, MAX_ROWS).map(row);
    list.replaceChildren(...rows);
    if (rows.length === 0) {
      list.appendChild(h("div.empty", null, store.events.length === 0 ? "No events from the rover yet." : "No event matches the filter."));
    }
    updateCounts();
    tick();
  }

  function onEvent(ev: RoverEvent): void {
    updateCounts();
    if (!matches(ev, search.value.trim().toLowerCase())) return;
    list.querySelector(".empty")?.remove();
    list.prepend(row(ev));
    while (list.childElementCount > MAX_ROWS && list.lastElementChild !== null) {
      times.delete(list.lastElementChild);
      list.lastElementChild.remove();
    }
    tick();
  }

  /** Ages, and times (a date appears once an event's day is no longer today's). */
  function tick(): void {
    const now = store.clock.now();
    for (const a of times.values()) {
      setText(a.time, fmtWhen(a.t, now));
      setText(a.age, fmtDur((now - a.t) / 1000));
    }
  }

  search.addEventListener("input", render);
  store.on("event", onEvent);
  store.on("eventsReset", render);
  life.every(tick, 1000);
  render();
  return el;
}
