// Progressive enhancement only: every page works without this file.
// "Copy link" buttons copy the value of the input their data-copy attribute points at, and say so in the page's
// language (their data-copied and data-copy-failed attributes).
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-copy]")) {
    const input = document.querySelector(button.dataset.copy);
    const status = button.closest(".share")?.querySelector(".copy-status");
    if (!input || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(input.value);
        if (status) status.textContent = button.dataset.copied;
      } catch {
        input.select();
        if (status) status.textContent = button.dataset.copyFailed;
      }
    });
  }
  // The language switcher changes the language as soon as one is picked (without this file: its button).
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    const button = select.form.querySelector("button[type=submit]");
    if (button) button.hidden = true;
    select.addEventListener("change", () => select.form.requestSubmit());
  }
});
