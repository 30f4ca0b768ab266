/* Leeromgeving Werken 2.0 — a quiz SCO: draws an attempt, keeps the answers
 * in suspend_data so the learner can stop and resume, scores with W20Score
 * (the site's rules), and reports the best score and passed/failed to the LMS.
 * Every text from the course is put on the page as text, never as HTML. */
(function (window, document) {
  "use strict";

  var quiz = window.W20_TOETS;
  var root = document.getElementById("toets");
  if (!quiz || !root) {
    return;
  }
  var S = window.W20Score;
  var session = window.W20Scorm.open();
  var recording = session.recording();
  var questions = quiz.questions;
  var pool = {};
  questions.forEach(function (q) { pool[q.key] = q; });
  var mastery = Number(session.get("cmi.student_data.mastery_score"));
  var passMark = session.get("cmi.student_data.mastery_score") !== "" && mastery >= 0 && mastery <= 100 ? mastery : quiz.passMark;
  var state = loadState();
  var timer = null;
  var commitTimer = null;

  // ---- state: {v, n (attempts used), b (best %), p (passed), o (open attempt), r (last result)} ----

  function validLayout(l) {
    return Array.isArray(l) && l.every(function (slot) {
      return Array.isArray(slot) && questions[slot[0]] && Array.isArray(slot[1]) &&
        slot[1].length === (questions[slot[0]].options || []).length &&
        slot[1].every(function (oi) { return questions[slot[0]].options[oi]; });
    });
  }

  function loadState() {
    var st = session.readState();
    var fresh = { v: 1, n: 0, b: null, p: false, o: null, r: null };
    if (!st || typeof st.n !== "number" || st.n < 0) {
      // No state of our own: keep what the LMS already knows.
      var status = session.get("cmi.core.lesson_status");
      var raw = session.get("cmi.core.score.raw");
      if (raw !== "" && !isNaN(Number(raw))) {
        fresh.b = Number(raw);
      }
      fresh.p = status === "passed";
      if (status === "passed" || status === "failed") {
        fresh.n = 1;
      }
      return fresh;
    }
    fresh.n = Math.floor(st.n);
    fresh.b = typeof st.b === "number" ? st.b : null;
    fresh.p = st.p === true;
    if (st.o && validLayout(st.o.l) && st.o.a && typeof st.o.a === "object") {
      fresh.o = { l: st.o.l, a: st.o.a, d: typeof st.o.d === "number" ? st.o.d : 0 };
    }
    if (st.r && validLayout(st.r.l) && st.r.a && typeof st.r.a === "object" && typeof st.r.s === "number") {
      fresh.r = st.r;
    }
    return fresh;
  }

  // save writes the state; when it does not fit in 4096 characters the last
  // result goes first, then the open attempt's answers.
  function save() {
    if (!recording) {
      return;
    }
    if (session.writeState(state)) {
      return;
    }
    var lean = { v: 1, n: state.n, b: state.b, p: state.p, o: state.o, r: null };
    if (session.writeState(lean)) {
      return;
    }
    lean.o = state.o ? { l: state.o.l, a: {}, d: state.o.d } : null;
    if (!session.writeState(lean)) {
      lean.o = null;
      session.writeState(lean);
    }
  }

  function commitSoon() {
    clearTimeout(commitTimer);
    commitTimer = setTimeout(function () { session.commit(); }, 3000);
  }

  function attemptsLeft() {
    return quiz.attempts === 0 ? -1 : Math.max(0, quiz.attempts - state.n);
  }

  // report tells the LMS the best score and whether the quiz is passed.
  function report() {
    if (!recording) {
      return;
    }
    if (state.b !== null) {
      session.set("cmi.core.score.min", "0");
      session.set("cmi.core.score.max", "100");
      session.set("cmi.core.score.raw", String(state.b));
    }
    var status = state.p ? "passed" : state.n > 0 ? "failed" : "incomplete";
    session.set("cmi.core.lesson_status", status);
    session.exit = state.p || attemptsLeft() === 0 ? "" : "suspend";
  }

  // ---- answers: the form's state per question, by pool index ----

  function answerOf(qi, ui) {
    var q = questions[qi];
    if (ui === undefined || ui === null) {
      return {};
    }
    switch (q.type) {
      case "single":
        return q.options[ui] ? { option: q.options[ui].id } : {};
      case "multiple":
        return { options: ui.filter(function (oi) { return q.options[oi]; }).map(function (oi) { return q.options[oi].id; }) };
      case "truefalse":
        return ui === 1 || ui === 0 ? { value: ui === 1 } : {};
      case "numeric":
        return { number: String(ui) };
      case "text":
        return { text: String(ui) };
      case "ordering":
        // ui[oi] is the place (1..n) given to option oi, 0 when none.
        if (!Array.isArray(ui) || ui.every(function (p) { return !p; })) {
          return {};
        }
        var order = q.options.map(function () { return ""; });
        ui.forEach(function (p, oi) {
          if (p >= 1 && p <= order.length && order[p - 1] === "" && q.options[oi]) {
            order[p - 1] = q.options[oi].id;
          } else if (p) {
            order.push("");
          }
        });
        return { order: order };
    }
    return {};
  }

  // answersOf gives the attempt's answers as the scoring reads them; an
  // answer that is not well-formed (possible only when time ran out) counts
  // as none.
  function answersOf(attempt) {
    var out = {};
    attempt.l.forEach(function (slot) {
      var q = questions[slot[0]];
      var a = answerOf(slot[0], attempt.a[slot[0]]);
      out[q.key] = S.checkAnswer(q, a) ? {} : a;
    });
    return out;
  }

  function layoutOf(attempt) {
    return attempt.l.map(function (slot) { return { key: questions[slot[0]].key }; });
  }

  // ---- rendering ----

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") {
        e.textContent = attrs[k];
      } else {
        e.setAttribute(k, attrs[k]);
      }
    });
    (children || []).forEach(function (c) {
      if (c) {
        e.appendChild(c);
      }
    });
    return e;
  }

  function show(nodes, focus) {
    clearInterval(timer);
    root.textContent = "";
    nodes.forEach(function (n) {
      if (n) {
        root.appendChild(n);
      }
    });
    if (focus) {
      focus.setAttribute("tabindex", "-1");
      focus.focus();
    }
  }

  function pct(n) {
    return String(n).replace(".", ",") + "%";
  }

  function vragen(n) {
    return n === 1 ? "1 vraag" : n + " vragen";
  }

  function pogingen(n) {
    return n === 1 ? "1 poging" : n + " pogingen";
  }

  function facts() {
    var n = quiz.draw > 0 && quiz.draw < questions.length ? quiz.draw : questions.length;
    var list = [vragen(n), pct(passMark) + " nodig om te slagen"];
    list.push(quiz.attempts === 0 ? "onbeperkt aantal pogingen" : pogingen(quiz.attempts) + " toegestaan");
    if (quiz.timeLimitSecs > 0) {
      list.push("tijdslimiet " + minuten(Math.round(quiz.timeLimitSecs / 60)));
    }
    return list.join(" · ");
  }

  function minuten(n) {
    return n === 1 ? "1 minuut" : n + " minuten";
  }

  function button(text, cls, onClick) {
    var b = el("button", { type: "button", "class": cls, text: text });
    b.addEventListener("click", onClick);
    return b;
  }

  function renderIntro(message) {
    var h = el("h2", { text: "Over deze toets" });
    var nodes = [h, el("p", { "class": "lead", text: facts() })];
    if (message) {
      nodes.push(el("p", { "class": "notice", role: "status", text: message }));
    }
    if (state.n > 0 && state.b !== null) {
      nodes.push(el("p", { text: "Uw beste score tot nu toe: " + pct(state.b) + (state.p ? " (gehaald)." : " (niet gehaald).") }));
    }
    var left = attemptsLeft();
    if (state.p) {
      nodes.push(el("p", { "class": "badge badge-ok", text: "U heeft deze toets gehaald." }));
    } else if (left === 0) {
      nodes.push(el("p", { "class": "notice", text: "U heeft al uw pogingen voor deze toets gebruikt." }));
    } else if (session.get("cmi.core.lesson_mode") === "review") {
      nodes.push(el("p", { text: "Ter inzage kunt u geen nieuwe poging starten." }));
    } else {
      if (left > 0) {
        nodes.push(el("p", { text: "U heeft nog " + pogingen(left) + "." }));
      }
      nodes.push(el("p", {}, [button(state.n > 0 ? "Opnieuw proberen" : "Toets starten", "button", start)]));
    }
    if (state.r) {
      nodes.push(el("p", {}, [button("Uitslag van uw laatste poging bekijken", "button button-secondary", function () {
        renderResult(state.r, "");
      })]));
    }
    show(nodes, message ? h : null);
  }

  function start() {
    var slots = S.draw(questions, quiz.draw, quiz.shuffleQuestions, quiz.shuffleOptions);
    var index = {};
    questions.forEach(function (q, i) { index[q.key] = i; });
    state.o = {
      l: slots.map(function (s) {
        var q = questions[index[s.key]];
        return [index[s.key], s.options.map(function (id) {
          return q.options.findIndex(function (o) { return o.id === id; });
        })];
      }),
      a: {},
      d: quiz.timeLimitSecs > 0 ? Date.now() + quiz.timeLimitSecs * 1000 : 0
    };
    if (recording && session.get("cmi.core.lesson_status") === "not attempted") {
      session.set("cmi.core.lesson_status", "incomplete");
    }
    save();
    session.commit();
    renderAttempt("");
  }

  function questionField(slot, number, errors) {
    var qi = slot[0];
    var q = questions[qi];
    var name = "v" + qi;
    var ui = state.o.a[qi];
    var legend = el("legend", {}, [el("span", { "class": "q-number", text: "Vraag " + number }), document.createTextNode(" " + q.text)]);
    var fs = el("fieldset", { "class": "card question", id: "vraag-" + qi }, [legend]);
    var err = errors[qi];
    if (err) {
      fs.className += " field-invalid";
      fs.appendChild(el("p", { "class": "field-error", id: name + "-fout" }, [
        el("span", { "class": "visually-hidden", text: "Fout: " }), document.createTextNode(err)]));
    }
    function choice(type, value, label, checked) {
      var input = el("input", { type: type, name: name, value: String(value) });
      input.checked = checked;
      if (err) {
        input.setAttribute("aria-describedby", name + "-fout");
      }
      return el("label", { "class": "choice" }, [input, document.createTextNode(" " + label)]);
    }
    switch (q.type) {
      case "single":
        slot[1].forEach(function (oi) { fs.appendChild(choice("radio", oi, q.options[oi].text, ui === oi)); });
        break;
      case "multiple":
        fs.appendChild(el("p", { "class": "hint", text: "Meerdere antwoorden kunnen goed zijn." }));
        slot[1].forEach(function (oi) {
          fs.appendChild(choice("checkbox", oi, q.options[oi].text, Array.isArray(ui) && ui.indexOf(oi) >= 0));
        });
        break;
      case "truefalse":
        fs.appendChild(choice("radio", 1, "Waar", ui === 1));
        fs.appendChild(choice("radio", 0, "Niet waar", ui === 0));
        break;
      case "numeric":
      case "text":
        var id = "in-" + qi;
        var input = el("input", { id: id, name: name, type: "text", "class": "short-input", autocomplete: "off",
          maxlength: q.type === "numeric" ? "40" : "500" });
        if (q.type === "numeric") {
          input.setAttribute("inputmode", "decimal");
        }
        if (err) {
          input.setAttribute("aria-describedby", name + "-fout");
          input.setAttribute("aria-invalid", "true");
        }
        input.value = typeof ui === "string" ? ui : "";
        fs.appendChild(el("label", { "for": id, text: q.type === "numeric" ? "Uw antwoord (een getal)" : "Uw antwoord" }));
        fs.appendChild(input);
        break;
      case "ordering":
        fs.appendChild(el("p", { "class": "hint", text: "Geef elk onderdeel een plaats: 1 is het eerst." }));
        slot[1].forEach(function (oi) {
          var sid = "in-" + qi + "-" + oi;
          var sel = el("select", { id: sid, name: name + "-" + oi, "data-option": String(oi) });
          sel.appendChild(el("option", { value: "0", text: "–" }));
          for (var p = 1; p <= q.options.length; p++) {
            var opt = el("option", { value: String(p), text: String(p) });
            opt.selected = Array.isArray(ui) && ui[oi] === p;
            sel.appendChild(opt);
          }
          fs.appendChild(el("div", { "class": "order-row" }, [sel, el("label", { "for": sid, text: q.options[oi].text })]));
        });
        break;
    }
    return fs;
  }

  // readForm copies the form into the open attempt.
  function readForm(form) {
    state.o.l.forEach(function (slot) {
      var qi = slot[0];
      var q = questions[qi];
      var name = "v" + qi;
      var inputs = Array.prototype.slice.call(form.querySelectorAll('[name="' + name + '"]'));
      switch (q.type) {
        case "single":
        case "truefalse":
          var on = inputs.filter(function (i) { return i.checked; })[0];
          if (on) {
            state.o.a[qi] = Number(on.value);
          } else {
            delete state.o.a[qi];
          }
          break;
        case "multiple":
          state.o.a[qi] = inputs.filter(function (i) { return i.checked; }).map(function (i) { return Number(i.value); });
          break;
        case "numeric":
        case "text":
          state.o.a[qi] = inputs[0].value;
          break;
        case "ordering":
          var places = q.options.map(function () { return 0; });
          form.querySelectorAll('select[name^="' + name + '-"]').forEach(function (s) {
            places[Number(s.getAttribute("data-option"))] = Number(s.value);
          });
          state.o.a[qi] = places;
          break;
      }
    });
  }

  function clock(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000));
    var m = Math.floor(s / 60);
    s -= m * 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function renderAttempt(message, errors) {
    errors = errors || {};
    var h = el("h2", { text: "Uw poging" });
    var nodes = [h, el("p", { "class": "lead", text: facts() })];
    if (message) {
      nodes.push(el("p", { "class": "notice", role: "status", text: message }));
    }
    var keys = Object.keys(errors);
    if (keys.length) {
      var list = el("ul", {});
      keys.forEach(function (qi) {
        list.appendChild(el("li", {}, [el("a", { href: "#vraag-" + qi, text: "Vraag " + (state.o.l.findIndex(function (s) { return String(s[0]) === qi; }) + 1) + ": " + errors[qi] })]));
      });
      nodes.push(el("div", { "class": "error-summary", role: "alert" }, [el("h3", { text: "Controleer uw antwoorden" }), list]));
    }
    var announce = null;
    if (state.o.d) {
      var left = el("span", { text: clock(state.o.d - Date.now()) });
      announce = el("span", { "class": "visually-hidden", role: "status", "aria-live": "polite" });
      nodes.push(el("p", { "class": "timer" }, [document.createTextNode("Resterende tijd: "), left, announce]));
    }
    var form = el("form", { "class": "quiz-form", novalidate: "novalidate" });
    state.o.l.forEach(function (slot, i) { form.appendChild(questionField(slot, i + 1, errors)); });
    form.appendChild(el("p", { "class": "hint", text: "Uw antwoorden worden bewaard terwijl u werkt; u kunt stoppen en later verder gaan. Pas bij “Inleveren” wordt de toets nagekeken." }));
    form.appendChild(el("div", { "class": "quiz-actions" }, [el("button", { type: "submit", "class": "button", text: "Inleveren" })]));
    form.addEventListener("change", function () {
      readForm(form);
      save();
      commitSoon();
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      readForm(form);
      submit(false);
    });
    nodes.push(form);
    show(nodes, message || keys.length ? h : null);
    if (state.o.d) {
      var said = {};
      timer = setInterval(function () {
        var ms = state.o.d - Date.now();
        left.textContent = clock(ms);
        [5, 1].forEach(function (m) {
          if (ms <= m * 60000 && ms > 0 && !said[m]) {
            said[m] = true;
            announce.textContent = "Nog " + minuten(m) + ".";
          }
        });
        if (ms <= 0) {
          readForm(form);
          submit(true);
        }
      }, 1000);
    }
  }

  // submit scores the open attempt; timeUp skips the checks of the answers
  // (what is not a valid answer then earns nothing).
  function submit(timeUp) {
    if (!timeUp) {
      var errors = {};
      state.o.l.forEach(function (slot) {
        var msg = S.checkAnswer(questions[slot[0]], answerOf(slot[0], state.o.a[slot[0]]));
        if (msg) {
          errors[slot[0]] = msg;
        }
      });
      if (Object.keys(errors).length) {
        save();
        renderAttempt("", errors);
        return;
      }
    }
    var scored = S.scoreAttempt(pool, layoutOf(state.o), answersOf(state.o));
    state.n += 1;
    state.b = state.b === null ? scored.pct : Math.max(state.b, scored.pct);
    state.p = state.p || scored.pct >= passMark;
    state.r = { l: state.o.l, a: state.o.a, s: scored.pct };
    state.o = null;
    report();
    save();
    session.commit();
    renderResult(state.r, timeUp ? "De tijd is om. Wat u had ingevuld, is nagekeken." : "");
  }

  function verdict(points) {
    if (points === 1) {
      return el("span", { "class": "badge badge-ok", text: "Goed" });
    }
    if (points > 0) {
      return el("span", { "class": "badge badge-warn", text: "Deels goed (" + Math.round(points * 100) + "%)" });
    }
    return el("span", { "class": "badge badge-bad", text: "Niet goed" });
  }

  function given(q, slot, ui) {
    var a = answerOf(slot[0], ui);
    var none = el("p", { text: q.type === "ordering" ? "U gaf geen volgorde." : "U gaf geen antwoord." });
    switch (q.type) {
      case "single":
      case "multiple":
        var chosen = q.type === "single" ? (a.option ? [a.option] : []) : a.options || [];
        if (!chosen.length) {
          return [none];
        }
        var ul = el("ul", { "class": "answer-list" });
        slot[1].forEach(function (oi) {
          var o = q.options[oi];
          if (chosen.indexOf(o.id) >= 0) {
            ul.appendChild(el("li", {}, [document.createTextNode("Uw keuze: " + o.text),
              o.feedback ? el("div", { "class": "feedback", text: o.feedback }) : null]));
          }
        });
        return [ul];
      case "truefalse":
        return [el("p", { text: "Uw antwoord: " + (a.value === true ? "waar" : a.value === false ? "niet waar" : "geen") })];
      case "numeric":
        return [el("p", { text: "Uw antwoord: " + (a.number ? a.number : "geen") })];
      case "text":
        return [el("p", { text: "Uw antwoord: " + (a.text ? "“" + a.text + "”" : "geen") })];
      case "ordering":
        if (!a.order) {
          return [none];
        }
        var ol = el("ol", {});
        a.order.forEach(function (id) {
          var o = q.options.filter(function (x) { return x.id === id; })[0];
          ol.appendChild(el("li", { text: o ? o.text : "–" }));
        });
        return [el("p", { text: "Uw volgorde:" }), ol];
    }
    return [];
  }

  function renderResult(last, message) {
    var passed = last.s >= passMark;
    var h = el("h2", { text: "Uitslag" });
    var summary = el("div", { "class": "card result-summary " + (passed ? "result-pass" : "result-fail") }, [
      el("p", { "class": "score" }, [el("span", { "class": "score-number", text: pct(last.s) }), document.createTextNode(passed ? " Gehaald" : " Niet gehaald")]),
      el("p", { text: "Nodig om te slagen: " + pct(passMark) + "." })
    ]);
    if (state.p && !passed) {
      summary.appendChild(el("p", { text: "U heeft deze toets eerder gehaald; uw beste score is " + pct(state.b) + "." }));
    }
    var left = attemptsLeft();
    if (!state.p && left !== 0 && session.get("cmi.core.lesson_mode") !== "review") {
      if (left > 0) {
        summary.appendChild(el("p", { text: "U heeft nog " + pogingen(left) + "." }));
      }
      summary.appendChild(el("p", {}, [button("Opnieuw proberen", "button", start)]));
    } else if (!state.p) {
      summary.appendChild(el("p", { text: "U heeft al uw pogingen voor deze toets gebruikt." }));
    }
    var nodes = [h];
    if (message) {
      nodes.push(el("p", { "class": "notice", role: "status", text: message }));
    }
    nodes.push(summary, el("h3", { text: "Per vraag" }));
    var scored = S.scoreAttempt(pool, layoutOf(last), answersOf(last));
    last.l.forEach(function (slot, i) {
      var q = questions[slot[0]];
      var p = scored.results[i].points;
      var sec = el("section", { "class": "card question-result " + (p === 1 ? "q-right" : p > 0 ? "q-partial" : "q-wrong") }, [
        el("h4", {}, [el("span", { "class": "q-number", text: "Vraag " + (i + 1) }), document.createTextNode(" " + q.text)]),
        el("p", { "class": "q-verdict" }, [verdict(p)])
      ]);
      given(q, slot, last.a[slot[0]]).forEach(function (n) { sec.appendChild(n); });
      if (q.feedback) {
        sec.appendChild(el("div", { "class": "feedback" }, [el("strong", { text: "Toelichting: " }), document.createTextNode(q.feedback)]));
      }
      nodes.push(sec);
    });
    show(nodes, h);
  }

  // ---- start ----

  if (recording && session.get("cmi.core.lesson_status") === "not attempted") {
    session.set("cmi.core.lesson_status", "incomplete");
    session.commit();
  }
  session.exit = state.p || attemptsLeft() === 0 ? "" : "suspend";
  if (state.o && state.o.d && Date.now() >= state.o.d) {
    submit(true);
  } else if (state.o) {
    renderAttempt("U gaat verder met uw poging; uw antwoorden tot nu toe zijn bewaard.");
  } else {
    renderIntro("");
  }
})(window, document);
