// The register's filters: on a wide screen (or with a filter in use) the "Filters" toggle
// starts open; on a phone it starts closed, so the records come first.
(function () {
  document.addEventListener("DOMContentLoaded", () => {
    const filters = document.querySelector("details.record-filters");
    if (!filters) return;
    const wide = window.matchMedia("(min-width: 768px)").matches;
    if (wide || filters.dataset.active === "true") filters.open = true;
  });
})();
