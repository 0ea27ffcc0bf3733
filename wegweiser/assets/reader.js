// What a reader on a phone needs beyond the theme: the header's menu and search buttons
// by keyboard, and offline reading of this language once it has been opened.
(function () {
  "use strict";

  // The theme's menu and search buttons are labels of hidden checkboxes, which a keyboard
  // cannot reach. Made buttons here, with JavaScript: the theme's script opens a focused
  // label on Enter; Space is added. Without JavaScript they stay labels for pointer users.
  var buttons = document.querySelectorAll(".md-header__button[for='__drawer'], " +
                                          ".md-header__button[for='__search']");
  Array.prototype.forEach.call(buttons, function (label) {
    var box = document.getElementById(label.htmlFor);
    label.tabIndex = 0;
    label.setAttribute("role", "button");
    // named as what it opens: the navigation, the search dialog
    var opens = document.querySelector(label.htmlFor === "__drawer"
      ? ".md-nav--primary[aria-label]" : ".md-search[aria-label]");
    if (opens) label.setAttribute("aria-label", opens.getAttribute("aria-label"));
    if (label.htmlFor === "__drawer") drawerButton(label, box);
    label.addEventListener("keydown", function (event) {
      if (event.key === " ") {
        event.preventDefault();
        label.click();
      }
    });
  });

  // Opened from the keyboard, the drawer takes the focus (it covers the page, so the next
  // stop is in it); Escape closes it and gives the focus back to its button.
  function drawerButton(label, box) {
    var drawer = document.querySelector(".md-sidebar--primary");
    label.setAttribute("aria-expanded", String(box.checked));
    box.addEventListener("change", function () {
      label.setAttribute("aria-expanded", String(box.checked));
      if (box.checked && document.activeElement === label && drawer) {
        var first = drawer.querySelector("a[href], label[tabindex], [tabindex='0']");
        if (first) window.setTimeout(function () { first.focus(); }, 0);
      }
    });
    function close() {
      box.checked = false;
      label.setAttribute("aria-expanded", "false");
    }
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !box.checked) return;
      close();
      label.focus();
    });
    // the focus leaving the open drawer (Tab after its last link) closes it: what comes
    // next lies under it
    document.addEventListener("focusin", function (event) {
      if (box.checked && drawer && !drawer.contains(event.target) && event.target !== label) {
        close();
      }
    });
  }

  // Offline: a service worker at the language's root keeps this language's pages
  // (sw.js lists them) and what this page loaded (styles, scripts, fonts).
  var script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script) return;
  var root = new URL("../../", script.src);
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(new URL("sw.js", root).href, { scope: root.pathname })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        var loaded = performance.getEntriesByType("resource").map(function (e) {
          return e.name;
        }).filter(function (url) {
          return url.indexOf(location.origin + "/") === 0 && !/search_index\.json$/.test(url);
        });
        registration.active.postMessage({ keep: loaded.concat(location.href.split("#")[0]) });
        offerToKeep(registration.active);
      })
      .catch(function () { /* no offline copy: the site works as before */ });
  });

  // Large files (the brochure) are kept only on request: a button, shown once a worker
  // runs, asks it to keep the file and says in the page's words whether that worked.
  function offerToKeep(worker) {
    var buttons = document.querySelectorAll("[data-keep]");
    Array.prototype.forEach.call(buttons, function (button) {
      var place = button.parentNode;
      var status = place.querySelector("[role='status']");
      place.hidden = false;
      button.addEventListener("click", function () {
        var channel = new MessageChannel();
        button.disabled = true;
        channel.port1.onmessage = function (event) {
          var said = place.querySelector(event.data && event.data.kept ? ".ww-kept"
                                                                       : ".ww-not-kept");
          status.replaceChildren(said.content.cloneNode(true));
          button.disabled = false;
        };
        worker.postMessage({ keep: [new URL(button.dataset.keep, location.href).href] },
                           [channel.port2]);
      });
    });
  }
})();
