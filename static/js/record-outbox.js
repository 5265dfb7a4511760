// Commissioning records filled without a connection (configurator/offline.py): a record form sent offline is kept
// in this browser's IndexedDB ("not yet sent") and sent when the connection returns, from whichever page of the
// site is open then. The server issues it, or refuses it with the reason: another record of the configuration was
// issued meanwhile (a conflict: shown, never issued blindly beside it), or a field is wrong. Either way the
// installer opens the form, which still holds the draft (record-draft.js), and decides.
"use strict";
(() => {
  if (!("indexedDB" in window)) return;
  const STORE = "outbox";
  let opened = null; // the database, opened once per page
  const database = () => (opened ||= new Promise((resolve, reject) => {
    const request = indexedDB.open("configurator", 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  }));
  const inStore = async (mode, work) => {
    const db = await database();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
    });
  };
  const entries = () => inStore("readonly", (store) => store.getAll());
  const keep = (entry) => inStore("readwrite", (store) => store.put(entry));
  const forget = (key) => inStore("readwrite", (store) => store.delete(key));

  const issuedAt = (response) => response.redirected && new URL(response.url).pathname.startsWith("/r/");
  const post = (url, fields) => {
    const body = new FormData();
    for (const [name, value] of fields) body.append(name, value);
    return fetch(url, { method: "POST", body, credentials: "same-origin" });
  };

  // What this device holds, worded by the server (data attributes of [data-outbox], in the page's language).
  const show = async (sent = []) => {
    const box = document.querySelector("[data-outbox]");
    if (!box) return;
    const list = box.querySelector("ul");
    list.replaceChildren();
    const line = (template, entry, href) => {
      const item = document.createElement("li");
      item.dataset.state = entry.state;
      const [before, after] = box.dataset[template].split("{title}");
      const link = document.createElement("a");
      link.href = href;
      link.textContent = entry.title;
      item.append(before, link, after || "");
      list.append(item);
    };
    for (const entry of sent) line("sent", entry, entry.record);
    for (const entry of await entries()) line(entry.state, entry, entry.url);
    box.hidden = !list.children.length;
  };

  const send = async () => {
    if (!navigator.onLine) return show();
    const sent = [];
    for (const entry of await entries()) {
      if (entry.state !== "waiting") continue;
      let response;
      try { response = await post(entry.url, entry.fields); } catch { continue; }
      if (issuedAt(response)) {
        await forget(entry.key);
        try { window.localStorage.removeItem(entry.key); } catch { /* no storage: nothing to forget */ }
        sent.push({ ...entry, state: "sent", record: new URL(response.url).pathname });
      } else {
        await keep({ ...entry, state: response.status === 409 ? "conflict" : "refused" });
      }
    }
    return show(sent);
  };

  document.addEventListener("DOMContentLoaded", async () => {
    const issued = document.querySelector("[data-issued-draft]");
    if (issued) await forget(issued.dataset.issuedDraft);  // issued from the form: nothing left to send
    const form = document.querySelector("form[data-draft-key]");
    if (form) {
      // A record refused for a conflict is sent again as it was filled, naming the record it saw then: the server
      // shows the conflict on this form once (data-record-conflict), and a second send issues it.
      const waiting = (await entries()).find((entry) => entry.key === form.dataset.draftKey);
      const seen = waiting && waiting.fields.find(([name]) => name === "seen_record");
      if (waiting && waiting.state === "conflict" && seen && !document.querySelector("[data-record-conflict]")) {
        form.elements.seen_record.value = seen[1];
      }
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const fields = Array.from(new FormData(form).entries());
        let response;
        try {
          response = await post(form.action, fields);
        } catch {  // no connection: kept here, sent when it returns
          await keep({
            key: form.dataset.draftKey, url: form.action, fields, title: form.dataset.outboxTitle,
            state: "waiting", keptAt: new Date().toISOString(),
          });
          await show();
          document.querySelector("[data-outbox]").scrollIntoView();
          return;
        }
        if (issuedAt(response)) {
          await forget(form.dataset.draftKey);
          location.assign(response.url);
        } else {
          form.submit();  // refused (a field, a conflict): the browser posts it again and shows the server's page
        }
      });
    }
    window.addEventListener("online", send);
    await send();
  });
})();
