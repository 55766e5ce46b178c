// Waiting for hydration in the ad-hoc scripts (shot.mjs, bench/board-drag.mjs), the way the
// journeys do it (tests/helpers.ts): a probe records when the wasm module is instantiated; the
// hydration call runs right after, so a timer queued then fires once the page is interactive.

/** Installs the probe in every document the page loads; call once, before the first `goto`. */
export async function installHydrationProbe(page) {
  await page.addInitScript(() => {
    const state = { ready: false };
    window.__toolWasm = state;
    for (const name of ["instantiateStreaming", "instantiate"]) {
      const original = WebAssembly[name];
      if (typeof original !== "function") continue;
      WebAssembly[name] = function (...args) {
        const result = original.apply(WebAssembly, args);
        Promise.resolve(result).then(() => setTimeout(() => (state.ready = true), 0));
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
