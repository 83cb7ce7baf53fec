/* A "Print" button: shown only where JavaScript runs, it opens the browser's print
   dialog. Without JavaScript the page says to use the browser's own print command. */
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
