// Enlace: behaviour shared by every page. No inline script anywhere (CSP).
(function () {
  "use strict";
  // Language switcher submits on change; the button stays for keyboard and no-JS use.
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "language-select") {
      event.target.form.submit();
    }
  });
  // Forms with data-confirm ask before a destructive action (e.g. resetting a second factor).
  document.addEventListener("submit", function (event) {
    var message = event.target && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
})();
