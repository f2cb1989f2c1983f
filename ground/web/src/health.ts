// Rover and link health: whether the rover is online, who plays it (the emulator, or a
// board through the serial bridge with the bridge's counters), the ground station and
// the freshness of what we hear.

import { clear, h, setClass, setText } from "./dom";
import type { Lifetime } from "./life";
import type { Store } from "./store";
import { fmtDur, parseTime } from "./time";

function kv(label: string): { row: HTMLElement; value: HTMLElement } {
  const value = h("dd.num");
  return { row: h("div.kv", null, h("dt", null, label), value), value };
}

export function createHealth(store: Store, life: Lifetime): HTMLElement {
  const online = h("span.pill", null, "—");
  const player = kv("Played by");
  const site = kv("Site");
  const heard = kv("Last heard");
  const downlink = kv("Downlink");
  const ground = kv("Ground station");
  const stream = kv("Stream");
  const bridgeBox = h("dl.bridge");
  const bridgeHead = h("div.sub-head", { hidden: true }, "Bridge counters");
  const el = h("section.panel.health-panel", { "aria-label": "Rover and link health" },
    h("header.panel-head", null, h("h2", null, "Rover & link"), online),
    h("dl.kvs", null, player.row, site.row, heard.row, downlink.row, ground.row, stream.row),
    bridgeHead, bridgeBox);

  let bridgeKeys = "";

  function renderRover(): void {
    const r = store.rover;
    if (r === null) return;
    setText(online, `${r.id.toUpperCase()} ${r.online ? "ONLINE" : "OFFLINE"}`);
    setClass(online, "ok", r.online);
    setClass(online, "bad", !r.online);
    const by = r.played_by;
    setText(player.value, by === "bridge" ? "board, through the serial bridge"
      : by === "emulator" ? "emulator (software rover)"
        : by !== null && by !== undefined && by !== "" ? by
          : r.online ? "someone (kind not stated)" : "nobody (no presence)");
    const s = r.site;
    setText(site.value, s !== null && s !== undefined
      ? `${s.name} · ${Math.abs(s.lat_deg).toFixed(3)}°${s.lat_deg >= 0 ? "N" : "S"} ${s.lon_e_deg.toFixed(3)}°E` : "—");
    const d = r.downlink;
    downlink.row.hidden = d === null || d === undefined;
    if (d !== null && d !== undefined) {
      const rejected = Object.values(d.rejected ?? {}).reduce((a, n) => a + n, 0);
      setText(downlink.value, `${d.packets ?? 0} packets · ${d.duplicates ?? 0} dup · ${d.gaps ?? 0} gaps · ${rejected} rejected`);
      setClass(downlink.value, "warn", (d.gaps ?? 0) > 0 || rejected > 0);
    }
    const b = r.bridge;
    if (b === null || b === undefined || typeof b !== "object") {
      bridgeHead.hidden = true;
      clear(bridgeBox);
      bridgeKeys = "";
      return;
    }
    bridgeHead.hidden = false;
    const keys = Object.keys(b).join(",");
    if (keys !== bridgeKeys) {
      clear(bridgeBox);
      for (const k of Object.keys(b)) {
        bridgeBox.appendChild(h("div.kv", null, h("dt", null, k.replace(/_/g, " ")), h("dd.num", { "data-key": k })));
      }
      bridgeKeys = keys;
    }
    for (const dd of bridgeBox.querySelectorAll<HTMLElement>("dd[data-key]")) {
      const v: unknown = (b as Record<string, unknown>)[dd.dataset["key"] ?? ""];
      setText(dd, typeof v === "object" && v !== null ? JSON.stringify(v) : String(v));
    }
  }

  function tick(): void {
    const now = store.clock.now();
    let newest: number | null = null;
    let newestGround: number | null = null;
    for (const v of store.latest.values()) {
      const t = parseTime(v.rover_time);
      if (t !== null && (newest === null || t > newest)) {
        newest = t;
        newestGround = parseTime(v.ground_time);
      }
    }
    if (newest === null) {
      setText(heard.value, "nothing yet");
    } else {
      const light = newestGround !== null ? ` (light ${fmtDur((newestGround - newest) / 1000)})` : "";
      setText(heard.value, `${fmtDur((now - newest) / 1000)} ago${light}`);
    }
    const hs = store.health;
    setText(ground.value, hs === null ? "unknown" : `${hs.status}${hs.broker !== undefined ? ` · broker ${hs.broker}` : ""}`);
    setClass(ground.value, "bad", hs === null || hs.status !== "ok" || (hs.broker !== undefined && hs.broker !== "connected"));
    const s = store.stream;
    setText(stream.value, s.kind === "open" ? `live for ${fmtDur((Date.now() - s.since) / 1000)}`
      : s.kind === "waiting" ? `lost (${s.reason}), retry in ${Math.max(0, Math.ceil((s.retryAt - Date.now()) / 1000))} s`
        : s.kind === "connecting" ? `connecting (attempt ${s.attempt})` : "stopped");
    setClass(stream.value, "bad", s.kind !== "open");
  }

  store.on("rover", renderRover);
  store.on("stream", tick);
  store.on("health", tick);
  life.every(tick, 1000);
  tick();
  return el;
}
