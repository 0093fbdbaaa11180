// Progressive enhancement only: every page works without this file.
document.addEventListener("submit", function (event) {
  // A second click on a submit button while the first post is under way does nothing. A post
  // that opens in another window (the letter's PDF preview) leaves this page as it was, so it
  // does not count.
  var form = event.target;
  var button = event.submitter;
  var target = (button && button.getAttribute("formtarget")) || form.getAttribute("target") || "";
  if (target && target !== "_self") {
    return;
  }
  if (form.dataset.submitting === "true") {
    event.preventDefault();
    return;
  }
  if (form.method.toLowerCase() === "post") {
    form.dataset.submitting = "true";
    window.setTimeout(function () { form.dataset.submitting = "false"; }, 10000);
  }
});

// A report export being made: ask the server how far it is, until it is ready (the page then
// reloads and offers the file). Without this, the page's "check again" link does the same.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("[data-progress-url]");
  if (!box || !window.fetch) {
    return;
  }
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  function check() {
    fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.status === "done" || state.status === "failed") {
          window.location.reload();
          return;
        }
        if (bar) {
          bar.value = state.percent;
        }
        if (text) {
          text.textContent = box.dataset.progressTemplate
            .replace("{done}", state.rows_done.toLocaleString("nl-NL"))
            .replace("{total}", state.rows_total === null ? "…" : state.rows_total.toLocaleString("nl-NL"))
            .replace("{status}", state.status_label);
        }
        window.setTimeout(check, 1500);
      })
      .catch(function () { window.setTimeout(check, 5000); });
  }
  window.setTimeout(check, 1000);
});
