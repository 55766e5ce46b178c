// Runs in the page's head, before the app's wasm has loaded. Until the app is interactive:
// - what the person types into a form is remembered, and put back (with input/change events, so
//   the app's signals see it) once the page has hydrated: hydration resets fields bound to state;
// - a form that needs the app (no `action`; sign-in and sign-out post plainly and work at once) is
//   not submitted: its submit button reads as busy (aria-disabled, style/base.css) and a press
//   leaves everything in place; it works as soon as the page is interactive.
// The app calls window.__mentorshipInteractive() when the page has hydrated (routes/lazy.rs for
// pages whose code loads lazily, the App otherwise); it sets <html data-interactive>.
(() => {
  const root = document.documentElement;
  const typed = new Map();
  // Fields are found again by id, else by name and position among fields of that name, else by
  // position among all fields: the hydrated page has the server-rendered page's fields, in order.
  const FIELDS = "input, textarea, select";
  const keyOf = (el) => {
    if (el.id) return "#" + el.id;
    if (el.name) return "@" + Array.prototype.indexOf.call(document.getElementsByName(el.name), el) + ":" + el.name;
    return "*" + Array.prototype.indexOf.call(document.querySelectorAll(FIELDS), el);
  };
  const find = (key) => {
    if (key[0] === "#") return document.getElementById(key.slice(1));
    if (key[0] === "@") {
      const at = key.indexOf(":");
      return document.getElementsByName(key.slice(at + 1))[Number(key.slice(1, at))] || null;
    }
    return document.querySelectorAll(FIELDS)[Number(key.slice(1))] || null;
  };
  const remember = (event) => {
    if (root.hasAttribute("data-interactive")) return;
    const el = event.target;
    if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement)) return;
    if (el.type === "password" || el.type === "file") return;
    const key = keyOf(el);
    if (!key) return;
    // A radio's choice: the group's other buttons are no longer the choice.
    if (el.type === "radio" && el.name) for (const k of typed.keys()) if (k.endsWith(":" + el.name)) typed.delete(k);
    typed.set(key, el.type === "checkbox" || el.type === "radio" ? { checked: el.checked } : { value: el.value });
  };
  document.addEventListener("input", remember, true);
  document.addEventListener("change", remember, true);
  const waiting = () => document.querySelectorAll("form:not([action]) [type=submit]");
  const markBusy = () => waiting().forEach((b) => b.setAttribute("aria-disabled", "true"));
  document.addEventListener("DOMContentLoaded", markBusy);
  document.addEventListener(
    "submit",
    (event) => {
      if (root.hasAttribute("data-interactive") || event.target.hasAttribute("action")) return;
      event.preventDefault();
      event.stopImmediatePropagation();
    },
    true,
  );
  window.__mentorshipInteractive = () => {
    if (root.hasAttribute("data-interactive")) return;
    root.setAttribute("data-interactive", "");
    waiting().forEach((b) => b.removeAttribute("aria-disabled"));
    for (const [key, saved] of typed) {
      const el = find(key);
      if (!el) continue;
      // Always tell the app, even when the field still shows the text: its state has not seen it.
      if ("checked" in saved) el.checked = saved.checked;
      else el.value = saved.value;
      el.dispatchEvent(new Event("input", { bubbles: true }));
      el.dispatchEvent(new Event("change", { bubbles: true }));
    }
    typed.clear();
  };
  // The service worker: keeps the build's static files and an offline page (public/sw.js); never
  // pages or answers. Registered once the page has loaded, so it never competes with the first load.
  if ("serviceWorker" in navigator && window.isSecureContext) {
    window.addEventListener("load", () => {
      navigator.serviceWorker.register("/sw.js").catch(() => {});
    });
  }
  // Print buttons ([data-print]) work before and after hydration without an inline handler (the
  // Content-Security-Policy runs no onclick attribute). "report" opens every table view first:
  // a report on paper has the numbers, not toggles.
  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-print]") : null;
    if (!button) return;
    if (button.dataset.print === "report") {
      document.querySelectorAll("details.table-view").forEach((d) => { d.open = true; });
    }
    window.print();
  });
})();
