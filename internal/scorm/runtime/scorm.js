/* Leeromgeving Werken 2.0 — SCORM 1.2 runtime of an exported course.
 * Finds the LMS's API the way ADL's discovery algorithm does, and keeps one
 * session with it: initialise, read and write the data model, commit, and
 * finish once with the session time. Plain JavaScript, no dependencies, works
 * offline from the package; without an LMS the page still works (nothing is
 * stored). */
(function (window, document) {
  "use strict";

  // findAPI walks up the parents of win, at most 7 levels, to a window with
  // an API object. A parent from another origin cannot be read: stop there.
  function findAPI(win) {
    var tries = 0;
    try {
      while (!win.API && win.parent && win.parent !== win) {
        tries++;
        if (tries > 7) {
          return null;
        }
        win = win.parent;
      }
      return win.API || null;
    } catch (e) {
      return null;
    }
  }

  // getAPI looks in this window and its parents, then in the opener's.
  function getAPI() {
    var api = findAPI(window);
    try {
      if (!api && window.opener) {
        api = findAPI(window.opener);
      }
    } catch (e) {
      api = null;
    }
    return api;
  }

  function pad(n, width) {
    var s = String(n);
    while (s.length < width) {
      s = "0" + s;
    }
    return s;
  }

  // cmiTimespan writes a duration as SCORM 1.2's CMITimespan, HHHH:MM:SS.SS.
  function cmiTimespan(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000);
    if (h > 9999) {
      return "9999:59:59.99";
    }
    cs -= h * 360000;
    var m = Math.floor(cs / 6000);
    cs -= m * 6000;
    var s = Math.floor(cs / 100);
    cs -= s * 100;
    return pad(h, 4) + ":" + pad(m, 2) + ":" + pad(s, 2) + "." + pad(cs, 2);
  }

  // displayName turns SCORM's "Achternaam, Voornaam" into "Voornaam Achternaam".
  function displayName(cmiName) {
    var parts = String(cmiName || "").split(",");
    if (parts.length === 2 && parts[0].trim() && parts[1].trim()) {
      return parts[1].trim() + " " + parts[0].trim();
    }
    return String(cmiName || "").trim();
  }

  function Session() {
    this.api = null;
    this.started = 0;
    this.finished = false;
    this.exit = "";
    this.beforeFinish = [];
  }

  // start connects to the LMS; it reports whether the LMS answered.
  Session.prototype.start = function () {
    this.started = Date.now();
    var api = getAPI();
    if (!api) {
      return false;
    }
    var ok = String(api.LMSInitialize("")) === "true";
    this.api = ok ? api : null;
    return ok;
  };

  Session.prototype.connected = function () {
    return this.api !== null && !this.finished;
  };

  // get reads an element; "" when it is not there or there is no LMS.
  Session.prototype.get = function (name) {
    if (!this.connected()) {
      return "";
    }
    var v = this.api.LMSGetValue(name);
    if (String(this.api.LMSGetLastError()) !== "0") {
      return "";
    }
    return v === null || v === undefined ? "" : String(v);
  };

  // set writes an element and reports whether the LMS took it.
  Session.prototype.set = function (name, value) {
    if (!this.connected()) {
      return false;
    }
    return String(this.api.LMSSetValue(name, String(value))) === "true";
  };

  Session.prototype.commit = function () {
    if (!this.connected()) {
      return false;
    }
    return String(this.api.LMSCommit("")) === "true";
  };

  // finish writes the session time and how the learner left, commits and
  // ends the session; only the first call does anything.
  Session.prototype.finish = function () {
    if (!this.connected()) {
      return;
    }
    for (var i = 0; i < this.beforeFinish.length; i++) {
      this.beforeFinish[i]();
    }
    this.set("cmi.core.session_time", cmiTimespan(Date.now() - this.started));
    this.set("cmi.core.exit", this.exit);
    this.commit();
    this.api.LMSFinish("");
    this.finished = true;
  };

  // readState parses the SCO's suspend_data, or returns null.
  Session.prototype.readState = function () {
    var raw = this.get("cmi.suspend_data");
    if (!raw) {
      return null;
    }
    try {
      var v = JSON.parse(raw);
      return v && typeof v === "object" && v.v === 1 ? v : null;
    } catch (e) {
      return null;
    }
  };

  // writeState stores state as suspend_data (at most 4096 characters in
  // SCORM 1.2); it reports whether it fitted and was taken.
  Session.prototype.writeState = function (state) {
    var s = JSON.stringify(state);
    if (s.length > 4096) {
      return false;
    }
    return this.set("cmi.suspend_data", s);
  };

  // recording reports whether the LMS records what the learner does (not
  // in browse or review mode).
  Session.prototype.recording = function () {
    var mode = this.get("cmi.core.lesson_mode");
    return this.connected() && mode !== "browse" && mode !== "review";
  };

  // showConnection tells the learner whether progress is kept.
  Session.prototype.showConnection = function (el) {
    if (!el) {
      return;
    }
    if (!this.connected()) {
      el.textContent = "Geen leeromgeving gevonden: u kunt alles bekijken, maar uw voortgang wordt niet bewaard.";
      el.className = "lms-status lms-offline";
      return;
    }
    var name = displayName(this.get("cmi.core.student_name"));
    var mode = this.get("cmi.core.lesson_mode");
    var text = name ? "Welkom, " + name + ". Uw voortgang wordt bewaard in uw leeromgeving." : "Uw voortgang wordt bewaard in uw leeromgeving.";
    if (mode === "browse" || mode === "review") {
      text = "U bekijkt dit onderdeel " + (mode === "review" ? "ter inzage" : "als voorbeeld") + "; er wordt niets vastgelegd.";
    }
    el.textContent = text;
    el.className = "lms-status";
  };

  // open starts the page's session and finishes it when the page goes away.
  function open() {
    var s = new Session();
    s.start();
    var done = function () {
      s.finish();
    };
    window.addEventListener("pagehide", done);
    window.addEventListener("beforeunload", done);
    s.showConnection(document.getElementById("lms-status"));
    return s;
  }

  window.W20Scorm = { open: open, cmiTimespan: cmiTimespan, displayName: displayName, findAPI: findAPI };
})(window, document);
