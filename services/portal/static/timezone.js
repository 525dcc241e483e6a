// The browser's time zone, remembered in the `tz` cookie so that the next pages show times in
// it (the server checks the name against its zone database; a signed-in person's profile zone
// comes first). Without this script, times are shown in the page language's usual zone.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone || !/^[A-Za-z0-9_+\-\/]{1,64}$/.test(zone)) {
    return;
  }
  var known = document.cookie.split("; ").some(function (pair) {
    return pair === "tz=" + zone;
  });
  if (!known) {
    document.cookie = "tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax";
  }
})();
