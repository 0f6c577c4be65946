// Show the re-rendered partners block of a measure page even when the server refuses a link
// with 400 (htmx does not swap error responses by default).
document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  if (event.detail.xhr.status === 400 && target && target.id === "measure-partners") {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
