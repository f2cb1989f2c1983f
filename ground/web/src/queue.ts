// Queue and history: each command's life as a timeline. Queued, radiated, predicted arrival
// at Mars, predicted earliest acknowledgement, then what actually came back and when.
// Live countdowns for commands in flight; hold/release the queue; cancel a queued command.

import { Api, ApiError } from "./api";
import { clear, h, setClass, setText } from "./dom";
import type { Lifetime } from "./life";
import { displayUnit } from "./limits";
import type { Store } from "./store";
import { fmtClock, fmtCountdown, fmtDate, fmtDur, parseTime, sameUtcDate } from "./time";
import { IN_FLIGHT_STATES, TERMINAL_STATES, type Command, type CommandState } from "./types";

const MAX_CARDS = 80;
/** How many commands the console reads (main.ts asks GET /commands for this many). */
export const COMMANDS_LOADED = 100;

interface Step {
  el: HTMLElement;
  label: HTMLElement;
  date: HTMLElement;
  time: HTMLElement;
  sub: HTMLElement;
}

interface Card {
  el: HTMLElement;
  cmd: Command;
  pill: HTMLElement;
  args: HTMLElement;
  steps: Step[];
  fill: HTMLElement;
  now: HTMLElement;
  status: HTMLElement;
  cancel: HTMLButtonElement;
  lock: HTMLElement;
  note: string | null;
}

const STATE_LABEL: Record<CommandState, string> = {
  queued: "QUEUED", radiated: "IN FLIGHT", accepted: "ACCEPTED", started: "EXECUTING",
  completed: "COMPLETED", rejected: "REJECTED", failed: "FAILED", timed_out: "TIMED OUT",
  cancelled: "CANCELLED",
};

function stateClass(s: CommandState): string {
  if (s === "completed") return "ok";
  if (s === "rejected" || s === "failed" || s === "timed_out") return "bad";
  if (s === "cancelled") return "muted";
  if (s === "queued") return "queued";
  return "flight";
}

function historyAt(cmd: Command, ...states: CommandState[]): number | null {
  for (const e of cmd.history) if (states.includes(e.state)) return parseTime(e.at);
  return null;
}

function historyDetail(cmd: Command, state: CommandState): string | null {
  const e = cmd.history.find((x) => x.state === state);
  return e?.detail ?? null;
}

/** What the list says when nothing passes the filter. */
const EMPTY_TEXT = {
  all: "No commands yet. Compose one above; it will appear here with its timeline.",
  active: "No active commands: none queued or in flight. \u201cAll\u201d shows the finished ones.",
};

export function createQueue(store: Store, api: Api, life: Lifetime): HTMLElement {
  const summary = h("span.queue-summary.num", { id: "queue-summary" });
  const holdBtn = h("button.btn.small", { type: "button" }, "Hold");
  const filterAll = h("button.seg.on", { type: "button", "aria-pressed": "true" }, "All");
  const filterActive = h("button.seg", { type: "button", "aria-pressed": "false" }, "Active");
  const bar = h("div.queue-bar", null, summary, holdBtn);
  const list = h("div.cmd-list", { role: "list", "aria-label": "Commands, newest first" });
  const empty = h("div.empty", null, EMPTY_TEXT.all);
  const el = h("section.panel.queue-panel", { "aria-label": "Queue and history" },
    h("header.panel-head", null,
      h("h2", null, "Queue & history"),
      h("div.seg-group", { role: "group", "aria-label": "Show" }, filterAll, filterActive)),
    bar, list);
  const cards = new Map<number, Card>();
  let activeOnly = false;

  function buildCard(cmd: Command): Card {
    const pill = h("span.state-pill");
    const args = h("div.cmd-args.num");
    const steps: Step[] = ["Queued", "Radiated", "At Mars", "Ack", "Result"].map((name) => {
      const label = h("div.step-label", null, name);
      const date = h("div.step-date.num", { hidden: true });
      const time = h("div.step-time.num");
      const sub = h("div.step-sub.num");
      return { el: h("div.step", null, h("div.step-dot"), label, date, time, sub), label, date, time, sub };
    });
    const fill = h("div.track-fill");
    const now = h("div.track-now");
    const status = h("div.cmd-status.num");
    const cancel = h("button.btn.small.ghost", { type: "button", title: "Cancel this queued command" }, "Cancel");
    const lock = h("span.no-recall", { title: "Radiated commands are on their way to Mars and cannot be recalled" }, "no recall");
    const el = h("div.cmd-card", { role: "listitem", "data-command-id": cmd.id, "data-name": cmd.name },
      h("div.cmd-head", null, h("span.cmd-id.num", null, `#${cmd.id}`), h("span.cmd-name", null, cmd.name), pill),
      args,
      h("div.timeline", null, h("div.track", null, fill, now), h("div.steps", null, steps.map((s) => s.el))),
      h("div.cmd-foot", null, status, cancel, lock));
    const card: Card = { el, cmd, pill, args, steps, fill, now, status, cancel, lock, note: null };
    cancel.addEventListener("click", () => void doCancel(card));
    return card;
  }

  async function doCancel(card: Card): Promise<void> {
    card.cancel.disabled = true;
    try {
      store.putCommand(await api.cancel(store.roverId, card.cmd.id));
    } catch (exc) {
      card.note = exc instanceof ApiError && exc.status === 409
        ? "Too late: already radiated, it can no longer be recalled."
        : `Cancel failed: ${exc instanceof Error ? exc.message : String(exc)}`;
      card.cancel.disabled = false;
      updateCard(card);
    }
  }

  /** One step of the timeline; a time (epoch ms) on another day than today's shows its date. */
  function setStep(step: Step, state: "done" | "pred" | "next" | "bad" | "none", time: number | string, sub = ""): void {
    for (const c of ["done", "pred", "next", "bad"]) setClass(step.el, c, c === state);
    const otherDay = typeof time === "number" && !sameUtcDate(time, store.clock.now());
    step.date.hidden = !otherDay;
    setText(step.date, otherDay ? fmtDate(time) : "");
    setText(step.time, typeof time === "number" ? fmtClock(time) : time);
    setText(step.sub, sub);
  }

  function updateCard(card: Card): void {
    const cmd = card.cmd;
    const now = store.clock.now();
    const args = Object.entries(cmd.args).map(([k, v]) => {
      const unit = store.commandSpec(cmd.name)?.args.find((a) => a.name === k)?.unit;
      return `${k}=${String(v)}${displayUnit(unit)}`;
    }).join(" ");
    setText(card.args, args);
    setText(card.pill, STATE_LABEL[cmd.state] ?? cmd.state.toUpperCase());
    card.pill.className = `state-pill ${stateClass(cmd.state)}`;
    if (card.el.dataset["state"] !== cmd.state) card.el.dataset["state"] = cmd.state;

    const queuedAt = historyAt(cmd, "queued");
    const radiated = parseTime(cmd.radiated_at) ?? historyAt(cmd, "radiated");
    const arrival = parseTime(cmd.predicted_arrival);
    const ack = parseTime(cmd.predicted_ack);
    const acceptedAt = historyAt(cmd, "accepted", "rejected");
    const endAt = historyAt(cmd, "completed", "failed", "timed_out", "cancelled");
    const startedAt = historyAt(cmd, "started");
    const [sQueued, sRad, sMars, sAck, sEnd] = card.steps as [Step, Step, Step, Step, Step];

    setStep(sQueued, queuedAt !== null ? "done" : "none", queuedAt ?? "");
    if (cmd.state === "cancelled" && radiated === null) {
      setStep(sRad, "none", "—");
      setStep(sMars, "none", "—");
      setStep(sAck, "none", "—");
      setStep(sEnd, "bad", endAt ?? "", "cancelled");
    } else {
      setStep(sRad, radiated !== null ? "done" : "next", radiated ?? "waiting");
      if (arrival !== null) {
        const confirmed = acceptedAt !== null;
        setStep(sMars, confirmed ? "done" : "pred", arrival,
          confirmed ? "✓ arrived" : now < arrival ? `in ${fmtCountdown((arrival - now) / 1000)}` : "predicted");
      } else {
        setStep(sMars, "none", "—");
      }
      if (acceptedAt !== null) {
        const delta = ack !== null ? (acceptedAt - ack) / 1000 : null;
        const rejected = cmd.history.some((e) => e.state === "rejected");
        setStep(sAck, rejected ? "bad" : "done", acceptedAt,
          delta !== null ? `${delta >= 0 ? "+" : ""}${fmtDur(delta)}` : rejected ? "rejected" : "accepted");
      } else if (ack !== null) {
        setStep(sAck, "pred", ack,
          now < ack ? `in ${fmtCountdown((ack - now) / 1000)}` : `late ${fmtCountdown((now - ack) / 1000)}`);
      } else {
        setStep(sAck, "none", "—");
      }
      if (endAt !== null) {
        setStep(sEnd, cmd.state === "completed" ? "done" : "bad", endAt, cmd.state.replace("_", " "));
      } else if (startedAt !== null) {
        const p = progressFraction(cmd.progress);
        setStep(sEnd, "next", startedAt, p !== null ? `${Math.round(p * 100)}%` : "started");
      } else {
        setStep(sEnd, "none", "");
      }
    }

    // The track: queued -> radiated -> at Mars -> ack, with a "now" marker while in flight.
    let frac = 0;
    if (radiated !== null && ack !== null && ack > radiated) {
      frac = 0.25 + 0.5 * Math.min(1, Math.max(0, (now - radiated) / (ack - radiated)));
      if (acceptedAt !== null) frac = 0.75;
      if (endAt !== null) frac = 1;
    } else if (radiated !== null) {
      frac = endAt !== null ? 1 : 0.25;
    } else if (cmd.state === "cancelled") {
      frac = 0;
    }
    card.fill.style.transform = `scaleX(${frac.toFixed(4)})`;
    card.now.style.left = `${(frac * 100).toFixed(2)}%`;
    const flying = IN_FLIGHT_STATES.has(cmd.state) && endAt === null;
    setClass(card.now, "on", flying);
    setClass(card.el, "flying", flying);
    setClass(card.el, "terminal", TERMINAL_STATES.has(cmd.state));

    card.cancel.hidden = cmd.state !== "queued";
    card.lock.hidden = radiated === null || TERMINAL_STATES.has(cmd.state);
    setText(card.status, card.note ?? statusLine(cmd, now, radiated, arrival, ack, acceptedAt));
    setClass(card.status, "alert", card.note !== null || cmd.state === "failed" || cmd.state === "rejected" || cmd.state === "timed_out");
  }

  function statusLine(cmd: Command, now: number, radiated: number | null, arrival: number | null,
    ack: number | null, acceptedAt: number | null): string {
    switch (cmd.state) {
      case "queued":
        return store.queue.held ? "Held on the ground until released." : "About to radiate.";
      case "cancelled":
        return "Cancelled before radiation; never sent.";
      case "completed": {
        const end = historyAt(cmd, "completed");
        return radiated !== null && end !== null ? `Done. Round trip ${fmtDur((end - radiated) / 1000)}.` : "Done.";
      }
      case "rejected":
      case "failed":
      case "timed_out":
        return cmd.error ?? historyDetail(cmd, cmd.state) ?? cmd.state.replace("_", " ");
      default:
        break;
    }
    if (acceptedAt !== null) {
      return cmd.state === "started" ? "Executing on Mars, as of one light time ago." : "Accepted by the rover.";
    }
    if (arrival !== null && now < arrival) return `In flight: reaches Mars in ${fmtCountdown((arrival - now) / 1000)}.`;
    if (ack !== null && now < ack) return `At Mars by now; earliest ack in ${fmtCountdown((ack - now) / 1000)}.`;
    if (ack !== null) return `No ack yet, ${fmtDur((now - ack) / 1000)} past the earliest.`;
    return "Radiated: can no longer be recalled.";
  }

  function visible(cmd: Command): boolean {
    return !activeOnly || !TERMINAL_STATES.has(cmd.state);
  }

  function renderAll(): void {
    const sorted = [...store.commands.values()].sort((a, b) => b.id - a.id).filter(visible).slice(0, MAX_CARDS);
    const keepIds = new Set(sorted.map((c) => c.id));
    for (const [id, card] of cards) if (!keepIds.has(id)) { card.el.remove(); cards.delete(id); }
    clear(list);
    for (const cmd of sorted) {
      let card = cards.get(cmd.id);
      if (card === undefined) {
        card = buildCard(cmd);
        cards.set(cmd.id, card);
      }
      card.cmd = cmd;
      updateCard(card);
      list.appendChild(card.el);
    }
    if (sorted.length === 0) {
      setText(empty, activeOnly ? EMPTY_TEXT.active : EMPTY_TEXT.all);
      list.appendChild(empty);
    }
  }

  function onCommand(cmd: Command): void {
    const card = cards.get(cmd.id);
    if (card !== undefined && visible(cmd)) {
      card.cmd = cmd;
      card.note = null;
      updateCard(card);
    } else {
      renderAll();
    }
  }

  function renderQueue(): void {
    const q = store.queue;
    const waiting = [...store.commands.values()].filter((c) => c.state === "queued").length;
    const flying = [...store.commands.values()].filter((c) => IN_FLIGHT_STATES.has(c.state)).length;
    // The commands we hold are the newest COMMANDS_LOADED: while we hold fewer, they are all
    // of them and their states are the queue; the server's count (polled) can be stale.
    const queued = store.commands.size < COMMANDS_LOADED ? waiting : Math.max(q.length, waiting);
    setText(summary, q.held
      ? `HELD · ${queued} waiting · ${flying} in flight`
      : `${queued} queued · ${flying} in flight`);
    setClass(bar, "held", q.held);
    setText(holdBtn, q.held ? "Release queue" : "Hold queue");
    holdBtn.setAttribute("aria-pressed", q.held ? "true" : "false");
    setClass(holdBtn, "warn", q.held);
  }

  holdBtn.addEventListener("click", () => {
    holdBtn.disabled = true;
    api.setHeld(store.roverId, !store.queue.held)
      .then((q) => store.setQueue(q))
      .catch((exc: unknown) => { holdBtn.title = `Failed: ${exc instanceof Error ? exc.message : String(exc)}`; })
      .finally(() => { holdBtn.disabled = false; });
  });
  function setFilter(active: boolean): void {
    activeOnly = active;
    setClass(filterAll, "on", !active);
    setClass(filterActive, "on", active);
    filterAll.setAttribute("aria-pressed", String(!active));
    filterActive.setAttribute("aria-pressed", String(active));
    renderAll();
  }
  filterAll.addEventListener("click", () => setFilter(false));
  filterActive.addEventListener("click", () => setFilter(true));

  store.on("command", (c) => { onCommand(c); renderQueue(); });
  store.on("commandsReset", () => { renderAll(); renderQueue(); });
  store.on("queue", () => { renderQueue(); for (const c of cards.values()) updateCard(c); });
  // Live countdowns for what is under way; finished cards need a look only when the day
  // changes (their times then show a date), so once a second is plenty for them.
  let beat = 0;
  life.every(() => {
    beat = (beat + 1) % 4;
    for (const c of cards.values()) if (beat === 0 || !TERMINAL_STATES.has(c.cmd.state)) updateCard(c);
  }, 250);
  renderAll();
  renderQueue();
  return el;
}

export function progressFraction(p: number | null | undefined): number | null {
  if (p === null || p === undefined || !Number.isFinite(p)) return null;
  return Math.min(1, Math.max(0, p > 1 ? p / 100 : p));
}
