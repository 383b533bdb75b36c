/* IIN and BIN check digit, as src/qyzmet/core/identifiers.py (SERVICES.md, "IIN / BIN"):
   c = Σ d[i]·i (i = 1..11) mod 11; if c = 10, recompute with weights 3,4,5,6,7,8,9,10,11,1,2;
   if that is 10 too the number is invalid. The server decides; this only helps as you type.
   In the page: inputs with data-identifier="iin|bin|iin-or-bin" are checked on input and on
   leaving the field; the messages are the djangojs catalogue's (the page loads /jsi18n/<lang>.js
   first, docs/i18n.md). Under Node: module.exports = {checkDigit, isValidIdentifier}. */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) { module.exports = api; }
  else { root.QyzmetIdentifiers = api; }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var FIRST = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  var SECOND = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

  function checkDigit(firstEleven) {
    var weightsList = [FIRST, SECOND];
    for (var w = 0; w < weightsList.length; w++) {
      var sum = 0;
      for (var i = 0; i < 11; i++) { sum += Number(firstEleven.charAt(i)) * weightsList[w][i]; }
      var c = sum % 11;
      if (c !== 10) { return c; }
    }
    return null;
  }

  function isValidIdentifier(value) {
    if (typeof value !== "string" || !/^[0-9]{12}$/.test(value)) { return false; }
    return checkDigit(value.slice(0, 11)) === Number(value.charAt(11));
  }

  function normalize(value) { return String(value).replace(/\s+/g, ""); }

  /* The text in the page's language (Django's JavaScriptCatalog); as written without it. */
  function gettext(text) {
    return (typeof self !== "undefined" && typeof self.gettext === "function") ? self.gettext(text) : text;
  }

  function checkMessage(kind) {
    if (kind === "iin") { return gettext("ИИН не прошёл проверку контрольного разряда."); }
    if (kind === "bin") { return gettext("БИН не прошёл проверку контрольного разряда."); }
    return gettext("ИИН/БИН не прошёл проверку контрольного разряда.");
  }

  /* The message for a typed value: "" when fine (or still empty / being typed). */
  function problem(input, final) {
    var value = normalize(input.value);
    if (!value) { return ""; }
    if (!/^[0-9]*$/.test(value) || value.length > 12 || (final && value.length !== 12)) {
      return gettext("Нужно 12 цифр.");
    }
    if (value.length === 12 && !isValidIdentifier(value)) { return checkMessage(input.dataset.identifier); }
    return "";
  }

  function show(input, final) {
    var message = problem(input, final);
    var box = document.getElementById(input.id + "-error") || document.getElementById(input.id + "-check");
    if (!box) { return; }
    if (message) {
      box.textContent = message;
      box.hidden = false;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", box.id);
      input.closest(".field") && input.closest(".field").classList.add("has-error");
    } else if (box.hasAttribute("data-identifier-message") || final) {
      box.textContent = "";
      box.hidden = true;
      input.removeAttribute("aria-invalid");
      input.closest(".field") && input.closest(".field").classList.remove("has-error");
    }
  }

  function bind(scope) {
    scope.querySelectorAll("input[data-identifier]").forEach(function (input) {
      if (input.dataset.identifierBound) { return; }
      input.dataset.identifierBound = "1";
      input.addEventListener("input", function () { show(input, false); });
      input.addEventListener("blur", function () { show(input, true); });
    });
  }

  if (typeof document !== "undefined") {
    document.addEventListener("DOMContentLoaded", function () {
      bind(document);
      // Rows added later (repeatable groups) are bound on first focus.
      document.addEventListener("focusin", function (event) {
        if (event.target.matches && event.target.matches("input[data-identifier]")) { bind(event.target.closest("form") || document); }
      });
    });
  }

  return { checkDigit: checkDigit, isValidIdentifier: isValidIdentifier, problem: problem };
});
