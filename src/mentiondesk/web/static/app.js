// Small behaviours every page shares, kept in a file because the Content-Security-Policy
// allows no inline script, handler or javascript: link.
(function () {
  "use strict";
  // Error pages: "Go back" returns to the previous page when there is one.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-back]");
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
