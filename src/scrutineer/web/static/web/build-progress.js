// Progressive enhancement for the build page: while a build runs, fetch the page again
// every two seconds and replace the status region, which screen readers announce
// politely. Without JavaScript the "Check progress again" link does the same.
(function () {
  "use strict";
  var region = document.getElementById("build-status");
  if (!region || !window.fetch || !window.DOMParser) { return; }
  function poll() {
    if (region.getAttribute("data-running") !== "true") { return; }
    window.setTimeout(function () {
      fetch(window.location.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("build-status");
          if (fresh) {
            region.innerHTML = fresh.innerHTML;
            region.setAttribute("data-running", fresh.getAttribute("data-running"));
          }
          poll();
        })
        .catch(function () { /* leave the link for a manual check */ });
    }, 2000);
  }
  poll();
}());
