/* qyzmet portal: signing with the applicant's EDS key file in the browser (node-forge).
   The key file and its password never leave the page: the page asks the server for the
   exact bytes to sign (a one-time challenge, or the canonical request of a draft), signs
   them as a detached CMS (CAdES-BES attributes) and posts only the signature. */
(function () {
  "use strict";

  function readFile(file) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(new Uint8Array(reader.result)); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsArrayBuffer(file);
    });
  }

  function toBinary(bytes) {
    var out = "";
    for (var i = 0; i < bytes.length; i += 8192) {
      out += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
    }
    return out;
  }

  /* Open a PKCS#12 key file: the private key and the certificate that belongs to it. */
  function openKeyFile(bytes, password) {
    var forge = window.forge;
    var p12;
    try {
      p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(toBinary(bytes)), false, password);
    } catch (err) {
      throw { code: "password" };
    }
    var keyBags = p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] || [];
    var plainBags = p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] || [];
    var keyBag = keyBags.concat(plainBags).filter(function (b) { return b.key; })[0];
    if (!keyBag) { throw { code: "nokey" }; }
    var certBags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] || [];
    var certificate = null;
    certBags.forEach(function (bag) {
      if (bag.cert && bag.cert.publicKey && bag.cert.publicKey.n &&
          bag.cert.publicKey.n.equals(keyBag.key.n)) { certificate = bag.cert; }
    });
    if (!certificate) { throw { code: "nokey" }; }
    return { key: keyBag.key, certificate: certificate };
  }

  function describe(handle) {
    var subject = handle.certificate.subject;
    function field(oid) { var f = subject.getField({ type: oid }); return f ? f.value : ""; }
    function decode(value) { try { return window.forge.util.decodeUtf8(value); } catch (e) { return value; } }
    var iin = field("2.5.4.5").replace(/^IIN/, "");
    var bin = field("2.5.4.11").replace(/^BIN/, "");
    return {
      name: decode(field("2.5.4.3")),
      organization: decode(field("2.5.4.10")),
      iin: iin, bin: /^\d{12}$/.test(bin) ? bin : "",
      notAfter: handle.certificate.validity.notAfter
    };
  }

  function signDetached(handle, binary) {
    var forge = window.forge;
    var p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(binary);
    p7.addCertificate(handle.certificate);
    p7.addSigner({
      key: handle.key,
      certificate: handle.certificate,
      digestAlgorithm: forge.pki.oids.sha256,
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType, value: forge.pki.oids.data },
        { type: forge.pki.oids.messageDigest },
        { type: forge.pki.oids.signingTime, value: new Date() }
      ]
    });
    p7.sign({ detached: true });
    return forge.util.encode64(forge.asn1.toDer(p7.toAsn1()).getBytes());
  }

  function csrf(form) { return form.querySelector("input[name=csrfmiddlewaretoken]").value; }

  function post(url, form, fields) {
    var body = new URLSearchParams();
    Object.keys(fields).forEach(function (k) { body.append(k, fields[k]); });
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(form), "Accept": "application/json" },
      body: body
    }).then(function (r) { return r.json(); });
  }

  function bytesToSign(form) {
    if (form.dataset.mode === "challenge") {
      return post(form.dataset.challengeUrl, form, {}).then(function (answer) {
        if (!answer.ok) { throw { message: answer.message }; }
        return { challenge: answer.id, binary: window.forge.util.decode64(answer.payload) };
      });
    }
    return fetch(form.dataset.requestUrl, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw { code: "network" }; }
      return r.arrayBuffer();
    }).then(function (buffer) { return { binary: toBinary(new Uint8Array(buffer)) }; });
  }

  function setup(form) {
    var status = form.querySelector("[data-eds-status]");
    var info = form.querySelector("[data-eds-cert]");
    var button = form.querySelector("button[type=submit]");
    var fileInput = form.querySelector("input[type=file]");
    var passwordInput = form.querySelector("input[type=password]");

    function show(text, working) {
      status.textContent = text;
      status.classList.toggle("working", !!working);
    }
    function fail(err) {
      var key = err && err.code ? "msg" + err.code.charAt(0).toUpperCase() + err.code.slice(1) : "";
      show((err && err.message) || form.dataset[key] || form.dataset.msgNetwork, false);
      form.dataset.sending = "";
      button.disabled = false;
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (form.dataset.sending === "1") { return; }  // double click: one signature, one post
      if (!fileInput.files.length) { fileInput.focus(); return; }
      form.dataset.sending = "1";
      button.disabled = true;
      show(form.dataset.msgWorking, true);
      var handle;
      readFile(fileInput.files[0]).then(function (bytes) {
        handle = openKeyFile(bytes, passwordInput.value);
        var who = describe(handle);
        info.hidden = false;
        info.textContent = form.dataset.msgCertificate + ": " + who.name +
          (who.organization ? ", " + who.organization : "") + (who.iin ? ", IIN " + who.iin : "") +
          (who.bin ? ", BIN " + who.bin : "");
        return bytesToSign(form);
      }).then(function (target) {
        var fields = { signature: signDetached(handle, target.binary) };
        if (target.challenge) { fields.challenge = target.challenge; }
        var next = form.querySelector("input[name=next]");
        if (next && next.value) { fields.next = next.value; }
        return post(form.action, form, fields);
      }).then(function (answer) {
        if (answer.ok) {
          show(form.dataset.msgWorking, true);
          window.location.assign(answer.redirect);
        } else {
          fail({ message: answer.message });
          status.dataset.code = answer.code || "";
        }
      }).catch(fail);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-eds-form]").forEach(setup);
  });
})();
