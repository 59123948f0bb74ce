// Django admin's autocomplete fields (select2): the combobox select2 draws is named only by
// the value it shows, so an empty field had no accessible name (axe aria-input-field-name;
// issue 20, item 7). Once select2 has drawn it, the combobox is named by the field's label,
// then its value.
window.addEventListener("load", function () {
  document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    var next = select.nextElementSibling;
    var box = next ? next.querySelector(".select2-selection") : null;
    if (!label || !box) return;
    if (!label.id) label.id = select.id + "-libelle";
    var shown = box.getAttribute("aria-labelledby");
    box.setAttribute("aria-labelledby", shown ? label.id + " " + shown : label.id);
    // The value select2 shows is a read-only textbox of its own: named by the label too.
    var rendered = shown ? document.getElementById(shown) : null;
    if (rendered && rendered.getAttribute("role") === "textbox") {
      rendered.setAttribute("aria-labelledby", label.id);
    }
  });
});
