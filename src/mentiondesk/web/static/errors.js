/* Failed htmx requests are never silent.
 *
 * A 4xx answer that re-renders its own fragment (the server marks it with the
 * X-Inline-Error header: the form with the message next to the field and the typed
 * text kept) is swapped in like a success. Every other failure shows a toast with the
 * server's message; a request that never reached the server says so.
 * Loaded as a file, never inline, so a Content-Security-Policy of 'self' allows it.
 */
(function () {
  "use strict";

  function messageOf(xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    var text = xhr.responseText || "";
    if (type.indexOf("application/json") === 0) {
      try {
        var detail = JSON.parse(text).detail;
        if (typeof detail === "string") return detail;
        if (detail && detail.reason) return (detail.field ? detail.field + ": " : "") + detail.reason;
      } catch (ignored) { /* fall through to the status line */ }
    } else if (text) {
      var doc = new DOMParser().parseFromString(text, "text/html");
      var alert = doc.querySelector("[role=alert]");
      if (alert && alert.textContent.trim()) return alert.textContent.trim();
    }
    return "The request failed (" + xhr.status + " " + (xhr.statusText || "error") + "). Try again.";
  }

  function toast(message) {
    var box = document.getElementById("toasts");
    if (!box) {
      box = document.createElement("div");
      box.id = "toasts";
      box.setAttribute("aria-live", "assertive");
      document.body.appendChild(box);
    }
    var item = document.createElement("div");
    item.className = "toast";
    item.setAttribute("role", "alert");
    item.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "link";
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "×";
    close.addEventListener("click", function () { item.remove(); });
    item.appendChild(close);
    box.appendChild(item);
    window.setTimeout(function () { item.remove(); }, 12000);
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status >= 400 && xhr.getResponseHeader("X-Inline-Error")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:responseError", function (event) {
    toast(messageOf(event.detail.xhr));
  });
  document.addEventListener("htmx:sendError", function () {
    toast("Could not reach the server: check the connection and try again.");
  });
  window.mentiondeskToast = toast;
})();
