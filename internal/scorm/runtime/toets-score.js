/* Leeromgeving Werken 2.0 — quiz scoring, the same rules as the site's
 * (internal/courses/quiz.go): questions and answers have the same shape, and
 * a test runs both on the same cases. No dependencies; also loads in Node. */
(function (root) {
  "use strict";

  // Go's unicode.IsSpace, so trimming and splitting match strings.TrimSpace
  // and strings.Fields.
  var SPACE = "\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  var spaceRun = new RegExp("[" + SPACE + "]+");
  var trimSpace = new RegExp("^[" + SPACE + "]+|[" + SPACE + "]+$", "g");
  var edgeJunk = new RegExp("^[\\p{P}" + SPACE + "]+|[\\p{P}" + SPACE + "]+$", "gu");
  var marks = /\p{Mn}/gu;
  var decimal = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  var hexFloat = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/;

  // parseNumber reads a number as a Dutch learner types it ("2,5", "2.5",
  // " 12 "); "1.000,5" and other groupings are refused. It returns null when
  // the text is not a number.
  function parseNumber(s) {
    s = String(s).replace(trimSpace, "");
    if (s === "" || (s.match(/[.,]/g) || []).length > 1) {
      return null;
    }
    s = s.replace(",", ".");
    if (s.indexOf("_") >= 0) {
      if (!underscoresOK(s)) {
        return null;
      }
      s = s.replace(/_/g, "");
    }
    var f = null;
    if (decimal.test(s)) {
      f = Number(s);
    } else {
      var m = hexFloat.exec(s);
      if (m && (m[2] + m[3]).length > 0 && s.indexOf(".") === s.lastIndexOf(".")) {
        var mant = parseInt((m[2] + m[3]) || "0", 16);
        f = mant * Math.pow(2, Number(m[4]) - 4 * m[3].length);
        if (m[1] === "-") {
          f = -f;
        }
      }
    }
    return f === null || !isFinite(f) ? null : f;
  }

  // underscoresOK reports whether the underscores in s only separate
  // digits, as Go's strconv accepts them ("1_000", "0x_1p0").
  function underscoresOK(s) {
    var saw = "^";
    var i = 0;
    if (s[0] === "-" || s[0] === "+") {
      s = s.slice(1);
    }
    var hex = false;
    if (s.length >= 2 && s[0] === "0" && "box".indexOf(s[1].toLowerCase()) >= 0) {
      i = 2;
      saw = "0";
      hex = s[1].toLowerCase() === "x";
    }
    for (; i < s.length; i++) {
      var c = s[i];
      if ((c >= "0" && c <= "9") || (hex && c.toLowerCase() >= "a" && c.toLowerCase() <= "f")) {
        saw = "0";
        continue;
      }
      if (c === "_") {
        if (saw !== "0") {
          return false;
        }
        saw = "_";
        continue;
      }
      if (saw === "_") {
        return false;
      }
      saw = "!";
    }
    return saw !== "_";
  }

  function lower(s) {
    // Character by character, as Go's strings.ToLower: no final-sigma rule.
    return Array.from(s).map(function (c) { return c.toLowerCase(); }).join("");
  }

  // normalizeText compares short answers ignoring case, accents,
  // punctuation at the ends and runs of spaces.
  function normalizeText(s) {
    var out = String(s).normalize("NFD").replace(marks, "").normalize("NFC");
    out = lower(out.split(spaceRun).filter(function (w) { return w !== ""; }).join(" "));
    return out.replace(edgeJunk, "");
  }

  function option(q, id) {
    var opts = q.options || [];
    for (var i = 0; i < opts.length; i++) {
      if (opts[i].id === id) {
        return opts[i];
      }
    }
    return null;
  }

  function points(ok) {
    return ok ? 1 : 0;
  }

  function scoreMultiple(q, chosen) {
    var set = {};
    (chosen || []).forEach(function (id) { set[id] = true; });
    var correct = 0, right = 0, wrong = 0;
    (q.options || []).forEach(function (o) {
      if (o.correct) {
        correct++;
        if (set[o.id]) {
          right++;
        }
      } else if (set[o.id]) {
        wrong++;
      }
    });
    if (correct === 0) {
      return 0;
    }
    if (q.scoring === "all_or_nothing") {
      return points(right === correct && wrong === 0);
    }
    return Math.max(0, (right - wrong) / correct);
  }

  // score returns the points (0..1) that answer a earns on question q.
  function score(q, a) {
    a = a || {};
    switch (q.type) {
      case "single":
        var o = option(q, a.option);
        return points(o !== null && !!o.correct);
      case "multiple":
        return scoreMultiple(q, a.options);
      case "truefalse":
        return points(typeof a.value === "boolean" && typeof q.answer === "boolean" && a.value === q.answer);
      case "numeric":
        var f = parseNumber(a.number || "");
        return points(f !== null && typeof q.number === "number" && Math.abs(f - q.number) <= (q.tolerance || 0) + 1e-9);
      case "text":
        var got = normalizeText(a.text || "");
        return points(got !== "" && (q.accepted || []).some(function (s) { return normalizeText(s) === got; }));
      case "ordering":
        var order = a.order || [];
        var opts = q.options || [];
        if (order.length !== opts.length) {
          return 0;
        }
        var right = 0;
        opts.forEach(function (o, i) {
          if (order[i] === o.id) {
            right++;
          }
        });
        return right / opts.length;
    }
    return 0;
  }

  // scoreAttempt scores every drawn question (layout: [{key}]) and returns
  // the points per question and the percentage, floored to two decimals.
  function scoreAttempt(pool, layout, answers) {
    answers = answers || {};
    if (!layout.length) {
      return { results: [], pct: 0 };
    }
    var total = 0;
    var results = layout.map(function (slot) {
      var q = pool[slot.key];
      var p = q ? score(q, answers[slot.key]) : 0;
      total += p;
      return { key: slot.key, points: p };
    });
    return { results: results, pct: Math.floor(total / layout.length * 10000) / 100 };
  }

  // checkAnswer returns a Dutch message when a is not a well-formed answer to q.
  function checkAnswer(q, a) {
    var wrong = "Dit antwoord hoort niet bij deze vraag.";
    if (q.type === "single" && a.option && option(q, a.option) === null) {
      return wrong;
    }
    if (q.type === "multiple" && a.options) {
      var chosen = {};
      for (var i = 0; i < a.options.length; i++) {
        if (chosen[a.options[i]] || option(q, a.options[i]) === null) {
          return wrong;
        }
        chosen[a.options[i]] = true;
      }
    }
    if (q.type === "numeric" && a.number) {
      if (String(a.number).replace(trimSpace, "") !== "" && parseNumber(a.number) === null) {
        return "Vul een getal in, bijvoorbeeld 12 of 2,5.";
      }
      if (String(a.number).length > 40) {
        return "Dit getal is te lang.";
      }
    }
    if (q.type === "text" && a.text && Array.from(a.text).length > 500) {
      return "Het antwoord mag hoogstens 500 tekens lang zijn.";
    }
    if (q.type === "ordering" && a.order && a.order.length) {
      var seen = {};
      var ok = a.order.length === (q.options || []).length && a.order.every(function (id) {
        var fresh = id && !seen[id] && option(q, id) !== null;
        seen[id] = true;
        return fresh;
      });
      if (!ok) {
        return "Geef elk onderdeel een eigen plaats.";
      }
    }
    return "";
  }

  function shuffle(ids, random) {
    for (var i = ids.length - 1; i > 0; i--) {
      var j = Math.floor(random() * (i + 1));
      var t = ids[i];
      ids[i] = ids[j];
      ids[j] = t;
    }
  }

  // shuffleAway shuffles ids and, for more than one, makes sure the result
  // differs from the original order (an ordering question is never shown solved).
  function shuffleAway(ids, random) {
    if (ids.length < 2) {
      return;
    }
    var orig = ids.join("\u0000");
    for (var i = 0; i < 10; i++) {
      shuffle(ids, random);
      if (ids.join("\u0000") !== orig) {
        return;
      }
    }
    var t = ids[0];
    ids[0] = ids[1];
    ids[1] = t;
  }

  // draw picks the questions of a new attempt as the site does: draw of the
  // pool (all when 0), in pool order or shuffled, options shuffled when
  // asked; ordering questions always show their options shuffled.
  function draw(questions, n, shuffleQuestions, shuffleOptions, random) {
    random = random || Math.random;
    var idx = questions.map(function (_, i) { return i; });
    if (n > 0 && n < questions.length) {
      shuffle(idx, random);
      idx = idx.slice(0, n);
      if (!shuffleQuestions) {
        idx.sort(function (a, b) { return a - b; });
      }
    } else if (shuffleQuestions) {
      shuffle(idx, random);
    }
    return idx.map(function (i) {
      var q = questions[i];
      var opts = (q.options || []).map(function (o) { return o.id; });
      if (q.type === "ordering" || (shuffleOptions && q.type !== "truefalse")) {
        shuffleAway(opts, random);
      }
      return { key: q.key, options: opts };
    });
  }

  var api = {
    parseNumber: parseNumber,
    normalizeText: normalizeText,
    score: score,
    scoreAttempt: scoreAttempt,
    checkAnswer: checkAnswer,
    draw: draw
  };
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.W20Score = api;
  }
})(this);
