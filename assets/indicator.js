/*
 * indicator.js: remembers the #anchor a link asked for (e.g. #provenance on
 * /indicator/<code>), so the indicator page can scroll to it after rendering
 * even when a navigation that follows drops the hash from the address bar.
 * No network, no globals besides window.ccPendingHash.
 */
(function () {
  function remember() {
    if (window.location.hash) {
      window.ccPendingHash = {hash: window.location.hash, at: Date.now()};
    }
  }
  remember();
  window.addEventListener("_dashprivate_pushstate", remember);
  window.addEventListener("popstate", remember);
  window.addEventListener("hashchange", remember);
})();
