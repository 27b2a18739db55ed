// /api/docs/: accessible names for the form controls Swagger UI (vendored) leaves unnamed.
// A parameter's select or field is named after the parameter ("country (query)"), the request
// body's text area "Request body". Runs again whenever Swagger UI redraws.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root) {
    return;
  }
  function unnamed(control) {
    return !control.hasAttribute("aria-label") && !(control.labels && control.labels.length);
  }
  function name() {
    root.querySelectorAll("tr[data-param-name]").forEach(function (row) {
      var label = row.getAttribute("data-param-name") + " (" + row.getAttribute("data-param-in") + ")";
      row.querySelectorAll("select, input, textarea").forEach(function (control) {
        if (unnamed(control)) {
          control.setAttribute("aria-label", label);
        }
      });
    });
    root.querySelectorAll("textarea.body-param__text").forEach(function (control) {
      if (unnamed(control)) {
        control.setAttribute("aria-label", "Request body");
      }
    });
  }
  var pending = false;
  new MutationObserver(function () {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        name();
      });
    }
  }).observe(root, { childList: true, subtree: true });
})();
