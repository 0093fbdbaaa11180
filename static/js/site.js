// Progressive enhancement only: every page works without this file.
document.addEventListener("submit", function (event) {
  // A second click on a submit button while the first post is under way does nothing.
  var form = event.target;
  if (form.dataset.submitting === "true") {
    event.preventDefault();
    return;
  }
  if (form.method.toLowerCase() === "post") {
    form.dataset.submitting = "true";
    window.setTimeout(function () { form.dataset.submitting = "false"; }, 10000);
  }
});
