// Enlace: behaviour shared by every page. No inline script anywhere (CSP).
(function () {
  "use strict";
  // Language switcher submits on change; the button stays for keyboard and no-JS use.
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "language-select") {
      event.target.form.submit();
    }
  });
})();
