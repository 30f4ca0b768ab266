/* Leeromgeving Werken 2.0 — a lesson SCO: incomplete when opened, completed
 * when the learner marks it read, and the reading position kept in
 * suspend_data so a second launch resumes where the learner was. */
(function (window, document) {
  "use strict";

  var session = window.W20Scorm.open();
  var recording = session.recording();
  var button = document.getElementById("gelezen");
  var done = document.getElementById("gelezen-klaar");
  var note = document.getElementById("hervat");
  var status = session.get("cmi.core.lesson_status");
  var finished = status === "completed" || status === "passed";

  function position() {
    var max = document.documentElement.scrollHeight - window.innerHeight;
    return max > 0 ? Math.round(window.scrollY / max * 1000) / 1000 : 0;
  }

  function showDone() {
    button.hidden = true;
    done.hidden = false;
  }

  session.beforeFinish.push(function () {
    if (recording) {
      session.writeState({ v: 1, y: position() });
    }
  });
  session.exit = finished ? "" : "suspend";

  if (recording && (status === "not attempted" || status === "")) {
    session.set("cmi.core.lesson_status", "incomplete");
    session.commit();
  }
  if (finished) {
    showDone();
  }
  // Resume at the reading position once images have their height.
  var state = session.readState();
  function resume() {
    var max = document.documentElement.scrollHeight - window.innerHeight;
    window.scrollTo(0, Math.round(state.y * max));
    note.hidden = false;
  }
  if (state && typeof state.y === "number" && state.y > 0 && state.y <= 1) {
    if (document.readyState === "complete") {
      resume();
    } else {
      window.addEventListener("load", resume);
    }
  }

  button.addEventListener("click", function () {
    if (recording) {
      session.set("cmi.core.lesson_status", "completed");
      session.writeState({ v: 1, y: position() });
      session.exit = "";
      session.commit();
    }
    showDone();
    done.focus();
  });
})(window, document);
