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
