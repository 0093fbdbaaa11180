// After a failed submit, focus moves to the error summary, so keyboard and screen-reader
// users start from the list of what to correct; its links then move focus to the field.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) {
      return;
    }
    var control = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
    if (control) {
      event.preventDefault();
      control.focus();
    }
  });
});
