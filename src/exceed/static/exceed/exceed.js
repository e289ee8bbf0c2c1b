/* Behaviour the pages would otherwise write inline (onchange=, onclick=): the
   Content-Security-Policy runs scripts only from our own files. Each works without it too. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) { field.form.submit(); }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) { window.print(); }
  });

  // The filter bar is a <details>: open on a wide screen, folded on a phone. An htmx swap of the
  // bar (a filter changed) keeps it as the reader left it.
  var wide = window.matchMedia("(min-width: 48rem)");
  var remembered = null;
  function unfold() {
    document.querySelectorAll("details.filter-disclosure:not([data-ready])").forEach(function (details) {
      details.setAttribute("data-ready", "");
      if (remembered !== null) { details.open = details.open || remembered; } else if (wide.matches) { details.open = true; }
    });
  }
  document.addEventListener("DOMContentLoaded", unfold);
  document.addEventListener("htmx:beforeSwap", function () {
    var details = document.querySelector("details.filter-disclosure");
    remembered = details ? details.open : null;
  });
  document.addEventListener("htmx:afterSwap", unfold);
})();
