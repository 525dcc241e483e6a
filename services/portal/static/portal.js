// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Ask before a destructive button sends its form.
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // Copy buttons (hidden until this script shows them): the text of the element they name.
  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      if (!navigator.clipboard) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-copy"));
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          button.textContent = button.getAttribute("data-copied") || button.textContent;
        });
      });
    });
  });
  // After a refused form, move the focus to the summary so screen readers announce it.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("form-errors");
    if (summary) {
      summary.focus();
    }
  });
})();
