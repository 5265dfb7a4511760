// The installable app, in the page (configurator/offline.py says what the service worker keeps and why):
// - registers the service worker;
// - "Keep for offline" on a saved result: the page, its sheet and the files they use go into the kept cache, and
//   the page is listed (with when it was fetched, from which catalog) for the offline page;
// - says so when the connection is gone (the page's own banner, worded by the server);
// - on the offline page, lists what this device keeps.
"use strict";
(() => {
  const INDEX = "configurator-kept-index"; // localStorage: {address: {title, fetched, keptAt}}
  const storage = (() => { try { return window.localStorage; } catch { return null; } })();
  const readIndex = () => {
    try { return JSON.parse((storage && storage.getItem(INDEX)) || "{}"); } catch { return {}; }
  };
  const writeIndex = (index) => { if (storage) storage.setItem(INDEX, JSON.stringify(index)); };

  const script = document.currentScript;
  if ("serviceWorker" in navigator && script && script.dataset.serviceWorker) {
    navigator.serviceWorker.register(script.dataset.serviceWorker, { scope: "/" }).catch(() => {});
  }

  const banner = () => document.querySelector("[data-offline-banner]");
  const showConnection = () => { const b = banner(); if (b) b.hidden = navigator.onLine; };
  window.addEventListener("online", showConnection);
  window.addEventListener("offline", showConnection);

  // The files a page needs besides itself: its styles, scripts and icons (kept, so that an update of the app that
  // drops the old shell leaves a kept page whole).
  const assetsOf = () => Array.from(document.querySelectorAll("link[rel=stylesheet], link[rel=icon], script[src]"))
    .map((element) => new URL(element.href || element.src, location.href))
    .filter((url) => url.origin === location.origin)
    .map((url) => url.pathname + url.search);

  // A kept page in the list the offline page shows: its title, and when and from which catalog it was fetched.
  const remember = (address, keep) => {
    const index = readIndex();
    index[address] = { title: keep.dataset.keepTitle, fetched: keep.dataset.keepFetched, keptAt: new Date().toISOString() };
    writeIndex(index);
  };

  // "Keep for offline" (a saved result: its sheet and record form) and "Keep all on this device" (a prepared list:
  // every result and sheet in it): the page itself, the files it needs, then each address one after the other.
  // The server prints only a few sheets a minute per client (429 with Retry-After): the page waits as it says and
  // goes on.
  const pause = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const setUpKeeping = () => {
    const keep = document.querySelector("[data-keep], [data-keep-all]");
    if (!keep || !("caches" in window) || !("serviceWorker" in navigator) || !storage) return;
    const status = keep.querySelector(".keep-status");
    const here = location.pathname + location.search;
    if (readIndex()[here]) status.textContent = keep.dataset.kept;
    keep.hidden = false;
    const button = keep.querySelector("button");
    button.addEventListener("click", async () => {
      button.disabled = true;
      const { keepSheet, keepForm, keepUrls, keepAssets, progress, waiting } = keep.dataset;
      const urls = [keepSheet, keepForm, ...JSON.parse(keepUrls || "[]")].filter(Boolean);
      try {
        const cache = await caches.open(keep.dataset.keepCache);
        await cache.addAll([...new Set([here, ...assetsOf(), ...JSON.parse(keepAssets || "[]")])]);
        for (const [done, url] of urls.entries()) {
          if (progress) status.textContent = progress.replace("{done}", done).replace("{total}", urls.length);
          for (let attempt = 0; ; attempt += 1) {
            const response = await fetch(url, { credentials: "same-origin" });
            if (response.ok) { await cache.put(url, response); break; }
            if (![429, 503].includes(response.status) || attempt >= 5) throw new Error(String(response.status));
            const seconds = Math.min(Number(response.headers.get("Retry-After")) || 10, 120);
            if (waiting) status.textContent = waiting.replace("{seconds}", seconds);
            await pause(seconds);
          }
        }
        remember(here, keep);
        status.textContent = keep.dataset.kept;
      } catch {
        status.textContent = keep.dataset.keepFailed;
      } finally {
        button.disabled = false;
      }
    });
  };

  const listKept = () => {
    const list = document.querySelector("[data-kept-list]");
    if (!list) return;
    const entries = Object.entries(readIndex()).sort((a, b) => b[1].keptAt.localeCompare(a[1].keptAt));
    if (!entries.length) {
      const item = document.createElement("li");
      item.textContent = list.dataset.keptNone;
      list.append(item);
    }
    for (const [path, entry] of entries) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = path;
      link.textContent = entry.title;
      item.append(link, " (" + entry.fetched + ")");
      list.append(item);
    }
    const retry = document.querySelector("[data-retry]");
    if (retry) retry.addEventListener("click", (event) => { event.preventDefault(); location.reload(); });
  };

  document.addEventListener("DOMContentLoaded", () => {
    showConnection();
    setUpKeeping();
    listKept();
  });
})();
