"use strict";
(function () {
  var launch = new URLSearchParams(location.hash.slice(1));
  var tg = function () { return window.Telegram && window.Telegram.WebApp; };
  var initData = function () { return (tg() && tg().initData) || launch.get("tgWebAppData") || ""; };
  var L = {}, tab = "week";
  var outside = /^ru/.test(navigator.language || "")
    ? "Откройте эту страницу из бота в Telegram." : "Open this page from the bot in Telegram.";

  function el(tag, attrs, kids) {
    var node = document.createElement(tag);
    for (var key in attrs || {}) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "class") node.className = attrs[key];
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), attrs[key]);
      else node.setAttribute(key, attrs[key]);
    }
    (kids || []).forEach(function (kid) { if (kid) node.appendChild(kid); });
    return node;
  }
  function fill(id, kids) { var box = document.getElementById(id); box.replaceChildren.apply(box, kids); }
  function status(text) { document.getElementById("status").textContent = text || ""; }
  function toast(text) {
    var box = document.getElementById("toast");
    box.textContent = text; box.hidden = false;
    clearTimeout(toast.t); toast.t = setTimeout(function () { box.hidden = true; }, 2500);
  }

  function api(path, method) {
    return fetch("api/" + path, {
      method: method || "GET",
      headers: { Authorization: "tma " + initData() },
      cache: "no-store"
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (body) {
        if (!res.ok) { var err = new Error(body.message || body.error || res.status); err.code = body.error; throw err; }
        return body;
      });
    });
  }
  function act(path, after) {
    return api(path, "POST").then(function (r) { toast(r.message); }, function (e) { toast(e.message); }).then(after);
  }

  // Theme: Telegram's parameters (its script, or the launch's), else the system's scheme.
  function theme(params) {
    for (var key in params || {}) {
      if (/^[a-z_]+$/.test(key) && /^#[0-9a-fA-F]{3,8}$/.test(params[key]))
        document.documentElement.style.setProperty("--tg-theme-" + key.replace(/_/g, "-"), params[key]);
    }
  }
  try { theme(JSON.parse(launch.get("tgWebAppThemeParams") || "{}")); } catch (e) { /* the system's scheme */ }
  function telegramReady() {
    var app = tg(); if (!app) return;
    app.ready(); app.expand();
    theme(app.themeParams);
    app.onEvent("themeChanged", function () { theme(app.themeParams); });
  }
  var script = document.getElementById("tg-script");
  if (tg()) telegramReady(); else if (script) script.addEventListener("load", telegramReady);

  // ----- the week ------------------------------------------------------------------------
  function classCard(c) {
    var hw = c.homework ? el("dd", { text: c.homework }) : el("dd", { class: "empty", text: L.homework_none });
    fill("card-body", [
      el("h3", { text: c.subject }),
      el("p", { text: [c.start && c.start + "–" + c.end, c.kind].filter(Boolean).join(" · ") }),
      el("dl", {}, [
        el("dt", { text: L.room }), el("dd", { text: c.room || "—" }),
        el("dt", { text: L.teacher }), el("dd", { text: c.teacher || "—" }),
        el("dt", { text: L.homework }), hw
      ])
    ]);
    var card = document.getElementById("card");
    if (card.showModal) card.showModal(); else card.setAttribute("open", "");
  }
  function drawWeek(w) {
    var strip = w.days.map(function (d) {
      return el("a", { href: "#d" + d.date, class: d.today ? "today" : "" }, [
        document.createTextNode(d.wd), el("b", { text: d.short.slice(0, 2) }),
        el("i", { text: d.classes.length + d.events.length + d.deadlines.length ? "•" : "" })
      ]);
    });
    var days = w.days.map(function (d) {
      var lines = d.classes.map(function (c) {
        return el("button", { class: "cls", "data-class": c.subject, onclick: function () { classCard(c); } }, [
          el("span", { class: "t", text: c.start || c.pair + "" }),
          el("span", { class: "s", text: c.subject }, [
            el("span", { class: "k", text: [c.kind, c.room, c.subgroup && "⅟" + c.subgroup].filter(Boolean).join(" · ") }),
            c.note && el("span", { class: "n", text: c.note })
          ])
        ]);
      });
      d.dropped.forEach(function (t) { lines.push(el("p", { class: "line off", text: t })); });
      d.events.forEach(function (e) { lines.push(el("p", { class: "line ev" + (e.important ? " imp" : ""), text: e.title })); });
      d.deadlines.forEach(function (x) {
        var at = new Date(x.at), hh = ("0" + at.getHours()).slice(-2) + ":" + ("0" + at.getMinutes()).slice(-2);
        lines.push(el("p", { class: "line ddl" }, [el("b", { text: hh }), document.createTextNode(" " + x.text)]));
      });
      if (!lines.length) lines.push(el("p", { class: "empty", text: L.no_classes }));
      return el("article", { class: "day" + (d.today ? " today" : ""), id: "d" + d.date, "data-date": d.date },
        [el("h3", { text: d.weekday }, [el("span", { text: d.short })])].concat(lines));
    });
    var here = w.monday === w.this_monday;
    fill("week", [
      el("div", { class: "bar" }, [
        el("button", { class: "nav", "aria-label": L.prev_week, text: "◀", onclick: function () { loadWeek(w.prev); } }),
        el("h2", { text: w.range }, [el("small", { text: w.note })]),
        el("button", { class: "nav", text: here ? L.next_week : L.this_week, onclick: function () { loadWeek(here ? w.next : w.today); } })
      ]),
      el("div", { class: "strip" }, strip),
      el("div", { class: "grid" }, days)
    ]);
    if (!document.body.dataset.weekRenderedMs) document.body.dataset.weekRenderedMs = performance.now().toFixed(1);
  }
  function loadWeek(date) { return api("week" + (date ? "?date=" + date : "")).then(drawWeek, fail); }

  // ----- queues --------------------------------------------------------------------------
  function drawQueues(q) {
    var items = q.queues.map(function (x) {
      var buttons = [x.place
        ? el("button", { class: "act alt", text: L.leave, onclick: function () { act("queues/" + x.id + "/leave", loadQueues); } })
        : el("button", { class: "act", text: L.join, onclick: function () { act("queues/" + x.id + "/join", loadQueues); } })];
      if (q.can_manage && x.length) buttons.push(el("button", { class: "act", text: L.next, onclick: function () { act("queues/" + x.id + "/next", loadQueues); } }));
      return el("div", { class: "item", "data-queue": x.id }, [
        el("h3", { text: x.title }),
        el("p", { text: x.event + " · " + x.date + " · " + x.length_text }),
        x.place && el("p", { class: "place", "data-position": x.place.position, text: x.place.text }),
        el("div", { class: "row" }, buttons)
      ]);
    });
    fill("queues", items.length ? items : [el("p", { class: "empty", text: L.no_queues })]);
    // Above the week: where the student stands, at a glance; a tap opens the queues.
    fill("summary", q.queues.filter(function (x) { return x.place; }).map(function (x) {
      return el("button", { class: "mine", "data-position": x.place.position, onclick: function () { show("queues"); } }, [
        el("b", { text: x.place.text }), document.createTextNode(" · " + x.title + " · " + x.event + ", " + x.date)
      ]);
    }));
  }
  function loadQueues() { return api("queues").then(drawQueues, fail); }

  // ----- topics --------------------------------------------------------------------------
  function drawTopics(t) {
    var items = t.lists.map(function (list) {
      var rows = list.topics.map(function (x) {
        var button = x.mine
          ? (x.confirmed ? null : el("button", { class: "act alt", text: L.unpick, onclick: function () { act("topics/" + list.id + "/unpick", loadTopics); } }))
          : (x.free && !list.collecting ? el("button", { class: "act", text: L.pick, onclick: function () { act("topics/pick/" + x.id, loadTopics); } }) : null);
        return el("div", { class: "topic" }, [
          el("i", { class: "dot" + (x.mine ? " mine" : x.free ? "" : " taken") }),
          el("span", { text: x.title + (x.mine && x.confirmed ? " ✅" : "") }),
          el("small", { text: x.taken + "/" + list.capacity }), button
        ]);
      });
      var extra = [];
      if (t.can_manage) extra.push(el("button", { class: "nav", text: L.distribution, onclick: function (ev) { showDistribution(list.id, ev.target); } }));
      return el("div", { class: "item", "data-list": list.id }, [
        el("h3", { text: list.title }), el("p", { text: list.event + " · " + list.date })
      ].concat(rows, extra));
    });
    fill("topics", items.length ? items : [el("p", { class: "empty", text: L.no_topics })]);
  }
  function showDistribution(list, button) {
    api("topics/" + list + "/distribution").then(function (d) {
      var lines = d.topics.map(function (x) {
        return el("p", { class: "line", text: x.title + ": " + (x.picks.map(function (p) { return p.name + (p.confirmed ? " ✅" : ""); }).join(", ") || "—") });
      });
      if (d.without.length) lines.push(el("p", { class: "line off", text: L.without + ": " + d.without.join(", ") }));
      button.replaceWith(el("div", {}, lines));
    }, fail);
  }
  function loadTopics() { return api("topics").then(drawTopics, fail); }

  // ----- the frame -----------------------------------------------------------------------
  function fail(err) { status(err.code === "not_in_group" ? L.not_in_group : err.message); }
  function show(name) {
    tab = name;
    document.querySelectorAll("[data-tab]").forEach(function (b) { b.setAttribute("aria-selected", b.dataset.tab === name); });
    document.querySelectorAll("[data-panel]").forEach(function (p) { p.hidden = p.dataset.panel !== name; });
    if (name === "queues") loadQueues();
    if (name === "topics") loadTopics();
  }
  document.querySelectorAll("[data-tab]").forEach(function (b) { b.addEventListener("click", function () { show(b.dataset.tab); }); });
  // The places (their tab and the summary above the week) refresh by themselves while looked at.
  setInterval(function () { if ((tab === "queues" || tab === "week") && document.visibilityState === "visible") loadQueues(); }, 5000);
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible" && tab !== "topics") loadQueues(); });

  if (!initData()) { status(outside); return; }
  var week = api("week");
  api("me").then(function (m) {
    L = m.labels; document.documentElement.lang = m.language;
    document.querySelectorAll("[data-tab]").forEach(function (b) { b.textContent = L[b.dataset.tab]; });
    if (!m.group) { status(L.not_in_group); return; }
    week.then(drawWeek, fail);
    loadQueues(); loadTopics();
    document.body.dataset.ready = "1";
  }, function (err) { status(err.code === "unauthorized" ? outside : err.message); });
})();
