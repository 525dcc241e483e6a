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
  // Country pickers: a search box (hidden without this script) narrows the list as one types.
  document.addEventListener("DOMContentLoaded", function () {
    var boxes = document.querySelectorAll("[data-country-filter]");
    Array.prototype.forEach.call(boxes, function (box) {
      var regions = document.getElementById(box.getAttribute("data-country-filter"));
      box.parentNode.hidden = false;
      box.addEventListener("input", function () {
        var wanted = box.value.trim().toLowerCase();
        Array.prototype.forEach.call(regions.querySelectorAll("details"), function (region) {
          var shown = 0;
          Array.prototype.forEach.call(region.querySelectorAll("[data-country]"), function (item) {
            var match = !wanted || item.getAttribute("data-country").indexOf(wanted) !== -1;
            item.hidden = !match;
            shown += match ? 1 : 0;
          });
          region.hidden = shown === 0;
          if (wanted) {
            region.open = true;
          }
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
