// Django admin's autocomplete fields (select2): the combobox select2 draws is named only by
// the value it shows, so an empty field had no accessible name (axe aria-input-field-name;
// issue 20, item 7). Each combobox is named by the field's label, then its value, whenever
// select2 draws one: on load and after (select2 may start after the load event, and
// inline forms add fields later), so the naming never races select2.
(function () {
  function name(select) {
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    var next = select.nextElementSibling;
    var box = next ? next.querySelector(".select2-selection") : null;
    if (!label || !box) return;
    if (!label.id) label.id = select.id + "-libelle";
    var shown = box.getAttribute("aria-labelledby") || "";
    if (shown.split(" ").indexOf(label.id) === -1) {
      box.setAttribute("aria-labelledby", shown ? label.id + " " + shown : label.id);
    }
    // The value select2 shows is a read-only textbox of its own: named by the label too.
    var rendered = box.querySelector("[role=textbox]");
    if (rendered) rendered.setAttribute("aria-labelledby", label.id);
  }

  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(name);
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameAll();
    new MutationObserver(nameAll).observe(document.body, { childList: true, subtree: true });
  });
  window.addEventListener("load", nameAll);
})();
