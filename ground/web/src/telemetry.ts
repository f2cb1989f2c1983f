// Telemetry: live charts of battery, power, temperatures, speed and odometer (plus one
// channel the operator picks), and a table of every dictionary channel with its value,
// limit state, age, and how much of that age is light time.
//   age        = now_mission - rover_time
//   light time = ground_time - rover_time

import type { Api } from "./api";
import { LiveChart, type ChartContext, type SeriesDef } from "./chart";
import { clear, h, setClass, setText } from "./dom";
import type { Lifetime } from "./life";
import { displayUnit, fmtLimits, fmtValue, limitLevel } from "./limits";
import type { Store } from "./store";
import { fmtDur, parseTime } from "./time";
import type { ChannelSpec, ChannelValue } from "./types";

const PALETTE = ["#6cb6ff", "#5fd3b0", "#c5a3ff", "#ff9e7a", "#8fd0ff"];
const BACKFILL = 600;

interface Group {
  title: string;
  match: (c: ChannelSpec) => boolean;
}

const TEMP_UNITS = new Set(["C", "°C", "degC", "celsius"]);
const GROUPS: Group[] = [
  { title: "Battery", match: (c) => /battery.*(soc|pct)|soc/.test(c.name) && c.unit === "%" },
  { title: "Power", match: (c) => c.unit === "W" },
  { title: "Temps", match: (c) => (c.unit !== null && TEMP_UNITS.has(c.unit)) || /_temp_c$/.test(c.name) },
  { title: "Speed", match: (c) => c.unit === "m/s" || /speed/.test(c.name) },
  { title: "Odometer", match: (c) => /odometer/.test(c.name) },
];

function isNumeric(c: ChannelSpec): boolean {
  return c.type !== "enum" && c.type !== "bool" && c.choices === null;
}

interface ChartCard {
  el: HTMLElement;
  chart: LiveChart;
  readouts: { series: SeriesDef; value: HTMLElement }[];
  body: HTMLElement;
  observer: ResizeObserver;
}

interface Row {
  el: HTMLElement;
  spec: ChannelSpec;
  value: HTMLElement;
  age: HTMLElement;
  light: HTMLElement;
}

function shortLabel(name: string): string {
  return name.replace(/_(pct|c|w|m|mps|deg)$/, "").replace(/_temp$/, "").replace(/_/g, " ");
}

const ABBREV: Record<string, string> = { battery: "batt", electronics: "elec", ambient: "amb" };

/** Labels short enough for three readouts in one chart header. */
function seriesLabel(name: string, crowded: boolean): string {
  const full = shortLabel(name);
  if (!crowded) return full;
  const first = full.split(" ")[0] ?? full;
  return ABBREV[first] ?? first.slice(0, 5);
}

export function createTelemetry(store: Store, api: Api, life: Lifetime): { el: HTMLElement; resync(): void } {
  const chartContext: ChartContext = {
    joins: (channel, a, b) => store.joins(channel, a, b),
    now: () => store.clock.now(),
  };
  const grid = h("div.chart-grid");
  const tbody = h("tbody");
  const table = h("table.tm-table", null,
    h("thead", null, h("tr", null,
      h("th", { scope: "col" }, "Channel"), h("th.r", { scope: "col" }, "Value"), h("th", { scope: "col" }, "Unit"),
      h("th.r", { scope: "col", title: "now (mission) − rover time" }, "Age"),
      h("th.r", { scope: "col", title: "ground time − rover time: the part of the age spent crossing space" }, "of which light"))),
    tbody);
  const el = h("section.panel.tm-panel", { "aria-label": "Telemetry" },
    h("header.panel-head", null, h("h2", null, "Telemetry"),
      h("span.panel-note", null, "what we see is the past: age = now − rover time")),
    grid,
    h("div.tm-table-wrap", null, table));

  let cards: ChartCard[] = [];
  let selectedCard: ChartCard | null = null;
  let rows = new Map<string, Row>();
  let selected: string | null = null;

  function makeCard(title: string, specs: ChannelSpec[]): ChartCard {
    const series: SeriesDef[] = specs.map((s, i) => ({
      channel: s.name, label: seriesLabel(s.name, specs.length > 1), color: PALETTE[i % PALETTE.length] as string, limits: s.limits,
    }));
    const chart = new LiveChart(series, specs[0]?.unit ?? null, chartContext);
    const readouts = series.map((s) => {
      const value = h("span.ro-value.num", { "data-channel": s.channel }, "—");
      return { series: s, value, el: h("span.readout", { title: `${s.channel}: ${fmtLimits(store.channelSpec(s.channel)?.limits)}` },
        h("span.swatch", { style: `background:${s.color}` }), h("span.ro-label", null, s.label), value) };
    });
    const unit = specs[0]?.unit;
    const body = h("div.chart-body", null, chart.el);
    const el = h("div.chart-card", null,
      h("div.chart-head", null, h("span.chart-title", null, title, unit !== null && unit !== undefined ? h("span.chart-unit", null, ` ${displayUnit(unit)}`) : null),
        h("span.readouts", null, readouts.map((r) => r.el))),
      body);
    const observer = new ResizeObserver((entries) => {
      const rect = entries[0]?.contentRect;
      if (rect !== undefined && rect.width > 0 && rect.height > 0) chart.mount(rect.width, rect.height);
    });
    observer.observe(body);
    return { el, chart, readouts: readouts.map(({ series: s, value }) => ({ series: s, value })), body, observer };
  }

  function destroyCard(c: ChartCard): void {
    c.observer.disconnect();
    c.chart.destroy();
    c.el.remove();
  }

  function build(): void {
    for (const c of cards) destroyCard(c);
    if (selectedCard !== null) destroyCard(selectedCard);
    selectedCard = null;
    cards = [];
    clear(grid);
    const numeric = store.dictionary.telemetry.filter(isNumeric);
    const used = new Set<string>();
    for (const g of GROUPS) {
      const specs = numeric.filter((c) => !used.has(c.name) && g.match(c));
      if (specs.length === 0) continue;
      for (const s of specs) used.add(s.name);
      const card = makeCard(g.title, specs);
      cards.push(card);
      grid.appendChild(card.el);
    }
    if (selected === null || store.channelSpec(selected) === undefined) {
      selected = numeric.find((c) => !used.has(c.name) && /heading/.test(c.name))?.name
        ?? numeric.find((c) => !used.has(c.name))?.name ?? null;
    }
    buildSelected();

    clear(tbody);
    rows = new Map();
    for (const spec of store.dictionary.telemetry) {
      const value = h("td.r.num.val", null, "—");
      const age = h("td.r.num.age", null, "—");
      const light = h("td.r.num.age", null, "—");
      const numericRow = isNumeric(spec);
      const rowEl = h("tr", {
        "data-channel": spec.name,
        title: `${spec.description}\n${fmtLimits(spec.limits)}${numericRow ? "\nClick to chart it" : ""}`,
        tabindex: numericRow ? 0 : null,
      },
        h("td.name", null, spec.name), value, h("td.unit", null, displayUnit(spec.unit)), age, light);
      if (numericRow) {
        const pick = (): void => { selected = spec.name; buildSelected(); backfill([spec.name]); markSelected(); };
        rowEl.addEventListener("click", pick);
        rowEl.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); pick(); } });
      }
      tbody.appendChild(rowEl);
      rows.set(spec.name, { el: rowEl, spec, value, age, light });
    }
    markSelected();
    for (const [name, v] of store.latest) updateRow(name, v);
  }

  function buildSelected(): void {
    if (selectedCard !== null) destroyCard(selectedCard);
    selectedCard = null;
    const spec = selected !== null ? store.channelSpec(selected) : undefined;
    if (spec === undefined) return;
    selectedCard = makeCard(`${shortLabel(spec.name)} · picked`, [spec]);
    selectedCard.el.classList.add("picked");
    grid.appendChild(selectedCard.el);
    const latest = store.latest.get(spec.name);
    if (latest !== undefined) updateReadouts({ [spec.name]: latest });
  }

  function markSelected(): void {
    for (const [name, r] of rows) setClass(r.el, "selected", name === selected);
  }

  function allCards(): ChartCard[] {
    return selectedCard !== null ? [...cards, selectedCard] : cards;
  }

  function pushToCharts(name: string, value: unknown, roverTime: string): void {
    if (typeof value !== "number") return;
    const t = parseTime(roverTime);
    if (t === null) return;
    for (const c of allCards()) {
      const k = c.chart.series.findIndex((s) => s.channel === name);
      if (k < 0) continue;
      const vals: (number | null)[] = c.chart.series.map(() => null);
      vals[k] = value;
      c.chart.push(t / 1000, vals);
    }
  }

  function updateReadouts(channels: Record<string, ChannelValue>): void {
    for (const c of allCards()) {
      for (const r of c.readouts) {
        const v = channels[r.series.channel];
        if (v === undefined) continue;
        setText(r.value, fmtValue(store.channelSpec(r.series.channel), v.value));
        const level = limitLevel(r.series.limits, v.value);
        setClass(r.value, "lim-yellow", level === "yellow");
        setClass(r.value, "lim-red", level === "red");
      }
    }
  }

  function updateRow(name: string, v: ChannelValue): void {
    const row = rows.get(name);
    if (row === undefined) return;
    setText(row.value, fmtValue(row.spec, v.value));
    const level = limitLevel(row.spec.limits, v.value);
    setClass(row.el, "lim-yellow", level === "yellow");
    setClass(row.el, "lim-red", level === "red");
  }

  function updateAges(): void {
    const now = store.clock.now();
    for (const [name, row] of rows) {
      const v = store.latest.get(name);
      if (v === undefined) continue;
      const rt = parseTime(v.rover_time);
      const gt = parseTime(v.ground_time);
      if (rt === null) continue;
      // The clock estimate can trail the server by a beat: an age is never shorter than its light time.
      setText(row.age, fmtDur(Math.max(now - rt, gt !== null ? gt - rt : 0) / 1000));
      setText(row.light, gt !== null ? fmtDur((gt - rt) / 1000) : "—");
    }
  }

  function backfill(names: string[]): void {
    for (const name of names) {
      api.samples(store.roverId, name, BACKFILL).then((r) => {
        for (const s of r.samples) pushToCharts(name, s.value, s.rover_time);
      }).catch(() => { /* history is a nicety; the live stream still fills the chart */ });
    }
  }

  function resync(): void {
    for (const c of allCards()) c.chart.clearData();
    backfill(allCards().flatMap((c) => c.chart.series.map((s) => s.channel)));
    for (const [name, v] of store.latest) {
      updateRow(name, v);
      pushToCharts(name, v.value, v.rover_time);
    }
    updateReadouts(Object.fromEntries(store.latest));
  }

  store.on("dictionary", () => { build(); });
  store.on("player", () => { for (const c of allCards()) c.chart.invalidate(); });
  life.onDispose(() => {
    for (const c of allCards()) destroyCard(c);
    cards = [];
    selectedCard = null;
  });
  store.on("telemetry", (channels) => {
    for (const [name, v] of Object.entries(channels)) {
      updateRow(name, v);
      pushToCharts(name, v.value, v.rover_time);
    }
    updateReadouts(channels);
  });
  life.every(updateAges, 500);
  build();
  return { el, resync };
}
