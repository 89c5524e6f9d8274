// The composer's saved-reply shortcuts: "/" in an empty reply or Ctrl+Space opens the search;
// choosing a result fills the reply with the saved reply rendered for this case, and lets the
// live guard check it at once.
(function () {
  "use strict";
  function setup() {
    var text = document.getElementById("reply-text");
    var search = document.getElementById("saved-reply-search");
    var results = document.getElementById("saved-reply-results");
    if (!text || !search || !results) { return; }
    text.addEventListener("keydown", function (event) {
      var slash = event.key === "/" && text.value === "";
      var ctrlSpace = event.key === " " && event.ctrlKey;
      if (slash || ctrlSpace) {
        event.preventDefault();
        search.focus();
      }
    });
    // Arrow keys move through the results (from the search box too); Enter picks one.
    function options() { return Array.prototype.slice.call(results.querySelectorAll("[data-insert]")); }
    function moveIn(step) {
      var all = options();
      if (!all.length) { return; }
      var at = all.indexOf(document.activeElement);
      var next = at < 0 ? (step > 0 ? 0 : all.length - 1) : at + step;
      if (next < 0) { search.focus(); return; }
      all[Math.min(next, all.length - 1)].focus();
    }
    function arrows(event) {
      if (event.key === "ArrowDown") { event.preventDefault(); moveIn(1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); moveIn(-1); }
      else if (event.key === "Enter" && event.target === search) {
        event.preventDefault();  // never submit the reply from the search box
        var first = options()[0];
        if (first) { first.click(); }
      }
    }
    search.addEventListener("keydown", arrows);
    results.addEventListener("keydown", arrows);
    results.addEventListener("click", function (event) {
      var button = event.target.closest("[data-insert]");
      if (!button) { return; }
      fetch(button.getAttribute("data-insert"), { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error("saved reply: HTTP " + response.status); }
          return response.text();
        })
        .then(function (body) {
          text.value = body;
          results.innerHTML = "";
          text.focus();
          text.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
        });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
