// Progressive enhancement only: every page works without this file.
// "Copy link" buttons copy the value of the input their data-copy attribute points at.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-copy]")) {
    const input = document.querySelector(button.dataset.copy);
    const status = button.closest(".share")?.querySelector(".copy-status");
    if (!input || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(input.value);
        if (status) status.textContent = "Link copied.";
      } catch {
        input.select();
        if (status) status.textContent = "Select the link above and copy it.";
      }
    });
  }
});
