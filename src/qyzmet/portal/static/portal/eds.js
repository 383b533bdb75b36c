/* qyzmet portal: the sign-up, log-in and submission forms signed with the applicant's EDS
   key file in the browser, through the shared EDS module (qyzmet/eds/eds-sign.js: RSA and
   GOST 34.10-2015 key files).
   The key file and its password never leave the page: the page asks the server for the exact
   bytes to sign (a one-time challenge, or the canonical request of a draft), signs them as a
   detached CMS and posts only the signature. The same forms offer NCALayer (the NCA's desktop
   signer, qyzmet/eds/ncalayer.js): it makes the CMS over the same bytes in its own window. */
import { describe, forget, loadKeyFile, signDetached } from "../qyzmet/eds/eds-sign.js";
import { choiceIn, fromBase64, toBase64 } from "../qyzmet/eds/ncalayer.js";

const ERROR_MESSAGES = {
  wrong_password: "msgPassword",
  no_key: "msgNokey",
  unsupported_algorithm: "msgNokey",
  gost2004_key: "msgGost2004",
  auth_key: "msgAuthKey",
  malformed: "msgPassword",
};

function csrf(form) {
  return form.querySelector("input[name=csrfmiddlewaretoken]").value;
}

async function post(url, form, fields) {
  const body = new URLSearchParams(fields);
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrf(form), Accept: "application/json" },
    body,
  });
  return response.json();
}

async function bytesToSign(form) {
  if (form.dataset.mode === "challenge") {
    const answer = await post(form.dataset.challengeUrl, form, {});
    if (!answer.ok) throw { message: answer.message };
    return { challenge: answer.id, bytes: fromBase64(answer.payload) };
  }
  const response = await fetch(form.dataset.requestUrl, { credentials: "same-origin" });
  if (!response.ok) throw { code: "network" };
  return { bytes: new Uint8Array(await response.arrayBuffer()) };
}

function setup(form) {
  const status = form.querySelector("[data-eds-status]");
  const info = form.querySelector("[data-eds-cert]");
  const button = form.querySelector("button[type=submit]");
  const fileInput = form.querySelector("input[type=file]");
  const passwordInput = form.querySelector("input[type=password]");
  const ncalayer = choiceIn(form);

  function show(text, working) {
    status.textContent = text;
    status.classList.toggle("working", Boolean(working));
  }

  function busy(on) {
    form.dataset.sending = on ? "1" : "";
    button.disabled = on;
    if (ncalayer) ncalayer.button.disabled = on;
  }

  function fail(error) {
    const key = (error && ERROR_MESSAGES[error.code]) || "msgNetwork";
    const text = (ncalayer && ncalayer.message(error)) ||
      ((error && error.message && !error.code) ? error.message : form.dataset[key]);
    show(text, false);
    status.dataset.code = (error && error.code) || "";
    busy(false);
  }

  // Fetch the bytes, sign them with `sign`, post the signature; a refusal is shown.
  async function complete(sign) {
    const target = await bytesToSign(form);
    const fields = { signature: toBase64(await sign(target.bytes)) };
    if (target.challenge) fields.challenge = target.challenge;
    const next = form.querySelector("input[name=next]");
    if (next && next.value) fields.next = next.value;
    const answer = await post(form.action, form, fields);
    if (answer.ok) {
      show(form.dataset.msgWorking, true);
      window.location.assign(answer.redirect);
    } else {
      fail({ message: answer.message });
      status.dataset.code = answer.code || "";
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (form.dataset.sending === "1") return; // a double click signs and posts once
    if (!fileInput.files.length) {
      fileInput.focus();
      return;
    }
    busy(true);
    show(form.dataset.msgWorking, true);
    let handle = null;
    try {
      handle = await loadKeyFile(fileInput.files[0], passwordInput.value);
      const who = describe(handle);
      info.hidden = false;
      info.textContent = `${form.dataset.msgCertificate}: ${who.commonName || ""}` +
        (who.organization ? `, ${who.organization}` : "") +
        (who.iin ? `, ${form.dataset.msgIin} ${who.iin}` : "") +
        (who.bin ? `, ${form.dataset.msgBin} ${who.bin}` : "");
      // a log-in or sign-up challenge is answered with the authentication key; an
      // application is signed with the signing key (the module refuses an AUTH_ key there)
      const purpose = form.dataset.mode === "challenge" ? "auth" : "sign";
      await complete(async (bytes) => signDetached(handle, bytes, { purpose }));
    } catch (error) {
      fail(error);
    } finally {
      if (handle) forget(handle);
    }
  });

  if (ncalayer) {
    ncalayer.button.addEventListener("click", async () => {
      if (form.dataset.sending === "1") return;
      busy(true);
      show(ncalayer.working, true);
      try {
        await complete(ncalayer.sign);
      } catch (error) {
        fail(error);
      }
    });
  }
}

document.querySelectorAll("form[data-eds-form]").forEach(setup);
