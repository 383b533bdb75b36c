/* qyzmet staff desk: the head signs the prepared result with the EDS key file in the page,
   through the project's EDS module (eds-sign.js: loadKeyFile, describe, signDetached; RSA and
   GOST 34.10-2015 key files). The
   key file and its password never leave the page: the page fetches the exact bytes the
   server prepared, signs them as a detached CMS and posts only the signature. */
import { describe, forget, loadKeyFile, signDetached } from "../qyzmet/eds/eds-sign.js";

const MESSAGES = {
  wrong_password: "msgPassword",
  no_key: "msgNokey",
  unsupported_algorithm: "msgNokey",
  gost2004_key: "msgGost2004",
  auth_key: "msgAuthKey",
  malformed: "msgNokey",
};

function base64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
  }
  return btoa(binary);
}

function setup(form) {
  const status = form.querySelector("[data-eds-status]");
  const info = form.querySelector("[data-eds-cert]");
  const button = form.querySelector("button[type=submit]");
  const fileInput = form.querySelector("input[type=file]");
  const password = form.querySelector("input[type=password]");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function show(text, code, working) {
    status.textContent = text;
    status.dataset.code = code || "";
    status.classList.toggle("working", !!working);
  }
  function fail(code, message) {
    show(message || form.dataset[MESSAGES[code] || "msgNetwork"], code || "network", false);
    form.dataset.sending = "";
    button.disabled = false;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (form.dataset.sending === "1") return; // a double click signs and posts once
    if (!fileInput.files.length) {
      fileInput.focus();
      return;
    }
    form.dataset.sending = "1";
    button.disabled = true;
    show(form.dataset.msgWorking, "", true);
    let handle;
    try {
      handle = await loadKeyFile(fileInput.files[0], password.value);
      const who = describe(handle);
      info.hidden = false;
      info.textContent = `${form.dataset.msgCertificate}: ${who.commonName}` +
        (who.organization ? `, ${who.organization}` : "") + (who.iin ? `, IIN ${who.iin}` : "");
      const content = await fetch(form.dataset.contentUrl, { credentials: "same-origin" });
      if (!content.ok) throw { code: "network" };
      const bytes = new Uint8Array(await content.arrayBuffer());
      const body = new URLSearchParams();
      body.append("decision", form.querySelector("input[name=decision]").value);
      body.append("signature", base64(signDetached(handle, bytes)));
      const response = await fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
        body,
      });
      const answer = await response.json();
      if (answer.ok) {
        window.location.assign(answer.redirect);
        return;
      }
      fail(answer.code, answer.message);
    } catch (error) {
      fail(error && error.code, "");
    } finally {
      if (handle) forget(handle);
    }
  });
}

document.querySelectorAll("form[data-eds-sign]").forEach(setup);
