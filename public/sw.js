// The service worker (registered by prehydration.js). It keeps what never holds personal data:
// the build's content-named files (/pkg/<name>.<id>.<ext>, which never change), the icons, the
// manifest and an offline page — so an installed app starts fast on a poor connection. Pages,
// server functions and the live stream always go to the network, untouched: they carry
// personal data and must be current.
const SHELL = "mentorship-shell-v1";
const STATIC = "mentorship-static-v1";
const SHELL_FILES = [
  "/offline.html",
  "/favicon.svg",
  "/manifest.webmanifest",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
  "/icons/maskable-192.png",
  "/icons/maskable-512.png",
  "/icons/apple-touch-icon.png",
];
// Content-named build files kept at most (older deployments' files go first).
const STATIC_MAX = 300;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(SHELL_FILES))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== SHELL && k !== STATIC).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// The server's rule (server/src/assets.rs, is_content_named): a 22-character id before the extension.
const contentNamed = (path) => /^\/pkg\/[^/]+\.[A-Za-z0-9_-]{22}\.[a-z0-9]+$/.test(path);

async function fromStatic(request) {
  const cache = await caches.open(STATIC);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) {
    await cache.put(request, response.clone());
    const keys = await cache.keys();
    for (const old of keys.slice(0, Math.max(0, keys.length - STATIC_MAX))) await cache.delete(old);
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // A page: from the network always; the offline page only when there is no network.
    event.respondWith(fetch(request).catch(() => caches.match("/offline.html")));
    return;
  }
  if (contentNamed(url.pathname)) {
    event.respondWith(fromStatic(request));
    return;
  }
  if (SHELL_FILES.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
  // Anything else (server functions, the live stream, other files): the network, untouched.
});
