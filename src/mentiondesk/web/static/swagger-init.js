// Starts Swagger UI on /api/docs. No online validator (it would call an outside host); the
// session cookie and the CSRF header work as on the pages.
(function () {
  "use strict";
  window.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("swagger-ui");
    window.ui = SwaggerUIBundle({
      url: element.getAttribute("data-openapi"),
      dom_id: "#swagger-ui",
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
      layout: "BaseLayout",
      deepLinking: true,
      validatorUrl: null
    });
  });
})();
