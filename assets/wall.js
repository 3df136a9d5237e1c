/*
 * The video wall's browser side (pages/wall.py): playlist rotation, clock,
 * keyboard, the poll of /api/v1/wall/state (heartbeat, presenter commands,
 * new snapshots) and the offline notice.
 *
 * Dash serves every file of assets/ on every page: all of this stays inert
 * unless the wall's root element (#wall-root) is on the page.
 *
 * Rendering: each slide is asked for with a "cue" (set on the wall-cue store);
 * the server renders it into the hidden one of two layers and answers with
 * wall-rendered; only then are the layers swapped (a CSS cross-fade). One cue
 * is in flight at a time, so answers never arrive out of order; a failed or
 * lost answer leaves the last good slide on screen.
 */
(function () {
  "use strict";

  var TZ = "Asia/Ho_Chi_Minh";
  var PENDING_TIMEOUT_MS = 15000;
  var SEARCH_TIMEOUT_MS = 12000;
  var W = { generation: 0, ui: {} };

  function nu() {
    return window.dash_clientside.no_update;
  }

  function onWall() {
    return !!document.getElementById("wall-root");
  }

  function setProps(id, props, always) {
    var key = JSON.stringify(props);
    if (!always && W.ui[id] === key) {
      return;
    }
    W.ui[id] = key;
    if (window.dash_clientside && window.dash_clientside.set_props && onWall()) {
      window.dash_clientside.set_props(id, props);
    }
  }

  function fold(text) {
    return String(text || "").replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function screenId(cfg) {
    if (cfg.screen) {
      return cfg.screen;
    }
    var id = null;
    try {
      id = window.sessionStorage.getItem("ccWallScreen");
    } catch (e) { /* storage disabled: a new id per load */ }
    if (!id || !/^[A-Za-z0-9_.-]{1,40}$/.test(id)) {
      id = "W-" + Math.random().toString(36).slice(2, 6).toUpperCase();
      try {
        window.sessionStorage.setItem("ccWallScreen", id);
      } catch (e) { /* ignore */ }
    }
    return id;
  }

  function reset(cfg) {
    clearTimeout(W.pollTimer);
    W = {
      generation: W.generation + 1, ui: {}, cfg: cfg, screen: screenId(cfg),
      i: 0, k: 0, n: 1, paused: false, hold: null, shown: null, info: null,
      shownAt: 0, active: 0, pending: null, pendingAt: 0, queued: null, counter: 0,
      want: null, lastSeq: null, frozen: null, failures: 0, offline: false, pollTimer: null,
      startAt: Date.now(), typed: "", typedAt: 0, unknownSession: false
    };
    window.ccWall = W;
  }

  // ------------------------------------------------------------- cues

  function send(spec) {
    if (W.pending) {
      W.queued = spec;
      return;
    }
    W.counter += 1;
    var cfg = W.cfg;
    var cue = Object.assign({}, spec, {
      key: W.generation + "-" + W.counter, layer: 1 - W.active, lang: cfg.lang,
      period: cfg.period, geo: cfg.geo, session: cfg.session,
      vw: window.innerWidth, vh: window.innerHeight
    });
    W.pending = cue;
    W.pendingAt = Date.now();
    setProps("wall-cue", { data: cue }, true);
  }

  function flushLater() {
    // after the fade, so the layer being faded out is not repainted mid-fade
    var generation = W.generation;
    setTimeout(function () {
      if (generation === W.generation && W.queued && !W.pending) {
        var spec = W.queued;
        W.queued = null;
        send(spec);
      }
    }, (W.cfg.transition_ms || 700) + 50);
  }

  function go(i, k) {
    var items = W.cfg.items;
    if (!items.length) {
      return;
    }
    i = ((i % items.length) + items.length) % items.length;
    var it = items[i];
    send({
      source: "playlist", i: i, k: k, view: it.view, params: it.params,
      cycle: it.cycle, values: it.values, limit: it.limit, dwell: it.dwell
    });
  }

  function holdCue() {
    return {
      source: "hold", view: W.hold.view, params: W.hold.params, cycle: null,
      values: [], limit: null, k: 0, dwell: 0
    };
  }

  function step(delta) {
    var i = W.i, k = W.k;
    if (delta > 0) {
      if (k + 1 < W.n) { k += 1; } else { i += 1; k = 0; }
    } else if (k > 0) {
      k -= 1;
    } else {
      i -= 1;
      k = -1; // the server resolves -1 to the last value of a cycle
    }
    go(i, k);
  }

  function refresh() {
    if (W.shown && W.info) {
      send(Object.assign({}, W.shown, { k: W.info.k, refresh: true }));
    }
  }

  function rendered(info) {
    var none = [nu(), nu()];
    if (!info || !W.pending || info.key !== W.pending.key) {
      return none;
    }
    var cue = W.pending;
    W.pending = null;
    if (info.error) {
      if (cue.source === "playlist") { // skip it at the next turn
        W.i = cue.i;
        W.k = Math.max(0, cue.k);
        W.n = 1;
      }
      flushLater();
      return none;
    }
    W.active = info.layer;
    W.info = info;
    W.shown = cue;
    if (cue.source === "playlist") {
      W.i = cue.i;
      W.k = info.k;
      W.n = info.n;
    }
    if (!cue.refresh) {
      W.shownAt = Date.now();
    }
    flushLater();
    status();
    return [info.layer === 0 ? "wall-layer is-active" : "wall-layer",
      info.layer === 1 ? "wall-layer is-active" : "wall-layer"];
  }

  // ---------------------------------------------------- poll, heartbeat

  function poll() {
    clearTimeout(W.pollTimer);
    if (!W.cfg || !onWall()) {
      return;
    }
    var generation = W.generation;
    var controller = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (controller) { controller.abort(); } }, 5000);
    var body = {
      screen: W.screen, session: W.cfg.session || "",
      showing: W.info ? W.info.label : "", view: W.info ? W.info.view : "",
      snapshot: W.info ? (W.info.snapshot || "") : "",
      viewport: window.innerWidth + "x" + window.innerHeight
    };
    fetch(W.cfg.api, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body), cache: "no-store", credentials: "same-origin",
      signal: controller ? controller.signal : undefined
    }).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    }).then(function (s) {
      if (generation !== W.generation) { return; }
      W.failures = 0;
      setOffline(false);
      onState(s);
    }).catch(function () {
      if (generation !== W.generation) { return; }
      W.failures += 1;
      if (W.failures >= 2) { setOffline(true); }
    }).then(function () {
      clearTimeout(timer);
      if (generation === W.generation) {
        W.pollTimer = setTimeout(poll, W.cfg.poll_ms || 2000);
      }
    });
  }

  function setOffline(flag) {
    W.offline = flag;
    setProps("wall-offline", { className: "wall-offline" + (flag ? " is-on" : "") });
  }

  function onState(s) {
    W.want = s.data_snapshot || null;
    W.unknownSession = !!s.unknown_session;
    var sess = s.session;
    if (sess && sess.seq !== W.lastSeq) {
      var thawed = (sess.frozen || null) !== W.frozen; // frozen or released
      W.lastSeq = sess.seq;
      W.frozen = sess.frozen || null;
      if (sess.mode === "hold" && sess.view) {
        W.hold = { view: sess.view, params: sess.params || {}, by: "presenter" };
        W.paused = false;
        send(holdCue());
      } else {
        var held = !!W.hold || !W.info;
        W.hold = null;
        W.paused = false;
        if (held) {
          go(W.i, W.k);
        } else if (thawed && !W.pending) {
          refresh(); // same figures maybe, but the stamp must say frozen or not
        }
      }
    } else if (!sess && !W.info && !W.pending) {
      go(0, 0); // no presenter (or an unknown session): rotate on its own
    }
    if (W.info && W.want && W.info.snapshot && W.info.snapshot !== W.want && !W.pending) {
      refresh(); // a new snapshot (or a freeze released): same slide, new figures
    }
    status();
  }

  // ------------------------------------------------------------- status

  function status() {
    if (!W.cfg) { return; }
    var txt = W.cfg.text, parts = [], now = Date.now();
    if (W.hold) {
      parts.push(W.hold.by === "presenter" ? txt.presenter : txt.held);
    } else if (W.cfg.items.length) {
      parts.push((W.i + 1) + "/" + W.cfg.items.length +
        (W.n > 1 ? " · " + (W.k + 1) + "/" + W.n : ""));
    }
    if (W.paused) { parts.push(txt.paused); }
    setProps("wall-position", {
      children: parts.join(" · "),
      className: "wall-position" + (W.paused ? " is-paused" : "") + (W.hold ? " is-held" : "")
    });
    var pct = 0;
    if (!W.hold && !W.paused && W.shown && W.shown.source === "playlist" && W.shown.dwell) {
      pct = Math.min(100, (now - W.shownAt) / (W.shown.dwell * 10));
    }
    setProps("wall-progress", { style: { width: pct.toFixed(0) + "%" } });
    var label = txt.screen.replace("{screen}", W.screen);
    if (W.cfg.session) {
      label += " · " + (W.unknownSession ? txt.unknown_session : txt.session)
        .replace("{session}", W.cfg.session);
    }
    setProps("wall-screen", { children: label });
    var stale = !!(W.info && W.info.loaded_ms && now - W.info.loaded_ms > W.cfg.stale_ms);
    setProps("wall-stale", { className: "wall-stale" + (stale ? " is-on" : "") });
    setProps("freshness", { className: "wall-freshness" + (stale ? " stale" : "") });
  }

  function clock() {
    var d = new Date(), en = W.cfg && W.cfg.lang === "en";
    var loc = en ? "en-GB" : "vi-VN";
    var dateOpts = en ? { weekday: "long", day: "numeric", month: "short", year: "numeric" }
      : { weekday: "long", day: "2-digit", month: "2-digit", year: "numeric" };
    var timeOpts = { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false };
    try {
      return [new Intl.DateTimeFormat(loc, Object.assign({ timeZone: TZ }, timeOpts)).format(d),
        new Intl.DateTimeFormat(loc, Object.assign({ timeZone: TZ }, dateOpts)).format(d)];
    } catch (e) { // no time-zone data: the screen's own clock
      return [new Intl.DateTimeFormat(loc, timeOpts).format(d),
        new Intl.DateTimeFormat(loc, dateOpts).format(d)];
    }
  }

  function tick() {
    if (!W.cfg || !onWall()) { return [nu(), nu()]; }
    var now = Date.now();
    if (W.pending && now - W.pendingAt > PENDING_TIMEOUT_MS) {
      W.pending = null; // lost: keep the slide on screen, try again
    }
    if (!W.pending && W.queued) {
      var spec = W.queued;
      W.queued = null;
      send(spec);
    }
    if (!W.pending && !W.offline && !W.paused && !W.hold && W.info && W.shown &&
        W.shown.source === "playlist" && now - W.shownAt >= W.shown.dwell * 1000) {
      step(1);
    }
    if (!W.info && !W.pending && now - W.startAt > 4000 && W.cfg.items.length) {
      go(W.i, W.k); // the first poll did not answer: start rotating anyway
    }
    if (W.typed && now - W.typedAt > SEARCH_TIMEOUT_MS) { search(""); }
    status();
    return clock();
  }

  // ----------------------------------------------------------- keyboard

  function matches(typed) {
    var q = fold(typed);
    if (!q) { return []; }
    var scored = [];
    (W.cfg.provinces || []).forEach(function (p) {
      var key = p.key || fold(p.name), score = -1;
      if (key.indexOf(q) === 0) { score = 0; }
      else if ((" " + key).indexOf(" " + q) >= 0) { score = 1; }
      else if (key.indexOf(q) >= 0) { score = 2; }
      if (score >= 0) { scored.push([score, key, p]); }
    });
    scored.sort(function (a, b) { return a[0] - b[0] || (a[1] < b[1] ? -1 : 1); });
    return scored.map(function (s) { return s[2]; });
  }

  function search(typed) {
    W.typed = typed;
    W.typedAt = Date.now();
    var found = matches(typed);
    var text = !typed ? "" : found.length
      ? found.slice(0, 4).map(function (p) { return p.name; }).join(" · ")
      : W.cfg.text.search_none;
    setProps("wall-search", { className: "wall-search" + (typed ? " is-on" : "") });
    setProps("wall-search-typed", { children: typed });
    setProps("wall-search-match", { children: text });
  }

  function mapIndicator() {
    if (W.info && W.info.view === "map" && W.info.params && W.info.params.indicator) {
      return [W.info.params.indicator, W.info.params.metric];
    }
    var item = (W.cfg.items || []).filter(function (it) {
      return it.view === "map" && it.params && it.params.indicator;
    })[0];
    return item ? [item.params.indicator, item.params.metric]
      : [W.cfg.default_indicator, null];
  }

  function pick(onMap) {
    var found = matches(W.typed)[0];
    if (!found) { return; }
    search("");
    var params = { province: found.code };
    var view = "province";
    if (onMap) {
      var ind = mapIndicator();
      view = "map";
      params.indicator = ind[0];
      if (ind[1]) { params.metric = ind[1]; }
    }
    W.hold = { view: view, params: params, by: "keys" };
    send(holdCue());
  }

  function backToRotation() {
    var held = !!W.hold;
    W.hold = null;
    W.paused = false;
    W.shownAt = Date.now();
    if (held) { go(W.i, W.k); }
  }

  function onKey(e) {
    if (!W.cfg || !onWall() || e.ctrlKey || e.metaKey || e.altKey) { return; }
    var key = e.key, handled = true;
    if (key === "ArrowRight" || key === "PageDown") {
      search(""); W.hold = null; step(1);
    } else if (key === "ArrowLeft" || key === "PageUp") {
      search(""); W.hold = null; step(-1);
    } else if (key === "Escape" || key === "Home") {
      if (W.typed) { search(""); } else { backToRotation(); }
    } else if (key === "Enter") {
      if (W.typed) { pick(e.shiftKey); } else { handled = false; }
    } else if (key === "Backspace") {
      if (W.typed) { search(W.typed.slice(0, -1)); } else { handled = false; }
    } else if (key === " " || key === "Spacebar" || key === "MediaPlayPause") {
      if (W.typed && key === " ") {
        search(W.typed + " ");
      } else {
        W.paused = !W.paused;
        W.shownAt = Date.now();
      }
    } else if (key.length === 1 && /[\p{L}\p{N}]/u.test(key)) {
      search(W.typed + key);
    } else {
      handled = false;
    }
    if (handled) {
      e.preventDefault();
      status();
    }
  }

  function onResize() {
    clearTimeout(W.resizeTimer);
    W.resizeTimer = setTimeout(function () {
      if (onWall() && W.shown && !W.pending &&
          (W.shown.vw !== window.innerWidth || W.shown.vh !== window.innerHeight)) {
        refresh(); // columns and map text follow the screen's size
      }
    }, 400);
  }

  function init(cfg) {
    if (!cfg) { return nu(); }
    reset(cfg);
    status();
    if (!cfg.session && cfg.items.length) { go(0, 0); }
    poll();
    return nu();
  }

  document.addEventListener("keydown", onKey);
  window.addEventListener("resize", onResize);
  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    wall: { init: init, tick: tick, rendered: rendered }
  });
}());
