/* qyzmet staff desk: small enhancements. Every page works without this file; with it,
   repeatable rows get add/remove buttons, scans can be dropped and are sent with a
   progress bar, and a double click submits a form once. */
(function () {
  "use strict";

  /* Texts in the page's language: the djangojs catalogue (/jsi18n/<lang>.js, docs/i18n.md);
     as written if it did not load. fill() puts values in its %(name)s placeholders. */
  function gettext(text) { return typeof window.gettext === "function" ? window.gettext(text) : text; }
  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (all, key) { return String(values[key]); });
  }

  function each(root, selector, fn) { Array.prototype.forEach.call(root.querySelectorAll(selector), fn); }

  /* --- repeatable rows of the form schema (the items of a temporary export) --- */
  function renumber(group) {
    each(group, "[data-repeat-rows] > [data-repeat-row]", function (row, index) {
      var number = row.querySelector("[data-row-number]");
      if (number) { number.textContent = String(index + 1); }
    });
  }
  function nextIndex(group) {
    var max = -1, prefix = group.dataset.repeat + ".";
    each(group, "[name]", function (input) {
      if (input.name.indexOf(prefix) === 0) {
        var n = parseInt(input.name.slice(prefix.length).split(".")[0], 10);
        if (!isNaN(n) && n > max) { max = n; }
      }
    });
    return max + 1;
  }
  function setupRepeat(group) {
    var rows = group.querySelector("[data-repeat-rows]");
    var template = group.querySelector("template[data-repeat-template]");
    if (!rows || !template) { return; }
    group.addEventListener("click", function (event) {
      var target = event.target;
      if (target.matches("[data-repeat-add]")) {
        var max = parseInt(group.dataset.max || "1000", 10);
        if (rows.children.length >= max) { return; }
        var index = String(nextIndex(group));
        var html = template.innerHTML.split("__i__").join(index);
        var holder = document.createElement("ol");
        holder.innerHTML = html;
        var row = holder.firstElementChild;
        rows.appendChild(row);
        renumber(group);
        var first = row.querySelector("input, select, textarea");
        if (first) { first.focus(); }
      } else if (target.matches("[data-repeat-remove]")) {
        var min = parseInt(group.dataset.min || "0", 10);
        if (rows.children.length <= Math.max(min, 1)) { return; }
        target.closest("[data-repeat-row]").remove();
        renumber(group);
      }
    });
  }

  /* --- the applicant block of the intake form --- */
  function setupApplicant(form) {
    var radios = form.querySelectorAll("input[name=applicant_kind]");
    function kind() {
      var chosen = form.querySelector("input[name=applicant_kind]:checked");
      return chosen ? chosen.value : "";
    }
    function sync() {
      each(form, "[data-when-kind]", function (el) { el.hidden = el.dataset.whenKind !== kind(); });
      var manual = form.querySelector("[data-manual-toggle]");
      var reason = form.querySelector("#manual_reason");
      var name = form.querySelector("#applicant_name");
      if (manual && reason) {
        reason.closest(".field").hidden = !manual.checked;
        if (manual.checked && name) { name.readOnly = false; }
      }
    }
    Array.prototype.forEach.call(radios, function (r) { r.addEventListener("change", sync); });
    var toggle = form.querySelector("[data-manual-toggle]");
    if (toggle) { toggle.addEventListener("change", sync); }
    sync();
  }

  /* --- scans: drag and drop, the chosen files listed --- */
  function listFiles(zone) {
    var input = zone.querySelector("input[type=file]");
    var list = zone.querySelector("[data-file-list]");
    list.innerHTML = "";
    Array.prototype.forEach.call(input.files, function (file) {
      var item = document.createElement("li");
      item.textContent = fill(gettext("%(name)s (%(size)s КБ)"), { name: file.name, size: Math.max(1, Math.round(file.size / 1024)) });
      list.appendChild(item);
    });
  }
  function setupDropzone(zone) {
    var input = zone.querySelector("input[type=file]");
    input.addEventListener("change", function () { listFiles(zone); });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("is-over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("is-over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      var transfer = new DataTransfer();
      Array.prototype.forEach.call(input.files, function (f) { transfer.items.add(f); });
      Array.prototype.forEach.call(event.dataTransfer.files, function (f) { transfer.items.add(f); });
      input.files = transfer.files;
      listFiles(zone);
    });
  }

  /* --- the intake form is sent with XMLHttpRequest to show the upload's progress --- */
  function setupIntake(root) {
    var form = root.querySelector("form[data-intake-form]");
    if (!form) { return; }
    setupApplicant(form);
    each(form, "[data-dropzone]", setupDropzone);
    each(form, "[data-repeat]", setupRepeat);
    var progress = form.querySelector("[data-progress]");
    var bar = form.querySelector("[data-progress-bar]");
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (!submitter || !submitter.hasAttribute("data-submit")) { return; }  // look-up: plain post
      event.preventDefault();
      if (form.dataset.sending === "1") { return; }
      form.dataset.sending = "1";
      var data = new FormData(form, submitter);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json, text/html");
      xhr.setRequestHeader("X-CSRFToken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
      progress.hidden = false;
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          var percent = Math.round(100 * e.loaded / e.total);
          bar.style.width = percent + "%";
          bar.setAttribute("aria-valuenow", String(percent));
        }
      });
      xhr.onload = function () {
        var type = xhr.getResponseHeader("Content-Type") || "";
        if (type.indexOf("application/json") === 0) {
          var answer = JSON.parse(xhr.responseText);
          if (answer.ok) { window.location.assign(answer.redirect); return; }
        }
        if (type.indexOf("text/html") === 0) {
          var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
          var fresh = page.querySelector("[data-intake-root]");
          if (fresh) {
            root.replaceWith(fresh);
            setupIntake(fresh);
            var error = fresh.querySelector("#form-error");
            if (error) { error.focus(); }
            return;
          }
        }
        form.dataset.sending = "";
        progress.hidden = true;
        window.alert(form.dataset.msgNetwork);
      };
      xhr.onerror = function () {
        form.dataset.sending = "";
        progress.hidden = true;
        window.alert(form.dataset.msgNetwork);
      };
      xhr.send(data);
    });
  }

  /* --- the executor's choice between approval and refusal --- */
  function setupPrepare(form) {
    function sync() {
      var chosen = form.querySelector("input[name=kind]:checked");
      each(form, "[data-when-decision]", function (el) {
        el.hidden = !!chosen && el.dataset.whenDecision !== chosen.value;
      });
    }
    each(form, "input[name=kind]", function (r) { r.addEventListener("change", sync); });
    each(form, "[data-repeat]", setupRepeat);
    sync();
  }

  /* --- one submission per form: a double click must not post twice --- */
  function guardDoubleSubmit(form) {
    if (form.hasAttribute("data-intake-form") || form.hasAttribute("data-eds-sign")) { return; }
    if ((form.method || "").toLowerCase() !== "post") { return; }
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent === "1") { event.preventDefault(); return; }
      form.dataset.sent = "1";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var intake = document.querySelector("[data-intake-root]");
    if (intake) { setupIntake(intake); }
    each(document, "form[data-prepare-form]", setupPrepare);
    each(document, "form", guardDoubleSubmit);
    each(document, "[data-print]", function (b) { b.addEventListener("click", function () { window.print(); }); });
  });
})();
