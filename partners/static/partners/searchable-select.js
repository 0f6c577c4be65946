// A search box above every <select multiple data-searchable>: typing hides the options whose
// text does not contain the words typed (chosen options stay visible), so a measure is found
// among hundreds without scrolling. No library, no inline script (the CSP forbids them).
(function () {
  function normalise(text) {
    return text.toLocaleLowerCase("ru").replaceAll("ё", "е");
  }

  function enhance(select) {
    if (select.dataset.searchReady) return;
    select.dataset.searchReady = "true";
    const box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1 select-search";
    box.placeholder = select.dataset.searchPlaceholder || "Поиск по списку";
    box.setAttribute("aria-label", box.placeholder);
    box.setAttribute("aria-controls", select.id);
    select.before(box);
    box.addEventListener("input", () => {
      const words = normalise(box.value).split(/\s+/).filter(Boolean);
      for (const option of select.options) {
        const text = normalise(option.textContent);
        const match = words.every((word) => text.includes(word));
        option.hidden = !(match || option.selected);
      }
    });
  }

  function enhanceAll(root) {
    root.querySelectorAll("select[multiple][data-searchable]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", () => enhanceAll(document));
})();
