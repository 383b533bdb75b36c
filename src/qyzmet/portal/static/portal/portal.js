/* qyzmet portal: progressive enhancements (the pages work without them, except signing). */
(function () {
  "use strict";

  /* Texts in the page's language: the djangojs catalogue (/jsi18n/<lang>.js, docs/i18n.md);
     as written if it did not load. fill() puts values in its %(name)s placeholders. */
  function gettext(text) { return typeof window.gettext === "function" ? window.gettext(text) : text; }
  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (all, key) { return String(values[key]); });
  }

  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /* Forms that must not be sent twice (double click, impatient Enter). */
  function guardOnce(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending === "1") { event.preventDefault(); return; }
      form.dataset.sending = "1";
      window.setTimeout(function () {
        form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  }

  /* Repeatable groups of the generated form (the list of cultural valuables). */
  function renumber(group) {
    var rows = group.querySelectorAll("[data-repeat-rows] > [data-repeat-row]");
    rows.forEach(function (row, index) {
      var number = row.querySelector("[data-row-number]");
      if (number) { number.textContent = String(index + 1); }
    });
    var min = parseInt(group.dataset.min || "0", 10);
    var max = parseInt(group.dataset.max || "1000", 10);
    group.querySelectorAll("[data-repeat-remove]").forEach(function (b) { b.disabled = rows.length <= Math.max(min, 1); });
    var add = group.querySelector("[data-repeat-add]");
    if (add) { add.disabled = rows.length >= max; }
  }

  function nextIndex(group) {
    var highest = -1;
    var prefix = group.dataset.repeat + ".";
    group.querySelectorAll("[data-repeat-rows] [name]").forEach(function (input) {
      if (input.name.indexOf(prefix) === 0) {
        var index = parseInt(input.name.slice(prefix.length).split(".")[0], 10);
        if (!isNaN(index) && index > highest) { highest = index; }
      }
    });
    return highest + 1;
  }

  function setupRepeat(group) {
    var template = group.querySelector("template[data-repeat-template]");
    var rows = group.querySelector("[data-repeat-rows]");
    group.addEventListener("click", function (event) {
      var target = event.target;
      if (target.matches("[data-repeat-add]")) {
        var index = String(nextIndex(group));
        var fragment = template.content.cloneNode(true);
        fragment.querySelectorAll("[name],[id],[for],[aria-describedby]").forEach(function (el) {
          ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
            if (el.hasAttribute(attr)) { el.setAttribute(attr, el.getAttribute(attr).split("__i__").join(index)); }
          });
        });
        rows.appendChild(fragment);
        renumber(group);
        var rowsNow = rows.querySelectorAll("[data-repeat-row]");
        var first = rowsNow[rowsNow.length - 1].querySelector("input,select,textarea");
        if (first) { first.focus(); }
      } else if (target.matches("[data-repeat-remove]")) {
        var row = target.closest("[data-repeat-row]");
        if (row) { row.remove(); renumber(group); }
      }
    });
    renumber(group);
  }

  /* Attachments: type and size checked here before upload (and again on the server),
     drag and drop, a progress bar per upload. */
  function formatMessage(template, name) { return template.split("{name}").join(name); }

  function setupUpload(form) {
    var input = form.querySelector("input[type=file]");
    var progress = form.querySelector("progress");
    var status = form.querySelector(".upload-status");
    var accept = (form.dataset.accept || "").split(",");
    var limit = parseInt(form.dataset.limit || "20", 10) * 1024 * 1024;
    var allowedExt = { "application/pdf": [".pdf"], "image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/tiff": [".tif", ".tiff"] };

    function acceptable(file) {
      if (accept.indexOf(file.type) >= 0) { return true; }
      var name = file.name.toLowerCase();
      return accept.some(function (type) {
        return (allowedExt[type] || []).some(function (ext) { return name.endsWith(ext); });
      });
    }

    function say(text, isError) {
      status.textContent = text;
      status.classList.toggle("error", !!isError);
    }

    function send(files) {
      for (var i = 0; i < files.length; i++) {
        if (!acceptable(files[i])) { say(formatMessage(form.dataset.msgType, files[i].name), true); return; }
        if (files[i].size === 0) { say(formatMessage(form.dataset.msgEmpty, files[i].name), true); return; }
        if (files[i].size > limit) { say(formatMessage(form.dataset.msgSize, files[i].name), true); return; }
      }
      var data = new FormData();
      data.append("csrfmiddlewaretoken", csrf(form));
      data.append("document_code", form.querySelector("input[name=document_code]").value);
      for (var j = 0; j < files.length; j++) { data.append("file", files[j]); }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRFToken", csrf(form));
      progress.hidden = false;
      progress.value = 0;
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { progress.value = Math.round((e.loaded / e.total) * 100); }
      });
      xhr.addEventListener("load", function () {
        var answer = {};
        try { answer = JSON.parse(xhr.responseText); } catch (err) { answer = {}; }
        if (xhr.status === 200 && answer.ok) {
          progress.value = 100;
          // Reload the documents section so the list and digests come from the server; the
          // form above was not touched by the upload, so save it first if it changed.
          var formEl = document.getElementById("application-form");
          if (formEl && formEl.dataset.dirty === "1") {
            var action = document.createElement("input");
            action.type = "hidden"; action.name = "action"; action.value = "save";
            formEl.appendChild(action);
            formEl.submit();
          } else {
            window.location.reload();
          }
        } else {
          progress.hidden = true;
          say(answer.message || fill(gettext("Сервер не принял файл (HTTP %(status)s). Попробуйте снова."), { status: xhr.status }), true);
        }
      });
      xhr.addEventListener("error", function () { progress.hidden = true; say(gettext("Нет связи с сервером. Проверьте подключение и попробуйте снова."), true); });
      xhr.send(data);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (input.files.length) { send(input.files); } else { say(form.dataset.msgNone, true); input.focus(); }
    });
    input.addEventListener("change", function () { if (input.files.length) { send(input.files); } });
    ["dragenter", "dragover"].forEach(function (name) {
      form.addEventListener(name, function (e) { e.preventDefault(); form.classList.add("dragover"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      form.addEventListener(name, function (e) { e.preventDefault(); form.classList.remove("dragover"); });
    });
    form.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) { send(e.dataTransfer.files); }
    });
  }

  /* An item's file (its photograph) uploaded in the item's row: stored with the document
     the field names, offered in every such choice, chosen in this row. */
  function setupRowUploads(appForm) {
    appForm.addEventListener("change", function (event) {
      var input = event.target;
      if (!input.matches("input[data-row-upload]") || !input.files.length) { return; }
      var field = input.closest(".field");
      var select = field.querySelector("select[data-attachment-choice]");
      var status = field.querySelector(".upload-status");
      var file = input.files[0];
      var data = new FormData();
      data.append("document_code", input.dataset.rowUpload);
      data.append("file", file);
      status.classList.remove("error");
      status.textContent = appForm.dataset.msgWorking || "…";
      var xhr = new XMLHttpRequest();
      xhr.open("POST", appForm.dataset.uploadUrl);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRFToken", csrf(appForm));
      xhr.addEventListener("load", function () {
        var answer = {};
        try { answer = JSON.parse(xhr.responseText); } catch (err) { answer = {}; }
        if (xhr.status === 200 && answer.ok) {
          var selector = 'select[data-attachment-choice="' + input.dataset.rowUpload + '"]';
          var choices = Array.prototype.slice.call(appForm.querySelectorAll(selector));
          appForm.querySelectorAll("template[data-repeat-template]").forEach(function (t) {
            choices = choices.concat(Array.prototype.slice.call(t.content.querySelectorAll(selector)));
          });
          answer.attachments.forEach(function (a) {
            choices.forEach(function (other) {
              var option = document.createElement("option");
              option.value = a.name; option.textContent = a.name;
              other.appendChild(option);
            });
            select.value = a.name;
          });
          appForm.dataset.dirty = "1";
          status.textContent = (appForm.dataset.msgUploaded || "") + " " + file.name;
          input.value = "";
        } else {
          status.classList.add("error");
          status.textContent = answer.message || fill(gettext("Сервер не принял файл (HTTP %(status)s). Попробуйте снова."), { status: xhr.status });
        }
      });
      xhr.addEventListener("error", function () { status.classList.add("error"); status.textContent = gettext("Нет связи с сервером. Проверьте подключение и попробуйте снова."); });
      xhr.send(data);
    });
  }

  /* A form shown with its errors: the field the link named, else the first marked one. */
  function focusFirstError() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) { return; }
    var target = null;
    if (window.location.hash.length > 1) { target = document.getElementById(window.location.hash.slice(1)); }
    if (target && !target.matches("input,select,textarea")) { target = target.querySelector("input,select,textarea"); }
    target = target || document.querySelector("#application-form [aria-invalid=true]");
    if (target) { target.focus(); }
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) { return; }
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (field && !field.matches("input,select,textarea")) { field = field.querySelector("input,select,textarea"); }
      if (field) { event.preventDefault(); field.focus(); field.scrollIntoView({ block: "center" }); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-once]").forEach(guardOnce);
    document.querySelectorAll("[data-repeat]").forEach(setupRepeat);
    document.querySelectorAll("form[data-upload]").forEach(setupUpload);
    var appForm = document.getElementById("application-form");
    if (appForm) {
      appForm.addEventListener("input", function () { appForm.dataset.dirty = "1"; });
      setupRowUploads(appForm);
    }
    focusFirstError();
  });
})();
