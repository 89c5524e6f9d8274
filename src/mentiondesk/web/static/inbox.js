// Keyboard triage of the inbox and of a case page. In a file because the Content-Security-
// Policy allows no inline script. Keys never fire while typing in a field.
//   Inbox: j/k move, Enter open, x select, a assign to me, e resolve (the next row is then
//   current), r reply, / search, ? help.  Case page: a assign to me, e resolve and next,
//   r reply, Escape back to the inbox.
(function () {
  "use strict";
  var KEY = "mentiondesk.inbox.current";

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#inbox-rows tr.case-row"));
  }

  function current() {
    return document.querySelector("#inbox-rows tr.case-row.current");
  }

  function mark(index) {
    var all = rows();
    if (!all.length) return null;
    index = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (row) { row.classList.remove("current"); row.removeAttribute("aria-current"); });
    var row = all[index];
    row.classList.add("current");
    row.setAttribute("aria-current", "true");
    var link = row.querySelector("td.summary a");
    if (link) link.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
    try { sessionStorage.setItem(KEY, String(index)); } catch (e) { /* private mode */ }
    return row;
  }

  function move(step) {
    var all = rows();
    var now = current();
    mark(now ? all.indexOf(now) + step : 0);
  }

  function caseUrl(row) {
    var link = row && row.querySelector("td.summary a");
    return link ? link.getAttribute("href") : null;
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

  function inboxKeys(event) {
    var row = current();
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "Enter": if (row && document.activeElement === document.body) { window.location = caseUrl(row); } else { return; } break;
      case "o": if (row) window.location = caseUrl(row); break;
      case "x": if (row) { var box = row.querySelector("input[name=case_ids]"); if (box) box.checked = !box.checked; } break;
      case "a": bulk("assign_me", row); break;
      case "e": bulk("resolve", row); break;
      case "r": if (row) window.location = caseUrl(row) + "#reply-text"; break;
      case "/": var search = document.getElementById("inbox-search"); if (search) search.focus(); break;
      case "?": var help = document.getElementById("shortcut-help"); if (help && !help.open) help.showModal(); break;
      default: return;
    }
    event.preventDefault();
  }

  function caseKeys(event) {
    var form;
    switch (event.key) {
      case "a": form = document.getElementById("assign-me"); break;
      case "e": form = document.getElementById("resolve-next"); break;
      case "r": var text = document.getElementById("reply-text"); if (text) text.focus(); event.preventDefault(); return;
      case "Escape": var back = document.getElementById("back-to-inbox"); if (back) window.location = back.getAttribute("href"); return;
      default: return;
    }
    if (form) { event.preventDefault(); form.requestSubmit(); }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (document.getElementById("inbox-rows")) inboxKeys(event);
    else if (document.querySelector("[data-case-page]")) caseKeys(event);
  });

  // Focus on a row (tab, click) makes it current; Enter on its link opens it natively.
  document.addEventListener("focusin", function (event) {
    var row = event.target.closest && event.target.closest("#inbox-rows tr.case-row");
    if (row && !row.classList.contains("current")) {
      rows().forEach(function (r) { r.classList.remove("current"); });
      row.classList.add("current");
    }
  });

  // Live arrival: a reload of the list waits while cases are selected, so a tick is never lost.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail && event.detail.elt;
    if (target && target.id === "inbox-rows" && document.querySelector("#inbox-rows input[name=case_ids]:checked")) {
      event.preventDefault();
    }
  });

  // An empty search box adds nothing to the address of the view.
  document.addEventListener("htmx:configRequest", function (event) {
    var params = event.detail && event.detail.parameters;
    if (params && params.q === "") delete params.q;
  });

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
    if (saved !== null && rows().length) mark(parseInt(saved, 10) || 0);
  }
  document.addEventListener("DOMContentLoaded", function () { restore(); count(); });
})();
