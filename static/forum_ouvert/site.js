// Forum ouvert: progressive enhancements only; every page works without this file.
// htmx is configured by <meta name="htmx-config"> (no eval, no inline scripts, same origin).
document.addEventListener("htmx:afterSwap", function (event) {
  // Move focus to a swapped region that asks for it, so screen readers announce new content.
  var target = event.detail.target;
  if (target && target.hasAttribute("data-fo-focus-after-swap")) {
    target.setAttribute("tabindex", "-1");
    target.focus();
  }
});
