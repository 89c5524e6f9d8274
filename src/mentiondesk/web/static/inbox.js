// The split inbox and the case page: keyboard triage, the case pane, live updates.
// In a file because the Content-Security-Policy allows no inline script. Keys never fire
// while typing in a field (Escape excepted: it leaves the field for the list).
//   Inbox: j/k move, Enter open in the pane, x select, a assign to me, e resolve and open
//   the next row, r reply, / search, ? help, Esc back to the list.
//   Case page: a assign to me, e resolve and next, r reply, Escape back to the inbox.
// Live: one EventSource on /w/<slug>/inbox/events; each committed change reloads the list in
// place (waiting while cases are ticked), marks rows with news the page has not opened, counts
// new cases, and, when the person turned them on with a click, shows desktop notifications.
// Presence: "presence" events on the same stream say which colleague is viewing or typing in
// which case; they show on the list's rows and in the pane at once, and fade when the
// colleague's heartbeats (every 3 s) stop.
(function () {
  "use strict";
  var KEY = "mentiondesk.inbox.current";
  var UNREAD = "mentiondesk.inbox.unread";
  var NOTIFY = "mentiondesk.inbox.notify";
  var unread = load(UNREAD);
  var arrived = 0;
  var pendingRefresh = false;
  var refreshTimer = null;
  var refreshingFor = null;
  var afterOpen = null;
  var present = {};  // case id -> user id -> {name, state, until}
  var PRESENCE_FOR = 8000;  // two missed heartbeats and the colleague has gone

  function load(key) {
    try { return new Set(JSON.parse(sessionStorage.getItem(key) || "[]")); } catch (e) { return new Set(); }
  }
  function save() {
    try { sessionStorage.setItem(UNREAD, JSON.stringify(Array.from(unread))); } catch (e) { /* private mode */ }
  }

  function here() {
    return window.location.pathname + window.location.search;
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#inbox-rows tr.case-row"));
  }

  function current() {
    return document.querySelector("#inbox-rows tr.case-row.current");
  }

  function rowOf(id) {
    return id ? document.querySelector('#inbox-rows tr.case-row[data-case-id="' + id + '"]') : null;
  }

  function openCaseId() {
    var head = document.querySelector("#case-pane [data-pane-case]");
    return head ? head.getAttribute("data-pane-case") : null;
  }

  function linkOf(row) {
    return row ? row.querySelector("td.summary a") : null;
  }

  function highlight(row, focus) {
    rows().forEach(function (r) { r.classList.remove("current"); r.removeAttribute("aria-current"); });
    if (!row) return null;
    row.classList.add("current");
    row.setAttribute("aria-current", "true");
    var link = linkOf(row);
    if (link && focus) link.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
    try { sessionStorage.setItem(KEY, String(rows().indexOf(row))); } catch (e) { /* private mode */ }
    return row;
  }

  function mark(index) {
    var all = rows();
    if (!all.length) return null;
    return highlight(all[Math.max(0, Math.min(all.length - 1, index))], true);
  }

  function move(step) {
    var all = rows();
    var now = current();
    mark(now ? all.indexOf(now) + step : 0);
  }

  // -- the case pane ---------------------------------------------------------------------
  function openUrl(url, then) {
    var pane = document.getElementById("case-pane");
    if (!window.htmx || !pane) { window.location = url; return; }
    afterOpen = then || null;
    // The pane is the request's source, so a list reloading meanwhile cannot drop the answer;
    // the answer's HX-Push-Url puts the case in the address bar.
    window.htmx.ajax("GET", url, { source: pane, target: pane, swap: "innerHTML" });
  }

  function open(row, then) {
    var link = linkOf(row);
    if (link) openUrl(link.getAttribute("href"), then);
  }

  function closePane() {
    var split = document.getElementById("split");
    var pane = document.getElementById("case-pane");
    if (!split || !pane || !openCaseId()) return false;
    var row = rowOf(openCaseId());
    pane.innerHTML = '<p class="muted pane-empty">Choose a case (j / k, then Enter) to read and answer it here.</p>';
    split.classList.remove("has-case");
    var url = new URL(window.location.href);
    url.searchParams.delete("case");
    history.pushState({ htmx: true }, "", url.pathname + url.search);
    highlight(row || current(), true);
    return true;
  }

  function submitInPane(id, then) {
    var form = document.querySelector("#case-pane #" + id);
    if (!form) return false;
    if (then !== undefined) {
      var field = form.querySelector("input[name=then]");
      if (field) field.value = then;
    }
    form.requestSubmit();
    return true;
  }

  function nextRowId(id) {
    var all = rows();
    var here = all.indexOf(rowOf(id));
    var next = here >= 0 ? all[here + 1] || all[here - 1] : null;
    return next ? next.getAttribute("data-case-id") : "next";
  }

  function bulk(action, row) {
    var form = document.getElementById("bulk");
    if (!form || !row) return;
    rows().forEach(function (r) {
      var box = r.querySelector("input[name=case_ids]");
      if (box) box.checked = r === row;
    });
    var button = form.querySelector("button[value=" + action + "]");
    if (button) form.requestSubmit(button);
  }

  function focusReply() {
    var text = document.getElementById("reply-text");
    if (text) { text.focus(); text.scrollIntoView({ block: "center" }); }
  }

  function inboxKeys(event) {
    var row = current();
    var openId = openCaseId();
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "Enter": if (row && document.activeElement !== linkOf(row)) { open(row); } else { return; } break;
      case "o": if (row) open(row); break;
      case "x": if (row) { var box = row.querySelector("input[name=case_ids]"); if (box) box.checked = !box.checked; } break;
      case "a": if (!(openId && submitInPane("assign-me"))) { if (openId) return; bulk("assign_me", row); } break;
      case "e":
        if (openId) { submitInPane("resolve-next", nextRowId(openId)); }
        else { bulk("resolve", row); }
        break;
      case "r": if (openId) { focusReply(); } else if (row) { open(row, focusReply); } break;
      case "/": var search = document.getElementById("inbox-search"); if (search) search.focus(); break;
      case "?": var help = document.getElementById("shortcut-help"); if (help && !help.open) help.showModal(); break;
      case "Escape": if (!closePane()) return; break;
      default: return;
    }
    event.preventDefault();
  }

  function caseKeys(event) {
    var form;
    switch (event.key) {
      case "a": form = document.getElementById("assign-me"); break;
      case "e": form = document.getElementById("resolve-next"); break;
      case "r": focusReply(); event.preventDefault(); return;
      case "Escape": var back = document.getElementById("back-to-inbox"); if (back) window.location = back.getAttribute("href"); return;
      default: return;
    }
    if (form) { event.preventDefault(); form.requestSubmit(); }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var inbox = document.getElementById("inbox-rows");
    if (typing(event.target)) {
      // Escape in the pane's fields goes back to the list, where the keys work again.
      if (inbox && event.key === "Escape" && event.target.closest("#case-pane")) {
        event.target.blur();
        highlight(rowOf(openCaseId()) || current(), true);
        event.preventDefault();
      }
      return;
    }
    if (document.querySelector("dialog[open]")) return;
    if (inbox) inboxKeys(event);
    else if (document.querySelector("[data-case-page]")) caseKeys(event);
  });

  // Focus on a row (tab, click) makes it current; Enter on its link opens it natively.
  document.addEventListener("focusin", function (event) {
    var row = event.target.closest && event.target.closest("#inbox-rows tr.case-row");
    if (row && !row.classList.contains("current")) {
      rows().forEach(function (r) { r.classList.remove("current"); r.removeAttribute("aria-current"); });
      row.classList.add("current");
    }
  });

  // A row's link opens the case in the pane (a new tab or window still gets the full page);
  // the pane's "Back to the list" closes the pane (phone width shows the list again).
  document.addEventListener("click", function (event) {
    if (!event.target.closest) return;
    var link = event.target.closest("#inbox-rows a[data-pane]");
    if (link && !(event.ctrlKey || event.metaKey || event.shiftKey || event.button)) {
      event.preventDefault();
      highlight(link.closest("tr.case-row"), true);
      openUrl(link.getAttribute("href"));
      return;
    }
    var back = event.target.closest("#case-pane .pane-back");
    if (back && closePane()) event.preventDefault();
  });

  // "Save these filters as a view" saves the filters the address shows now (they change in
  // place, without reloading the form).
  document.addEventListener("submit", function (event) {
    var field = event.target.querySelector && event.target.querySelector("input[name=view]");
    if (field) field.value = window.location.pathname + window.location.search;
  }, true);

  // The pane's own forms (assign, resolve, reply, notes...) answer into the pane: their routes
  // redirect to the case, which htmx asks for as the pane. Forms with their own hx-* attributes
  // are left to htmx.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var pane = document.getElementById("case-pane");
    if (!window.htmx || !pane || !pane.contains(form) || event.defaultPrevented) return;
    if (form.hasAttribute("hx-post") || form.hasAttribute("hx-get") || (form.getAttribute("method") || "").toLowerCase() !== "post") return;
    var submitter = event.submitter;
    var action = submitter && submitter.hasAttribute("formaction") ? submitter.getAttribute("formaction") : form.getAttribute("action");
    var values = {};
    new FormData(form, submitter || undefined).forEach(function (value, name) {
      if (name in values) { values[name] = [].concat(values[name], value); } else { values[name] = value; }
    });
    event.preventDefault();
    window.htmx.ajax("POST", action, { source: form, target: pane, swap: "innerHTML", values: values });
  });

  // -- keeping the list and the pane in step --------------------------------------------------
  function paint() {
    var openId = openCaseId();
    rows().forEach(function (r) {
      var id = r.getAttribute("data-case-id");
      r.classList.toggle("unread", unread.has(id));
      r.classList.toggle("open-in-pane", id === openId);
    });
    paintPresence();
  }

  // -- collision presence ---------------------------------------------------------------------
  function presenceOf(id) {
    var now = Date.now();
    var agents = present[id] || {};
    var list = [];
    Object.keys(agents).forEach(function (user) {
      if (agents[user].until < now) { delete agents[user]; return; }
      list.push(agents[user]);
    });
    list.sort(function (a, b) {
      return (a.state === "typing" ? 0 : 1) - (b.state === "typing" ? 0 : 1) || a.name.localeCompare(b.name);
    });
    return list;
  }

  function presenceLine(list, into) {
    var parts = list.map(function (p) {
      var span = document.createElement("span");
      span.className = "presence-" + (p.state === "typing" ? "typing" : "viewing");
      span.textContent = p.name + (p.state === "typing" ? " is typing…" : " is viewing");
      return span;
    });
    into.replaceChildren();
    parts.forEach(function (span, i) {
      if (i) into.appendChild(document.createTextNode(" · "));
      into.appendChild(span);
    });
  }

  function paintPresence() {
    rows().forEach(function (r) {
      var list = presenceOf(r.getAttribute("data-case-id"));
      var badge = r.querySelector(".row-presence");
      if (!list.length) { if (badge) badge.remove(); return; }
      if (!badge) {
        badge = document.createElement("small");
        badge.className = "row-presence";
        var cell = r.querySelector("td.summary");
        if (!cell) return;
        cell.appendChild(badge);
      }
      presenceLine(list, badge);
    });
  }

  function onPresence(p) {
    var id = String(p.case_id);
    present[id] = present[id] || {};
    present[id][String(p.user_id)] = { name: p.name, state: p.state, until: Date.now() + PRESENCE_FOR };
    paintPresence();
    var box = document.getElementById("presence");
    if (box && id === openCaseId()) presenceLine(presenceOf(id), box);
  }
  setInterval(function () { if (Object.keys(present).length) paintPresence(); }, 2000);

  function refreshList() {
    if (refreshTimer) return;
    refreshTimer = setTimeout(function () {
      refreshTimer = null;
      if (document.querySelector("#inbox-rows input[name=case_ids]:checked")) { pendingRefresh = true; return; }
      pendingRefresh = false;
      var list = document.getElementById("inbox-rows");
      // The address holds the filters as they are now (they change in place).
      refreshingFor = here();
      if (list && window.htmx) window.htmx.ajax("GET", refreshingFor, { source: list, target: list, swap: "innerHTML" });
    }, 150);
  }

  // A reload of the list waits while cases are ticked, so a selection is never lost.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail && event.detail.elt;
    if (target && target.id === "inbox-rows" && document.querySelector("#inbox-rows input[name=case_ids]:checked")) {
      pendingRefresh = true;
      event.preventDefault();
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "case_ids" && pendingRefresh) refreshList();
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target) return;
    if (target.id === "case-pane") {
      // A shared link loaded its case once; a page restored from history must not load it again.
      target.removeAttribute("hx-get");
      target.removeAttribute("hx-trigger");
      var split = document.getElementById("split");
      var openId = openCaseId();
      if (split) split.classList.toggle("has-case", Boolean(openId));
      if (openId && unread.delete(openId)) save();
      var row = rowOf(openId);
      if (row) highlight(row, !afterOpen);
      paint();
      var verb = event.detail.requestConfig && event.detail.requestConfig.verb;
      if (verb && verb.toLowerCase() === "post") refreshList();
      if (afterOpen) { var then = afterOpen; afterOpen = null; then(); }
    } else if (target.id === "inbox-rows") {
      var keep = rowOf(openCaseId()) || rowOf(target.getAttribute("data-current"));
      if (keep) highlight(keep, false);
      paint();
    }
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    var config = event.detail && event.detail.requestConfig;
    if (target && target.id === "inbox-rows" && config && config.elt === target && refreshingFor !== null) {
      // A reload asked for before the filters changed must not replace the filtered list.
      var stale = refreshingFor !== here();
      refreshingFor = null;
      if (stale) { event.detail.shouldSwap = false; refreshList(); return; }
    }
    if (target && target.id === "inbox-rows") {
      var row = current();
      target.setAttribute("data-current", row ? row.getAttribute("data-case-id") : "");
    }
  });

  // An empty search box adds nothing to the address of the view.
  document.addEventListener("htmx:configRequest", function (event) {
    var params = event.detail && event.detail.parameters;
    if (params && params.q === "") delete params.q;
  });

  // -- live updates ---------------------------------------------------------------------------
  function showArrived() {
    var bar = document.getElementById("inbox-newer");
    if (!bar) return;
    var p = document.createElement("p");
    p.className = "arrived";
    p.setAttribute("data-arrived", String(arrived));
    var dot = document.createElement("span");
    dot.className = "unread-dot";
    dot.setAttribute("aria-hidden", "true");
    p.appendChild(dot);
    p.appendChild(document.createTextNode(" " + arrived + " new case" + (arrived === 1 ? "" : "s") + " since you opened this page"));
    bar.replaceChildren(p);
  }

  function notifying() {
    try { return "Notification" in window && Notification.permission === "granted" && localStorage.getItem(NOTIFY) === "1"; } catch (e) { return false; }
  }

  function notify(change) {
    if (!notifying() || !document.hidden) return;
    var title = document.title.replace(/^Inbox · /, "");
    var note = new Notification("New case #" + change.case_id, { body: title, tag: "case-" + change.case_id });
    note.onclick = function () { window.focus(); var row = rowOf(String(change.case_id)); if (row) open(row); };
  }

  function onChange(change) {
    var id = String(change.case_id);
    if (/^(opened|post|reopened)$/.test(change.kind) && id !== openCaseId()) { unread.add(id); save(); }
    if (change.kind === "opened") { arrived += 1; showArrived(); notify(change); }
    refreshList();
    paint();
  }

  function live() {
    var box = document.getElementById("inbox-live");
    if (!box || !window.EventSource) return;
    var source = new EventSource(box.getAttribute("data-events"));
    // What changed between rendering the page (or a dropped connection) and this connection is
    // not sent again: reload the list once when the stream (re)opens.
    source.addEventListener("open", function () {
      box.setAttribute("data-live", "connected");
      refreshList();
    });
    source.addEventListener("error", function () { box.setAttribute("data-live", "reconnecting"); });
    source.addEventListener("case", function (event) {
      try { onChange(JSON.parse(event.data)); } catch (e) { refreshList(); }
    });
    source.addEventListener("presence", function (event) {
      try { onPresence(JSON.parse(event.data)); } catch (e) { /* a malformed line changes nothing */ }
    });
    source.addEventListener("reload", refreshList);
    source.addEventListener("signed-out", function () { source.close(); });
    window.addEventListener("pagehide", function () { source.close(); });
  }

  // Desktop notifications are asked for on a click, never on load.
  function notifyButton() {
    var button = document.getElementById("desktop-notify");
    if (!button || !("Notification" in window) || Notification.permission === "denied") return;
    function label() {
      button.textContent = notifying() ? "Desktop notifications: on (turn off)" : "Desktop notifications for new cases";
    }
    button.hidden = false;
    label();
    button.addEventListener("click", function () {
      if (notifying()) { localStorage.removeItem(NOTIFY); label(); return; }
      Notification.requestPermission().then(function (answer) {
        if (answer === "granted") localStorage.setItem(NOTIFY, "1");
        if (answer === "denied") button.hidden = true;
        label();
      });
    });
  }

  // The composer's counter: characters used of what the platform takes for this visibility.
  function count() {
    var text = document.getElementById("reply-text");
    var out = document.getElementById("reply-counter");
    if (!text || !out) return;
    var chosen = document.querySelector("input[name=visibility]:checked");
    var visibility = chosen ? chosen.value : "public";
    var limit = parseInt(text.getAttribute("data-limit-" + visibility), 10) || 0;
    var used = text.value.trim().length;
    var platform = out.textContent.replace(/^.* characters on /, "");
    out.textContent = used + " / " + limit + " characters on " + platform;
    out.classList.toggle("over", limit > 0 && used > limit);
  }
  document.addEventListener("input", function (event) {
    if (event.target && (event.target.id === "reply-text" || event.target.name === "visibility")) count();
  });
  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "visibility") count();
  });

  function restore() {
    var saved = null;
    try { saved = sessionStorage.getItem(KEY); } catch (e) { /* private mode */ }
    if (saved !== null && rows().length && !document.querySelector("#case-pane[hx-get]")) mark(parseInt(saved, 10) || 0);
  }
  document.addEventListener("DOMContentLoaded", function () { restore(); count(); paint(); live(); notifyButton(); });
})();
