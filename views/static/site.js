// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to the error summary after a failed form post, so screen
  // reader and keyboard users land on what needs fixing.
  var summary = document.querySelector(".error-summary[tabindex]");
  if (summary) { summary.focus(); }

  // LTI deep linking: post the signed answer back to the learning platform
  // at once (without script, the teacher presses the button).
  var back = document.querySelector("form[data-autosubmit]");
  if (back) { back.submit(); }

  // Quiz attempts: save answers on the server as the learner goes, so a
  // reload or a new tab resumes the same attempt.
  var quiz = document.querySelector("form[data-autosave]");
  if (quiz && window.fetch && window.FormData && window.URLSearchParams) {
    var status = quiz.querySelector(".autosave-status");
    var timer = null;
    var save = function () {
      var body = new URLSearchParams(new FormData(quiz));
      fetch(quiz.getAttribute("data-autosave"), {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-Autosave": "1" }
      }).then(function (res) {
        if (!status) { return; }
        if (res.status === 204) {
          status.textContent = "Opgeslagen om " + new Date().toLocaleTimeString("nl-NL", { hour: "2-digit", minute: "2-digit" });
        } else if (res.status === 409) {
          status.textContent = "Deze poging is gesloten. Laad de pagina opnieuw.";
        } else if (res.status === 422) {
          status.textContent = "Niet opgeslagen: controleer uw antwoorden.";
        }
      }).catch(function () {
        if (status) { status.textContent = "Niet opgeslagen: geen verbinding."; }
      });
    };
    quiz.addEventListener("change", function () {
      clearTimeout(timer);
      timer = setTimeout(save, 400);
    });
  }
});
