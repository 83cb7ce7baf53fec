// The mission form: choosing a country proposes its main time zone (still changeable).
// Without JavaScript the server proposes it when the zone is left empty.
(function () {
  "use strict";
  document.querySelectorAll("select[data-zone-target]").forEach(function (country) {
    var zone = document.getElementById(country.dataset.zoneTarget);
    if (!zone || !zone.dataset.mainZones) {
      return;
    }
    var mainZones = JSON.parse(zone.dataset.mainZones);
    country.addEventListener("change", function () {
      var proposed = mainZones[country.value];
      if (proposed) {
        zone.value = proposed;
      }
    });
  });
})();
