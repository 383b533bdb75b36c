/* qyzmet staff desk: the head signs the prepared result with the EDS key file in the page,
   through the project's EDS module (eds-sign.js: loadKeyFile, describe, signDetached; RSA and
   GOST 34.10-2015 key files). The
   key file and its password never leave the page: the page fetches the exact bytes the
   server prepared, signs them as a detached CMS and posts only the signature. The page also
   offers NCALayer (qyzmet/eds/ncalayer.js): it makes the same detached CMS over the same
   bytes in its own window. */
import { describe, forget, loadKeyFile, signDetached } from "../qyzmet/eds/eds-sign.js";
import { choiceIn, toBase64 } from "../qyzmet/eds/ncalayer.js";

/* A text in the page's language: the djangojs catalogue (/jsi18n/<lang>.js, docs/i18n.md). */
const gettext = (text) => (typeof globalThis.gettext === "function" ? globalThis.gettext(text) : text);

const MESSAGES = {
  wrong_password: "msgPassword",
  no_key: "msgNokey",
  unsupported_algorithm: "msgNokey",
  gost2004_key: "msgGost2004",
  auth_key: "msgAuthKey",
  malformed: "msgNokey",
};

function setup(form) {
  const status = form.querySelector("[data-eds-status]");
  const info = form.querySelector("[data-eds-cert]");
  const button = form.querySelector("button[type=submit]");
  const fileInput = form.querySelector("input[type=file]");
  const password = form.querySelector("input[type=password]");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const ncalayer = choiceIn(form);

  function show(text, code, working) {
    status.textContent = text;
    status.dataset.code = code || "";
    status.classList.toggle("working", !!working);
  }
  function busy(on) {
    form.dataset.sending = on ? "1" : "";
    button.disabled = on;
    if (ncalayer) ncalayer.button.disabled = on;
  }
  function fail(code, message) {
    show(message || form.dataset[MESSAGES[code] || "msgNetwork"], code || "network", false);
    busy(false);
  }
  function failWith(error) {
    const text = ncalayer && ncalayer.message(error);
    fail(error && error.code, text || "");
  }

  // Fetch the prepared bytes, sign them with `sign`, post the signature.
  async function complete(sign) {
    const content = await fetch(form.dataset.contentUrl, { credentials: "same-origin" });
    if (!content.ok) throw { code: "network" };
    const bytes = new Uint8Array(await content.arrayBuffer());
    const body = new URLSearchParams();
    body.append("decision", form.querySelector("input[name=decision]").value);
    body.append("signature", toBase64(await sign(bytes)));
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
    if (answer.reload) {
      // Prepared again for this head / today: show that document, with the reason.
      window.location.assign(answer.reload);
      return;
    }
    fail(answer.code, answer.message);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (form.dataset.sending === "1") return; // a double click signs and posts once
    if (!fileInput.files.length) {
      fileInput.focus();
      return;
    }
    busy(true);
    show(form.dataset.msgWorking, "", true);
    let handle;
    try {
      handle = await loadKeyFile(fileInput.files[0], password.value);
      const who = describe(handle);
      info.hidden = false;
      info.textContent = `${form.dataset.msgCertificate}: ${who.commonName}` +
        (who.organization ? `, ${who.organization}` : "") + (who.iin ? ", " + gettext("ИИН") + " " + who.iin : "");
      await complete(async (bytes) => signDetached(handle, bytes));
    } catch (error) {
      failWith(error);
    } finally {
      if (handle) forget(handle);
    }
  });

  if (ncalayer) {
    ncalayer.button.addEventListener("click", async () => {
      if (form.dataset.sending === "1") return;
      busy(true);
      show(ncalayer.working, "", true);
      try {
        await complete(ncalayer.sign);
      } catch (error) {
        failWith(error);
      }
    });
  }
}

document.querySelectorAll("form[data-eds-sign]").forEach(setup);
