// Rover events, newest first, with severity; filter by severity and by text.

import { h, setClass, setText } from "./dom";
import type { Store } from "./store";
import { fmtClock, fmtDur, parseTime } from "./time";
import type { RoverEvent, Severity } from "./types";

const SEVERITIES: Severity[] = ["high", "medium", "low", "info"];
const MAX_ROWS = 300;

function fmtParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === "number" && !Number.isInteger(v) ? v.toFixed(2) : String(v)}`)
    .join(" ");
}

export function createEvents(store: Store): HTMLElement {
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

  const ages: { el: HTMLElement; t: number }[] = [];

  function row(ev: RoverEvent): HTMLElement {
    const t = parseTime(ev.rover_time) ?? 0;
    const g = parseTime(ev.ground_time);
    const age = h("span.ev-age.num");
    ages.push({ el: age, t });
    const params = fmtParams(ev.params);
    return h(`div.ev-row.sev-${ev.severity}` as "div", {
      title: `${ev.name} (${ev.severity})\n${ev.message}\n${params}\nrover time ${ev.rover_time}\nreceived ${ev.ground_time}${g !== null ? ` (light ${fmtDur((g - t) / 1000)})` : ""}`,
    },
      h("span.sev-dot"), h("span.ev-time.num", null, fmtClock(t)),
      h("span.ev-name", null, ev.name),
      h("span.ev-msg", null, ev.message, params.length > 0 ? h("span.ev-params.num", null, ` ${params}`) : null),
      age);
  }

  function matches(ev: RoverEvent, q: string): boolean {
    if (!shown.has(ev.severity)) return false;
    if (q.length === 0) return true;
    return `${ev.name} ${ev.message} ${fmtParams(ev.params)}`.toLowerCase().includes(q);
  }

  function updateCounts(): void {
    for (const sev of SEVERITIES) {
      const el2 = counts.get(sev);
      if (el2 !== undefined) setText(el2, String(store.events.filter((e) => e.severity === sev).length));
    }
  }

  function render(): void {
    ages.length = 0;
    const q = search.value.trim().toLowerCase();
    const rows = store.events.filter((e) => matches(e, q)).slice(0, MAX_ROWS).map(row);
    list.replaceChildren(...rows);
    if (rows.length === 0) {
      list.appendChild(h("div.empty", null, store.events.length === 0 ? "No events from the rover yet." : "No event matches the filter."));
    }
    updateCounts();
    tickAges();
  }

  function onEvent(ev: RoverEvent): void {
    updateCounts();
    if (!matches(ev, search.value.trim().toLowerCase())) return;
    list.querySelector(".empty")?.remove();
    list.prepend(row(ev));
    while (list.childElementCount > MAX_ROWS) list.lastElementChild?.remove();
    tickAges();
  }

  function tickAges(): void {
    const now = store.clock.now();
    for (const a of ages) setText(a.el, fmtDur((now - a.t) / 1000));
  }

  search.addEventListener("input", render);
  store.on("event", onEvent);
  store.on("eventsReset", render);
  window.setInterval(tickAges, 1000);
  render();
  return el;
}
