// Waiting for hydration in the ad-hoc scripts (shot.mjs, bench/board-drag.mjs), the way the
// journeys do it (tests/helpers.ts): a probe records when the wasm module is instantiated; the
// hydration call runs right after, so a timer queued then fires once the page is interactive.

/** Installs the probe in every document the page loads; call once, before the first `goto`. */
export async function installHydrationProbe(page) {
  await page.addInitScript(() => {
    // Ready when every wasm module fetched (the main one, and a lazily loaded page's chunks) has
    // been instantiated and a timer queued then has fired (see tests/helpers.ts).
    let fetches = 0;
    let calls = 0;
    let settled = 0;
    // `readyAt`: when it became ready (performance.now(), ms from navigation start).
    const state = {
      readyAt: null,
      get ready() {
        return settled > 0 && settled >= fetches && settled >= calls;
      },
    };
    window.__toolWasm = state;
    const fetch = window.fetch;
    window.fetch = function (...args) {
      const t = args[0];
      const url = typeof t === "string" ? t : t instanceof URL ? t.href : t.url;
      if (/\.wasm(\?|$)/.test(url)) fetches += 1;
      return fetch.apply(window, args);
    };
    for (const name of ["instantiateStreaming", "instantiate"]) {
      const original = WebAssembly[name];
      if (typeof original !== "function") continue;
      WebAssembly[name] = function (...args) {
        calls += 1;
        const result = original.apply(WebAssembly, args);
        Promise.resolve(result).then(() =>
          setTimeout(() => {
            settled += 1;
            if (state.ready && state.readyAt === null) state.readyAt = performance.now();
          }, 0),
        );
        return result;
      };
    }
  });
}

/** Waits until the current document has hydrated and its "Loading…" placeholders are gone. */
export async function waitForHydrated(page, timeout = 20_000) {
  await page.waitForFunction(() => window.__toolWasm?.ready === true, null, { timeout, polling: 100 });
  await page.waitForFunction(() => document.querySelector(".loading") === null, null, { timeout, polling: 100 });
}
