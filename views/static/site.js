// Progressive enhancement only: every page works without this file.
// Move focus to the error summary after a failed form post, so screen reader
// and keyboard users land on what needs fixing.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary[tabindex]");
  if (summary) { summary.focus(); }
});
