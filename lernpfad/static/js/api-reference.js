// The API reference page (/api/v1/referenz): Swagger UI from the vendored bundle, started here
// and not inline, so the page works under the app's Content-Security-Policy (script-src 'self').
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    domNode: root,
    deepLinking: true,
    validatorUrl: null, // never ask swagger.io to validate the document
    tryItOutEnabled: false,
    supportedSubmitMethods: ["get"],
  });
})();
