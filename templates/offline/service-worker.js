// The site's service worker: configurator/offline.py says what it keeps and why. Served by the site at its root
// (its scope is the whole site) with its settings below, which change with every deploy that changes a file.
"use strict";
const CONFIG = {{ config }};
const SHELL = "configurator-shell-" + CONFIG.version;

self.addEventListener("install", (event) => {
  // The new shell is cached beside the old one; the old one is deleted only once this worker is active.
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(CONFIG.shell)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("configurator-shell-") && name !== SHELL) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

const isAsset = (url) => url.pathname.startsWith(CONFIG.staticPrefix) || url.pathname.startsWith("/icons/");
const isLive = (url) => url.pathname.startsWith("/admin/") || url.pathname.startsWith("/api/");

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || isLive(url)) return;
  if (url.pathname === "/service-worker.js") return;
  event.respondWith(isAsset(url) ? assetFirstFromCache(request) : networkThenKept(request));
});

// Static files have content-hashed names: a cached copy is the file itself.
async function assetFirstFromCache(request) {
  return (await caches.match(request, { ignoreVary: true })) || fetch(request);
}

// Pages and sheets come from the server while it answers; without a connection, the installer's kept copy, else
// (for a page) the offline page, which says that this step needs the server. Never a stale or empty step.
async function networkThenKept(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const kept = await caches.open(CONFIG.keptCache);
    const copy = await kept.match(request, { ignoreVary: true });
    if (copy) return copy;
    if (request.mode === "navigate") {
      const page = await caches.match(CONFIG.offlineUrl, { ignoreVary: true });
      if (page) return page;
    }
    throw error;
  }
}
