// Progressive enhancement: the commissioning record form keeps its values in this browser as they are typed, so
// a lost connection or a closed tab loses nothing. The draft is restored when the form is opened again and
// forgotten once the record is issued (the issued record's page names the draft it came from).
document.addEventListener("DOMContentLoaded", () => {
  const storage = (() => { try { return window.localStorage; } catch { return null; } })();
  if (!storage) return;
  const issued = document.querySelector("[data-issued-draft]");
  if (issued) storage.removeItem(issued.dataset.issuedDraft);
  const form = document.querySelector("form[data-draft-key]");
  if (!form) return;
  const key = form.dataset.draftKey;
  const status = document.querySelector(".draft-status");
  const say = (text) => { if (status) { status.hidden = false; status.textContent = text; } };
  const fields = () => Array.from(form.elements).filter((e) => e.name && e.name !== "csrfmiddlewaretoken" && e.type !== "hidden");
  const saved = storage.getItem(key);
  if (saved) {
    let values = {};
    try { values = JSON.parse(saved); } catch { values = {}; }
    for (const element of fields()) {
      if (!(element.name in values)) continue;
      const value = values[element.name];
      if (element.type === "checkbox") element.checked = value === true;
      else if (element.type === "radio") element.checked = element.value === value;
      else element.value = value;
    }
    say(status.dataset.restored);
  }
  form.addEventListener("input", () => {
    const values = {};
    for (const element of fields()) {
      if (element.type === "checkbox") values[element.name] = element.checked;
      else if (element.type === "radio") { if (element.checked) values[element.name] = element.value; }
      else values[element.name] = element.value;
    }
    storage.setItem(key, JSON.stringify(values));
    say(status.dataset.kept);
  });
});
