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
})();
