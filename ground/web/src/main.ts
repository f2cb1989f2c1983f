// Entry point: login, then the console. Wires the API client, the live stream and the
// views to one store; re-reads everything after a reconnection so nothing is missed.

import { Api, ApiError, UnreachableError } from "./api";
import { createClocks } from "./clocks";
import { createComposer } from "./composer";
import { h, setText } from "./dom";
import { createEvents } from "./events";
import { createHealth } from "./health";
import { Lifetime } from "./life";
import { createLogin, forgetToken, saveToken, savedToken } from "./login";
import { createMap } from "./map";
import { COMMANDS_LOADED, createQueue } from "./queue";
import { Store } from "./store";
import { Stream, type StreamState } from "./stream";
import { createTelemetry } from "./telemetry";
import type { Dictionary, Link, Rover, StreamMessage } from "./types";

const POLL_MS = 10_000;
const root = document.getElementById("app") as HTMLElement;
const login = createLogin((token) => void tryLogin(token), () => {
  const t = savedToken();
  if (t !== null) void tryLogin(t);
  else login.show(null);
});

function showLogin(): void {
  root.replaceChildren(login.el);
}

async function tryLogin(token: string): Promise<void> {
  showLogin();
  login.show({ kind: "busy" });
  const aborter = new AbortController();
  const api = new Api("", token, aborter.signal);
  try {
    const dict = await api.dictionary();
    const link = await api.link();
    const rovers = await api.rovers();
    saveToken(token);
    startConsole(api, aborter, dict, link, rovers);
  } catch (exc) {
    if (exc instanceof ApiError && (exc.status === 401 || exc.status === 403)) {
      forgetToken();
      login.show({ kind: "refused", message: "Check the token and try again." });
    } else if (exc instanceof UnreachableError) {
      saveToken(token);
      login.show({ kind: "unreachable", message: "Is roverops up running?", retryInS: 5 });
    } else if (exc instanceof ApiError) {
      saveToken(token);
      login.show({ kind: "unreachable", message: `It answered ${exc.status}: ${exc.message}.`, retryInS: 5 });
    } else {
      login.show({ kind: "unreachable", message: String(exc), retryInS: 5 });
    }
  }
}

function startConsole(api: Api, aborter: AbortController, dict: Dictionary, link: Link, rovers: Rover[]): void {
  // Everything this session starts ends with it (see life.ts): logging out leaves no timer,
  // socket, request or listener behind.
  const life = new Lifetime();
  const store = new Store();
  const wanted = new URLSearchParams(location.hash.slice(1)).get("rover");
  const rover = rovers.find((r) => r.id === wanted) ?? rovers[0];
  store.roverId = rover?.id ?? "zhurong";
  store.setDictionary(dict);
  store.setLink(link);

  let stream: Stream | null = null;
  const logout = (message?: string): void => {
    if (life.disposed) return;
    stream?.stop();
    stream = null;
    aborter.abort();
    life.dispose();
    store.dispose();
    delete (window as unknown as { roverops?: unknown }).roverops;
    forgetToken();
    showLogin();
    login.show(message !== undefined ? { kind: "refused", message } : null);
  };
  const onApiError = (exc: unknown): void => {
    if (life.disposed) return;
    if (exc instanceof ApiError && exc.status === 401) logout("The ground station no longer accepts this token.");
  };

  const telemetry = createTelemetry(store, api, life);
  const map = createMap(store, api, life);
  const roverSelect = h("select.input.rover-select", { "aria-label": "Rover" },
    rovers.map((r) => h("option", { value: r.id, selected: r.id === store.roverId }, r.id)));
  roverSelect.disabled = rovers.length < 2;
  roverSelect.addEventListener("change", () => {
    location.hash = `rover=${encodeURIComponent(roverSelect.value)}`;
    location.reload();
  });
  const bannerText = h("span");
  const banner = h("div.banner", { role: "status", hidden: true }, bannerText,
    h("button.btn.small", { type: "button", onclick: () => stream?.retryNow() }, "Retry now"));
  const header = h("header.topbar", null,
    h("div.brand", null, h("span.brand-mark", null, "◉"), h("span.brand-name", null, "roverops"), roverSelect),
    createClocks(store, life, () => stream?.retryNow()),
    h("button.btn.small.ghost.logout", { type: "button", onclick: () => logout() }, "Log out"));
  const composerPanel = h("section.panel.composer-panel", { "aria-label": "Command composer" },
    h("header.panel-head", null, h("h2", null, "Command"), h("span.panel-note", null, "what we send arrives in the future")),
    createComposer(store, api, life));
  const layout = h("main.layout", null,
    h("div.col.col-left", null, composerPanel, createQueue(store, api, life)),
    h("div.col.col-center", null, telemetry.el),
    h("div.col.col-right", null, map.el, createHealth(store, life), createEvents(store, life)));
  root.replaceChildren(h("div.app", null, header, banner, layout));

  function onStreamState(s: StreamState): void {
    store.setStream(s);
    banner.hidden = s.kind === "open" || s.kind === "stopped" || (s.kind === "connecting" && s.attempt === 1);
    if (s.kind === "waiting") {
      setText(bannerText, `Live stream lost (${s.reason}). Showing the last known state; reconnecting by itself…`);
    } else if (s.kind === "connecting") {
      setText(bannerText, `Reconnecting to the live stream (attempt ${s.attempt})…`);
    }
  }

  function dispatch(msg: StreamMessage): void {
    const forUs = msg.rover === null || msg.rover === undefined || msg.rover === store.roverId;
    switch (msg.type) {
      case "command": if (forUs) store.putCommand(msg.data); break;
      case "telemetry": if (forUs) store.putTelemetry(msg.data.channels); break;
      case "event": if (forUs) store.putEvent(msg.data); break;
      case "link": store.setLink(msg.data); break;
      case "rover": store.setRover(msg.data); break;
      default: break;
    }
  }

  function readRover(rs: Rover[]): void {
    const r = rs.find((x) => x.id === store.roverId);
    if (r !== undefined) store.setRover(r);
  }

  async function resyncAll(): Promise<void> {
    const id = store.roverId;
    const results = await Promise.allSettled([
      api.link().then((l) => store.setLink(l)),
      api.rovers().then(readRover),
      api.queue(id).then((q) => store.setQueue(q)),
      api.commands(id, COMMANDS_LOADED).then((cs) => store.resetCommands(cs)),
      api.telemetry(id).then((t) => store.putTelemetry(t.channels)),
      api.events(id, 200).then((evs) => store.resetEvents(evs)),
      api.health().then((hs) => store.setHealth(hs), () => store.setHealth(null)),
    ]);
    if (life.disposed) return;
    for (const r of results) if (r.status === "rejected") onApiError(r.reason);
    telemetry.resync();
    map.resync();
  }

  life.every(() => {
    api.link().then((l) => store.setLink(l)).catch(onApiError);
    api.rovers().then(readRover).catch(onApiError);
    api.health().then((hs) => store.setHealth(hs), () => { if (!life.disposed) store.setHealth(null); });
  }, POLL_MS);

  if (rover !== undefined) store.setRover(rover);
  void resyncAll().then(() => {
    if (life.disposed) return;
    stream = new Stream(api.streamUrl(), {
      message: dispatch,
      state: onStreamState,
      opened: (reconnected) => { if (reconnected) void resyncAll(); },
      failedToOpen: () => { api.link().catch(onApiError); },
    });
    stream.start();
  });
  (window as unknown as { roverops?: unknown }).roverops = { store, dispatch };
}

const token = savedToken();
if (token !== null) void tryLogin(token);
else {
  showLogin();
  login.show(null);
}
