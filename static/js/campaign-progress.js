/* A campaign's progress page keeps itself up to date: every 2 seconds it reads
   progress.json and updates the numbers in the page's aria-live region. It stops once
   every email is written and has been sent or has failed, or if the answer is not the
   JSON it expects (a session that ended, a server error); a network that does not
   answer is tried again a few times, less and less often. The page's own "Refresh"
   link works in any case, as it does without JavaScript. */
(function () {
  "use strict";

  var INTERVAL_MS = 2000;
  var MAX_NETWORK_FAILURES = 5;
  var networkFailures = 0;
  var root = document.getElementById("campaign-progress");
  if (!root || root.hasAttribute("data-finished")) {
    return;
  }
  var url = root.getAttribute("data-progress-url");
  var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);
  var bar = root.querySelector("progress");

  function setText(field, text) {
    var element = root.querySelector('[data-field="' + field + '"]');
    // Only what changed is written, so that screen readers announce only that.
    if (element && element.textContent !== text) {
      element.textContent = text;
    }
  }

  function show(progress) {
    ["recipients", "queued", "sending", "sent", "failed", "percent"].forEach(function (field) {
      setText(field, numbers.format(progress[field]));
    });
    setText("status_label", progress.status_label);
    var badge = root.querySelector('[data-field="status_label"]');
    if (badge) {
      badge.className = "status-badge status-" + progress.status;
    }
    if (bar) {
      bar.value = progress.percent;
      bar.textContent = numbers.format(progress.percent) + " %";
    }
    var stage = progress.finished ? "finished" : progress.status === "written" ? "sending" : "writing";
    root.querySelectorAll("[data-summary]").forEach(function (summary) {
      summary.hidden = summary.getAttribute("data-summary") !== stage;
    });
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(
        function (response) {
          networkFailures = 0;
          var type = response.headers.get("Content-Type") || "";
          if (!response.ok || type.indexOf("application/json") !== 0) {
            return null; // the server answered something else: stop there
          }
          return response.json();
        },
        function () {
          networkFailures += 1;
          if (networkFailures <= MAX_NETWORK_FAILURES) {
            window.setTimeout(poll, INTERVAL_MS * Math.pow(2, networkFailures));
          }
          return null;
        }
      )
      .then(function (progress) {
        if (!progress) {
          return;
        }
        show(progress);
        if (progress.finished) {
          root.setAttribute("data-finished", "");
        } else {
          window.setTimeout(poll, INTERVAL_MS);
        }
      })
      .catch(function () {
        // A payload not as expected: leave the numbers as they are; "Refresh" is there.
      });
  }

  window.setTimeout(poll, INTERVAL_MS);
})();
