// The command composer, generated from the dictionary: typed inputs with units, ranges and
// choices; checked before sending; the server's 422 shown at the field; a confirm step for
// hazardous commands. Enter sends; Escape backs out of a confirmation.

import { Api, ApiError } from "./api";
import { clear, h, setText } from "./dom";
import type { Lifetime } from "./life";
import { displayUnit } from "./limits";
import type { Store } from "./store";
import { durationOf } from "./semantics";
import { fmtDur, fmtWhen } from "./time";
import { TERMINAL_STATES, type ArgSpec, type ArgValue, type Command, type CommandSpec } from "./types";

const INT_BOUNDS: Record<string, [number, number]> = {
  u8: [0, 255], u16: [0, 65_535], u32: [0, 4_294_967_295],
  i16: [-32_768, 32_767], i32: [-2_147_483_648, 2_147_483_647],
};

interface FieldView {
  spec: ArgSpec;
  input: HTMLInputElement | HTMLSelectElement;
  hint: HTMLElement;
  hintText: string;
}

export function argBounds(spec: ArgSpec): [number | null, number | null] {
  const b = INT_BOUNDS[spec.type];
  const lo = spec.min ?? (b !== undefined ? b[0] : null);
  const hi = spec.max ?? (b !== undefined ? b[1] : null);
  return [lo, hi];
}

/** Reads one field; returns the value, undefined for an empty optional, or an error string. */
export function parseArg(spec: ArgSpec, raw: string): { value?: ArgValue; error?: string } {
  const text = raw.trim();
  if (text === "") {
    if (spec.optional || spec.default !== null) return {};
    return { error: "required" };
  }
  if (spec.type === "enum") {
    if (spec.choices !== null && !spec.choices.includes(text)) return { error: `one of ${spec.choices.join(", ")}` };
    return { value: text };
  }
  if (spec.type === "bool") {
    if (text === "true" || text === "false") return { value: text === "true" };
    return { error: "true or false" };
  }
  const n = Number(text);
  if (!Number.isFinite(n)) return { error: "a number" };
  if (spec.type !== "f32" && !Number.isInteger(n)) return { error: "a whole number" };
  const [lo, hi] = argBounds(spec);
  const unit = spec.unit !== null ? ` ${spec.unit}` : "";
  if (lo !== null && n < lo) return { error: `at least ${lo}${unit}` };
  if (hi !== null && n > hi) return { error: `at most ${hi}${unit}` };
  return { value: n };
}

function hintFor(spec: ArgSpec): string {
  const parts: string[] = [];
  if (spec.type === "enum" || spec.type === "bool") {
    if (spec.optional || spec.default !== null) parts.push(`default ${String(spec.default ?? "—")}`);
  } else {
    const [lo, hi] = argBounds(spec);
    const unit = spec.unit !== null ? ` ${spec.unit}` : "";
    if (lo !== null && hi !== null) parts.push(`${lo} to ${hi}${unit}`);
    else if (lo !== null) parts.push(`≥ ${lo}${unit}`);
    else if (hi !== null) parts.push(`≤ ${hi}${unit}`);
    if (spec.type !== "f32") parts.push("integer");
    if (spec.default !== null) parts.push(`default ${String(spec.default)}`);
    else if (spec.optional) parts.push("optional");
  }
  return parts.join(" · ");
}

/** What the composer says of the command it sent last, in the command's current state. */
function sentText(cmd: Command): string {
  return `#${cmd.id} ${cmd.name} ${cmd.state.replace("_", " ")}`;
}

export function createComposer(store: Store, api: Api, life: Lifetime): HTMLElement {
  const select = h("select.input", { id: "cmd-name", "aria-describedby": "cmd-desc" });
  const desc = h("div.cmd-desc", { id: "cmd-desc" });
  const fieldsBox = h("div.fields");
  const forecast = h("div.forecast.num");
  const sendBtn = h("button.btn.primary", { type: "submit" }, "Send");
  const result = h("div.send-result", { id: "send-result", role: "status", "aria-live": "polite" });
  const confirmText = h("div.confirm-text");
  const confirmBtn = h("button.btn.danger", { type: "button" }, "Confirm and send");
  const backBtn = h("button.btn", { type: "button" }, "Back");
  const confirmBox = h("div.confirm", { role: "alertdialog", "aria-label": "Confirm hazardous command", hidden: true },
    confirmText, h("div.confirm-actions", null, confirmBtn, backBtn));
  const sendRow = h("div.send-row", null, sendBtn, result);
  const form = h("form.composer", { novalidate: true, autocomplete: "off" },
    h("div.field", null, h("label.field-label", { for: "cmd-name" }, "Command"), select, desc),
    fieldsBox, forecast, sendRow, confirmBox);

  let fields: FieldView[] = [];
  let current: CommandSpec | undefined;
  let pending: Record<string, ArgValue> | null = null;
  let sending = false;
  /** The command this composer sent last: its result line follows its state. */
  let lastSent: number | null = null;

  function showSent(cmd: Command): void {
    const bad = cmd.state === "rejected" || cmd.state === "failed" || cmd.state === "timed_out";
    result.className = `send-result ${bad ? "bad" : cmd.state === "cancelled" ? "muted" : "ok"}`;
    setText(result, sentText(cmd));
    result.title = TERMINAL_STATES.has(cmd.state) ? "" : "Follows the command's state; its card in the queue has the timeline";
  }

  /** What whoever plays the rover now executes: a board declares its own (no instruments). */
  function offered(): CommandSpec[] {
    const supports = store.rover?.supports;
    const all = store.dictionary.commands;
    return supports === null || supports === undefined ? all : all.filter((c) => supports.includes(c.name));
  }

  let offeredKey = "";

  function renderCommands(): void {
    const keep = select.value;
    const commands = offered();
    offeredKey = commands.map((c) => c.name).join(",");
    clear(select);
    for (const c of commands) {
      select.appendChild(h("option", { value: c.name }, c.hazardous ? `${c.name}  ⚠ hazardous` : c.name));
    }
    if (commands.some((c) => c.name === keep)) select.value = keep;
    renderFields();
  }

  function renderFields(): void {
    current = store.commandSpec(select.value);
    clear(fieldsBox);
    fields = [];
    hideConfirm();
    setText(result, "");
    lastSent = null;
    if (current === undefined) {
      setText(desc, "");
      return;
    }
    desc.classList.toggle("hazard", current.hazardous);
    if (current.args.length === 0) fieldsBox.appendChild(h("div.no-args", null, "No arguments."));
    for (const spec of current.args) {
      const id = `arg-${spec.name}`;
      let input: HTMLInputElement | HTMLSelectElement;
      if (spec.type === "enum" || spec.type === "bool") {
        const choices = spec.type === "bool" ? ["true", "false"] : spec.choices ?? [];
        input = h("select.input", { id, name: spec.name });
        if (spec.optional && spec.default === null) input.appendChild(h("option", { value: "" }, "—"));
        for (const c of choices) input.appendChild(h("option", { value: c }, c));
        if (spec.default !== null) input.value = String(spec.default);
      } else {
        input = h("input.input.num", {
          id, name: spec.name, type: "text",
          inputmode: spec.type === "f32" || spec.type.startsWith("i") ? "decimal" : "numeric",
          placeholder: spec.default !== null ? String(spec.default) : spec.optional ? "optional" : "",
        });
        if (spec.default !== null) input.value = String(spec.default);
      }
      const hintText = hintFor(spec);
      const hint = h("div.hint", { id: `${id}-hint` }, hintText);
      input.setAttribute("aria-describedby", `${id}-hint`);
      input.addEventListener("input", () => { markField(f, null); describe(); });
      const unit = spec.unit !== null ? h("span.unit", null, displayUnit(spec.unit)) : null;
      const label = h("label.field-label", { for: id, title: spec.description }, spec.name,
        spec.optional ? h("span.opt", null, " optional") : null);
      fieldsBox.appendChild(h("div.field", null, label, h("div.input-row", null, input, unit), hint));
      const f: FieldView = { spec, input, hint, hintText };
      fields.push(f);
    }
    describe();
    updateForecast();
  }

  /** The command's description, and how long it runs with the arguments as they stand (the
   * dictionary's declared duration; nothing when they do not say yet). */
  function describe(): void {
    if (current === undefined) return;
    const args: Record<string, ArgValue> = {};
    for (const f of fields) {
      const value = parseArg(f.spec, f.input.value).value;
      if (value !== undefined) args[f.spec.name] = value;
    }
    const dur = durationOf(current, args);
    setText(desc, `${current.description}${dur !== null && dur > 0 ? ` · takes about ${fmtDur(dur)}` : ""}`);
  }

  function markField(f: FieldView, error: string | null): void {
    f.input.setAttribute("aria-invalid", error !== null ? "true" : "false");
    f.hint.classList.toggle("error", error !== null);
    setText(f.hint, error !== null ? `✕ ${error}` : f.hintText);
  }

  function collect(): Record<string, ArgValue> | null {
    const args: Record<string, ArgValue> = {};
    let firstBad: FieldView | null = null;
    for (const f of fields) {
      const r = parseArg(f.spec, f.input.value);
      if (r.error !== undefined) {
        markField(f, r.error);
        firstBad ??= f;
      } else {
        markField(f, null);
        if (r.value !== undefined) args[f.spec.name] = r.value;
      }
    }
    if (firstBad !== null) {
      firstBad.input.focus();
      return null;
    }
    return args;
  }

  function describeArgs(args: Record<string, ArgValue>): string {
    const parts = Object.entries(args).map(([k, v]) => {
      const unit = current?.args.find((a) => a.name === k)?.unit;
      return `${k} = ${String(v)}${unit !== null && unit !== undefined ? ` ${unit}` : ""}`;
    });
    return parts.length > 0 ? parts.join(", ") : "no arguments";
  }

  function showConfirm(args: Record<string, ArgValue>): void {
    if (current === undefined) return;
    pending = args;
    clear(confirmText);
    confirmText.append(
      h("strong", null, `⚠ ${current.name} is hazardous.`), " ", current.description, h("br"),
      h("span.num", null, describeArgs(args)),
      h("br"),
      h("span.muted", null, "Once radiated it cannot be recalled."),
    );
    confirmBox.hidden = false;
    sendRow.hidden = true;
    confirmBtn.focus();
  }

  function hideConfirm(): void {
    pending = null;
    confirmBox.hidden = true;
    sendRow.hidden = false;
  }

  async function send(args: Record<string, ArgValue>): Promise<void> {
    if (current === undefined || sending) return;
    const name = current.name;
    sending = true;
    sendBtn.disabled = true;
    confirmBtn.disabled = true;
    result.className = "send-result";
    setText(result, "Sending…");
    lastSent = null;
    try {
      const cmd = await api.send(store.roverId, name, args);
      lastSent = cmd.id;
      store.putCommand(cmd);
      hideConfirm();
      // The stream may already have a newer state than the answer to the POST.
      showSent(store.commands.get(cmd.id) ?? cmd);
      select.focus();
    } catch (exc) {
      hideConfirm();
      result.className = "send-result bad";
      if (exc instanceof ApiError && exc.status === 422) {
        const errs = exc.fieldErrors();
        const unplaced: string[] = [];
        let focused = false;
        for (const e of errs) {
          const f = fields.find((x) => x.spec.name === e.field);
          if (f !== undefined) {
            markField(f, e.message);
            if (!focused) f.input.focus();
            focused = true;
          } else {
            unplaced.push(e.field !== null && e.field !== "body" ? `${e.field}: ${e.message}` : e.message);
          }
        }
        setText(result, unplaced.length > 0 ? `Rejected: ${unplaced.join("; ")}` : "Rejected by the ground station: see the field");
      } else if (exc instanceof ApiError) {
        setText(result, `Not sent (${exc.status}): ${exc.message}`);
      } else {
        setText(result, "Not sent: ground station unreachable");
      }
    } finally {
      sending = false;
      sendBtn.disabled = false;
      confirmBtn.disabled = false;
    }
  }

  function updateForecast(): void {
    const link = store.link;
    if (link === null || current === undefined) {
      setText(forecast, "");
      return;
    }
    const now = store.clock.now();
    const arrive = now + link.owlt_s * 1000;
    const ack = now + 2 * link.owlt_s * 1000;
    const held = store.queue.held ? "Queue HELD: it will wait. " : link.state === "closed" ? "Link closed: it will wait. " : "";
    setText(forecast, `${held}If radiated now: at Mars ≈ ${fmtWhen(arrive, now)} (+${fmtDur(link.owlt_s)}) · earliest ack ≈ ${fmtWhen(ack, now)}`);
    forecast.classList.toggle("warn", held.length > 0);
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (!confirmBox.hidden) return;
    const args = collect();
    if (args === null || current === undefined) return;
    if (current.hazardous) showConfirm(args);
    else void send(args);
  });
  form.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && !confirmBox.hidden) {
      ev.preventDefault();
      hideConfirm();
      sendBtn.focus();
      return;
    }
    if (ev.key !== "Enter" || ev.shiftKey || ev.isComposing) return;
    const target = ev.target;
    if (target === select) {
      ev.preventDefault();
      const first = fields[0];
      if (first !== undefined) first.input.focus();
      else form.requestSubmit();
    } else if (target instanceof HTMLSelectElement) {
      ev.preventDefault();
      form.requestSubmit();
    }
  });
  select.addEventListener("change", renderFields);
  confirmBtn.addEventListener("click", () => {
    if (pending !== null) void send(pending);
  });
  backBtn.addEventListener("click", () => {
    hideConfirm();
    sendBtn.focus();
  });

  store.on("dictionary", renderCommands);
  store.on("rover", () => { if (offered().map((c) => c.name).join(",") !== offeredKey) renderCommands(); });
  store.on("queue", updateForecast);
  store.on("command", (cmd) => { if (cmd.id === lastSent && !sending) showSent(cmd); });
  store.on("commandsReset", () => {
    const cmd = lastSent !== null ? store.commands.get(lastSent) : undefined;
    if (cmd !== undefined && !sending) showSent(cmd);
  });
  life.every(updateForecast, 1000);
  renderCommands();
  return form;
}
