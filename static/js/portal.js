// Enlace: behaviour shared by every page. No inline script anywhere (CSP).
(function () {
  "use strict";
  // The language switcher has no script: choosing an option changes nothing until its
  // "Change language" button is pressed (WCAG 3.2.2, On Input).
  // Forms with data-confirm ask before a destructive action (e.g. resetting a second factor).
  document.addEventListener("submit", function (event) {
    var message = event.target && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // A row added to a seizure form (htmx) takes the focus, so keyboard and screen-reader users
  // land where they are about to type instead of staying on the "Add" button.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !/-rows$/.test(target.id || "")) {
      return;
    }
    var rows = target.querySelectorAll(".formset-row");
    var field = rows.length && rows[rows.length - 1].querySelector("input:not([type=hidden]), select, textarea");
    if (field) {
      field.focus();
    }
  });
})();
