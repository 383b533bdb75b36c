/* qyzmet staff desk: the head signs the prepared result with the EDS key file in the browser
   (node-forge). The key file and its password never leave the page: the page fetches the
   exact bytes the server prepared, signs them as a detached CMS (CAdES-BES attributes) and
   posts only the signature. Uses the EDS module (window.QyzmetEds) when it is loaded. */
(function () {
  "use strict";

  function toBinary(bytes) {
    var out = "";
    for (var i = 0; i < bytes.length; i += 8192) {
      out += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
    }
    return out;
  }

  function readFile(file) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(new Uint8Array(reader.result)); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsArrayBuffer(file);
    });
  }

  /* The same three functions as the EDS module: loadKeyFile, describe, signDetached. */
  var local = {
    loadKeyFile: function (file, password) {
      return readFile(file).then(function (bytes) {
        var forge = window.forge, p12;
        try {
          p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(toBinary(bytes)), false, password);
        } catch (err) {
          throw { code: "password" };
        }
        var oids = forge.pki.oids;
        var keyBags = (p12.getBags({ bagType: oids.pkcs8ShroudedKeyBag })[oids.pkcs8ShroudedKeyBag] || [])
          .concat(p12.getBags({ bagType: oids.keyBag })[oids.keyBag] || []);
        var keyBag = keyBags.filter(function (b) { return b.key && b.key.n; })[0];
        if (!keyBag) { throw { code: "nokey" }; }
        var certificate = null;
        (p12.getBags({ bagType: oids.certBag })[oids.certBag] || []).forEach(function (bag) {
          if (bag.cert && bag.cert.publicKey && bag.cert.publicKey.n &&
              bag.cert.publicKey.n.equals(keyBag.key.n)) { certificate = bag.cert; }
        });
        if (!certificate) { throw { code: "nokey" }; }
        return { key: keyBag.key, certificate: certificate };
      });
    },
    describe: function (handle) {
      var subject = handle.certificate.subject;
      function field(oid) { var f = subject.getField({ type: oid }); return f ? f.value : ""; }
      function decode(v) { try { return window.forge.util.decodeUtf8(v); } catch (e) { return v; } }
      return {
        name: decode(field("2.5.4.3")),
        organization: decode(field("2.5.4.10")),
        iin: field("2.5.4.5").replace(/^IIN/, "")
      };
    },
    signDetached: function (handle, bytes) {
      var forge = window.forge;
      var p7 = forge.pkcs7.createSignedData();
      p7.content = forge.util.createBuffer(toBinary(bytes));
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
  };

  function eds() { return window.QyzmetEds || local; }

  function setup(form) {
    var status = form.querySelector("[data-eds-status]");
    var info = form.querySelector("[data-eds-cert]");
    var button = form.querySelector("button[type=submit]");
    var fileInput = form.querySelector("input[type=file]");
    var password = form.querySelector("input[type=password]");
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

    function show(text, working) {
      status.textContent = text;
      status.classList.toggle("working", !!working);
    }
    function fail(err) {
      var code = err && err.code ? err.code : "network";
      var key = "msg" + code.charAt(0).toUpperCase() + code.slice(1);
      show((err && err.message) || form.dataset[key] || form.dataset.msgNetwork, false);
      status.dataset.code = code;
      form.dataset.sending = "";
      button.disabled = false;
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (form.dataset.sending === "1") { return; }
      if (!fileInput.files.length) { fileInput.focus(); return; }
      form.dataset.sending = "1";
      button.disabled = true;
      show(form.dataset.msgWorking, true);
      var handle;
      eds().loadKeyFile(fileInput.files[0], password.value).then(function (h) {
        handle = h;
        var who = eds().describe(handle);
        info.hidden = false;
        info.textContent = form.dataset.msgCertificate + ": " + who.name +
          (who.organization ? ", " + who.organization : "") + (who.iin ? ", IIN " + who.iin : "");
        return fetch(form.dataset.contentUrl, { credentials: "same-origin" });
      }).then(function (response) {
        if (!response.ok) { throw { code: "network" }; }
        return response.arrayBuffer();
      }).then(function (buffer) {
        var body = new URLSearchParams();
        body.append("decision", form.querySelector("input[name=decision]").value);
        body.append("signature", eds().signDetached(handle, new Uint8Array(buffer)));
        return fetch(form.action, {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
          body: body
        });
      }).then(function (response) {
        return response.json();
      }).then(function (answer) {
        if (answer.ok) { window.location.assign(answer.redirect); return; }
        fail({ code: answer.code, message: answer.message });
      }).catch(fail);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-eds-sign]"), setup);
  });
})();
