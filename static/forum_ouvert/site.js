// Forum ouvert: progressive enhancements only; every page works without this file.
// htmx is configured by <meta name="htmx-config"> (no eval, no inline scripts, same origin).

// Focus after an htmx swap, one rule for every swapped region (issue 20, item 3).
// An outerHTML swap detaches the element that had focus (the button just pressed) and the
// old target itself: focus fell to <body>, and the next Tab went somewhere unrelated.
// After the swap has settled, when focus is lost (on <body> or on a detached element):
//   1. the element of the new content with the id of the one that had focus (a button keeps
//      its id when its words change: « Suivre » becomes « Ne plus suivre »). htmx does this
//      itself for the main swap; this covers the swaps it does not (out-of-band ones). So a
//      control that an htmx answer redraws carries a stable id;
//   2. else the element of the new content marked [data-fo-focus] (an error summary);
// Except that after a submission (not a GET) whose answer brings an error summary, focus
// goes to that summary first.
//   3. else the new region itself, found by the target's id (focusable with tabindex=-1).
// When focus is still where the person left it (a filter field), it stays there.
(function () {
  var focusedId = null;

  function focusLost() {
    var active = document.activeElement;
    return !active || active === document.body || !active.isConnected;
  }

  function moveFocus(element) {
    if (!element) return false;
    if (element.tabIndex < 0 && !element.hasAttribute("tabindex")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
    return document.activeElement === element;
  }

  // The error summary of a refused form (core/_error_summary.html), the first of the page's
  // or of a swapped region's.
  function errorSummary(root) {
    return root ? root.querySelector(".fo-resume-erreurs") : null;
  }

  // After a full page load with errors, focus moves to the summary: it is read at once,
  // and its links lead to the fields (issue 20, item 5).
  document.addEventListener("DOMContentLoaded", function () {
    moveFocus(errorSummary(document));
  });

  document.addEventListener("htmx:beforeRequest", function () {
    var active = document.activeElement;
    focusedId = active && active !== document.body && active.id ? active.id : null;
  });

  // Status messages after a swap (issue 20, item 4): a [role=status] that arrives inside
  // swapped content is a new live region, which screen readers do not announce. Its text is
  // repeated in #fo-annonces (base.html), the live region that is on the page from the start.
  function announce(region) {
    var live = document.getElementById("fo-annonces");
    if (!live || !region) return;
    var statuses = Array.prototype.slice.call(region.querySelectorAll("[role=status]"));
    if (region.getAttribute("role") === "status") statuses.unshift(region);
    var text = statuses
      .map(function (element) { return element.textContent.replace(/\s+/g, " ").trim(); })
      .filter(Boolean)
      .join(" ");
    // Unchanged words are not said again (a polled state every two seconds).
    if (text && text !== live.textContent) live.textContent = text;
  }

  function swappedRegion(target) {
    var region = target && target.id ? document.getElementById(target.id) : null;
    return region || (target && target.isConnected ? target : null);
  }

  // An out-of-band status (the attendance counter) is announced too.
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    announce(swappedRegion(event.detail.target));
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var region = swappedRegion(event.detail.target);
    announce(region);
    // A submission refused: focus goes to the error summary it brought (issue 20, item 5),
    // wherever focus was. A filter (GET) keeps focus in the field being typed in.
    var config = event.detail.requestConfig;
    if (config && config.verb !== "get" && moveFocus(errorSummary(region))) return;
    if (!focusLost()) return;
    var previous = focusedId ? document.getElementById(focusedId) : null;
    focusedId = null;
    if (previous && moveFocus(previous)) return;
    if (region && moveFocus(region.querySelector("[data-fo-focus]"))) return;
    moveFocus(region);
  });
})();

// DITP staff: the server ends a session after an idle time (core.middleware); two minutes
// before, the dialog of core/includes/_session_dialog.html offers « Rester connecté »
// (issue 19, item 14). Every request — a page, an htmx swap — restarts the count, as it
// does on the server. At the end the page reloads, and the server sends the person to the
// login page saying why. Focus goes back where it was when the dialog closes.
(function () {
  var dialog = document.getElementById("fo-session");
  if (!dialog) return;
  var idle = parseInt(dialog.getAttribute("data-fo-idle"), 10) * 1000;
  var warning = parseInt(dialog.getAttribute("data-fo-warning"), 10) * 1000;
  var warnTimer = null;
  var endTimer = null;
  var previous = null;

  function modal() {
    return window.dsfr ? window.dsfr(dialog).modal : null;
  }

  function restart() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(function () {
      var m = modal();
      if (!m) return;
      previous = document.activeElement;
      m.disclose();
    }, Math.max(idle - warning, 0));
    endTimer = setTimeout(function () { window.location.reload(); }, idle + 1000);
  }

  // The DSFR moves focus when it closes a modal (to the button that opened it; here there
  // is none): give it back afterwards to where the person was.
  function giveFocusBack() {
    var element = previous;
    previous = null;
    if (!element || !element.isConnected || element === document.body) return;
    setTimeout(function () { element.focus(); }, 0);
  }

  dialog.addEventListener("dsfr.conceal", giveFocusBack);

  document.addEventListener("htmx:afterRequest", function (event) {
    restart();
    var m = modal();
    if (m && event.detail.successful && dialog.contains(event.detail.elt)) {
      var back = previous;
      m.conceal();
      previous = previous || back;
      giveFocusBack();
    }
  });

  restart();
})();
