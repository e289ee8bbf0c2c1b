// "Use my position": fills the home point from the browser's geolocation (asked only on a tap).
// A file, not an inline script: the Content-Security-Policy allows scripts from this site only.
(function () {
  var button = document.getElementById("use-position");
  if (!button || !navigator.geolocation) return;
  var failed = document.currentScript ? document.currentScript.dataset.failed : "";
  button.hidden = false;
  button.addEventListener("click", function () {
    var status = document.getElementById("position-status");
    navigator.geolocation.getCurrentPosition(
      function (position) {
        document.getElementById("id_home_latitude").value = position.coords.latitude.toFixed(5);
        document.getElementById("id_home_longitude").value = position.coords.longitude.toFixed(5);
        status.textContent = "";
      },
      function () {
        status.textContent = failed;
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
    );
  });
})();
