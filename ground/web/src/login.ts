// The login screen: the operator's token, remembered for this browser session only
// (sessionStorage). Says plainly whether the token was refused or the server is unreachable.

import { h } from "./dom";

const KEY = "roverops.token";

export function savedToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}

export type LoginProblem =
  | { kind: "refused"; message: string }
  | { kind: "unreachable"; message: string; retryInS: number }
  | { kind: "busy" }
  | null;

export interface LoginScreen {
  el: HTMLElement;
  show(problem: LoginProblem): void;
}

export function createLogin(onSubmit: (token: string) => void, onRetry: () => void): LoginScreen {
  // Browsers expect a username beside a password field (for password managers); there is
  // one operator token and no user name, so the field is hidden and fixed.
  const user = h("input", {
    type: "text", name: "username", autocomplete: "username", value: "operator", hidden: true,
    tabindex: -1, "aria-hidden": "true",
  });
  const input = h("input.token-input", {
    id: "login-token", type: "password", autocomplete: "current-password",
    spellcheck: "false", placeholder: "paste the operator token", required: true,
  });
  const status = h("div.login-status", { role: "alert", "aria-live": "assertive" });
  const submit = h("button.btn.primary", { type: "submit" }, "Connect");
  const retry = h("button.btn", { type: "button", hidden: true, onclick: () => onRetry() }, "Retry now");
  const form = h("form.login-card", {
    onsubmit: (ev: Event) => {
      ev.preventDefault();
      const token = input.value.trim();
      if (token.length > 0) onSubmit(token);
    },
  },
    h("div.login-brand", null, h("span.brand-mark", null, "◉"), " roverops"),
    h("div.login-sub", null, "Ground station console · Tianwen-1 / Zhurong"),
    h("label.field-label", { for: "login-token" }, "Operator token"),
    user,
    input,
    h("div.login-actions", null, submit, retry),
    status,
    h("p.login-note", null,
      "The token is kept for this browser tab only. It was printed by ",
      h("code", null, "roverops up"), " with the console's address, or set by ",
      h("code", null, "ROVEROPS_TOKEN"), "."),
  );
  const el = h("div.login-screen", null, form);
  let timer: number | null = null;

  function show(problem: LoginProblem): void {
    if (timer !== null) window.clearInterval(timer);
    timer = null;
    status.className = "login-status";
    retry.hidden = true;
    submit.disabled = false;
    if (problem === null) {
      status.textContent = "";
    } else if (problem.kind === "busy") {
      status.textContent = "Connecting…";
      submit.disabled = true;
    } else if (problem.kind === "refused") {
      status.classList.add("bad");
      status.textContent = `Token refused (401). ${problem.message}`;
      input.select();
    } else {
      status.classList.add("warn");
      retry.hidden = false;
      let left = problem.retryInS;
      const render = (): void => {
        status.textContent = `Ground station unreachable at ${location.host}. ${problem.message} Retrying in ${left} s.`;
      };
      render();
      timer = window.setInterval(() => {
        left -= 1;
        if (left <= 0) {
          if (timer !== null) window.clearInterval(timer);
          timer = null;
          onRetry();
        } else {
          render();
        }
      }, 1000);
    }
    window.setTimeout(() => input.focus(), 0);
  }

  return { el, show };
}
