/**
 * qyzmet: sign with NCALayer, the NCA's desktop signer, over its WebSocket protocol
 * (../shared/domain/EDS.md, "NCALayer protocol"; the same requests as the public clients
 * sigex-kz/ncalayer-js-client and pkigovkz's example). The key never reaches the page:
 * NCALayer asks the person for it in its own window and hands back a CMS.
 *
 * Our own small client rather than ncalayer-js-client: that library probes KAZTOKEN's HTTP
 * API at https://127.0.0.1:24680/ on every connect, a second local address the page's CSP
 * does not allow (connect-src allows exactly QYZMET_NCALAYER_URL), and it has no connection
 * timeout.
 *
 * ES module, no build step:
 *   signCms(bytes: Uint8Array, {url, timeoutMs, purpose: "sign"|"auth", iin, bin, locale})
 *     -> Uint8Array (DER CMS SignedData, detached, over exactly `bytes`)
 *   settingsOf(element) -> the options above from the element's data-ncalayer-* attributes
 *   choiceIn(form) -> the page's wiring of the {% ncalayer_choice %} block, see below
 *   toBase64(bytes), fromBase64(text) -> the conversions the signing pages share
 * Errors are NCALayerFailure with .code:
 *   ncalayer_absent     no greeting from the URL within timeoutMs (not installed, not
 *                       running, or its certificate not trusted) — never a hang;
 *   ncalayer_cancelled  the person closed NCALayer's dialog;
 *   ncalayer_error      NCALayer answered with an error (.detail: its code and message),
 *                       or closed the connection before answering.
 *
 * The request is kz.gov.pki.knca.basics `sign`, format cms, data in base64 with
 * decode: true, encapsulate: false (a detached CMS, as the key-file route makes), and
 * signerParams: the key purpose's extendedKeyUsage (signing 1.3.6.1.5.5.7.3.4,
 * authentication 1.3.6.1.5.5.7.3.2) and, when known, the expected IIN/BIN — NCALayer then
 * offers only that person's keys. That filter is a convenience: the server checks the
 * signature, the certificate and the person as for any other route.
 */

const EKU = { sign: "1.3.6.1.5.5.7.3.4", auth: "1.3.6.1.5.5.7.3.2" };
const DEFAULT_TIMEOUT_MS = 5000;
const BASICS = "kz.gov.pki.knca.basics";

export class NCALayerFailure extends Error {
  constructor(code, detail) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = "NCALayerFailure";
    this.code = code;
    this.detail = detail || "";
  }
}

/** Base64 of bytes (the pages post signatures in base64). */
export function toBase64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
  }
  return btoa(binary);
}

export function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * One NCALayer session: open the socket, wait for the version greeting (at most timeoutMs),
 * then one request and its answer. Messages other than JSON objects (the echo of a
 * --heartbeat--) are skipped.
 */
function session(url, timeoutMs, request) {
  return new Promise((resolve, reject) => {
    let socket;
    let greeted = false;
    let settled = false;
    const finish = (outcome, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        socket.close();
      } catch (error) {
        /* already closed */
      }
      (outcome === "ok" ? resolve : reject)(value);
    };
    const timer = setTimeout(
      () => finish("fail", new NCALayerFailure("ncalayer_absent", "no greeting")),
      timeoutMs,
    );
    try {
      socket = new WebSocket(url);
    } catch (error) {
      finish("fail", new NCALayerFailure("ncalayer_absent", error.message));
      return;
    }
    socket.onerror = () => {
      finish("fail", new NCALayerFailure(greeted ? "ncalayer_error" : "ncalayer_absent", "connection failed"));
    };
    socket.onclose = () => {
      finish("fail", new NCALayerFailure(greeted ? "ncalayer_error" : "ncalayer_absent", "connection closed"));
    };
    socket.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        return; // "--heartbeat--"
      }
      if (!message || typeof message !== "object") return;
      if (!greeted) {
        if (!message.result || !message.result.version) {
          finish("fail", new NCALayerFailure("ncalayer_error", "unexpected greeting"));
          return;
        }
        greeted = true;
        clearTimeout(timer); // from here NCALayer's window is open: the person takes their time
        socket.send(JSON.stringify(request));
        return;
      }
      finish("ok", message);
    };
  });
}

export function settingsOf(element) {
  const data = element.dataset;
  return {
    url: data.ncalayerUrl,
    timeoutMs: Number(data.ncalayerTimeoutMs) || DEFAULT_TIMEOUT_MS,
    purpose: data.ncalayerPurpose || "sign",
    iin: data.ncalayerIin || "",
    bin: data.ncalayerBin || "",
    locale: (document.documentElement.lang || "ru").slice(0, 2),
  };
}

export async function signCms(bytes, options) {
  const { url, timeoutMs = DEFAULT_TIMEOUT_MS, purpose = "sign", iin, bin, locale = "ru" } = options;
  const signerParams = { extKeyUsageOids: [EKU[purpose] || EKU.sign] };
  if (iin) signerParams.iin = iin;
  if (bin) signerParams.bin = bin;
  const answer = await session(url, timeoutMs, {
    module: BASICS,
    method: "sign",
    args: {
      allowedStorages: null, // any: key file, ID card, Kaztoken…
      format: "cms",
      data: toBase64(bytes),
      signingParams: { decode: true, encapsulate: false, digested: false },
      signerParams,
      locale,
    },
  });
  if (!answer.status) {
    const detail = [answer.code, answer.message, answer.details].filter(Boolean).join(": ");
    throw new NCALayerFailure("ncalayer_error", detail);
  }
  if (!answer.body || !Object.prototype.hasOwnProperty.call(answer.body, "result")) {
    throw new NCALayerFailure("ncalayer_cancelled");
  }
  const result = Array.isArray(answer.body.result) ? answer.body.result[0] : answer.body.result;
  if (typeof result !== "string" || !result) {
    throw new NCALayerFailure("ncalayer_error", "no signature in the answer");
  }
  return fromBase64(result);
}

const MESSAGE_KEYS = {
  ncalayer_absent: "msgAbsent",
  ncalayer_cancelled: "msgCancelled",
};

/**
 * The NCALayer choice rendered in `form` by the {% ncalayer_choice %} template tag, or null:
 *   {button, working: the text to show while NCALayer's window is open,
 *    sign(bytes) -> signature, message(error) -> text for an NCALayerFailure, else null}
 */
export function choiceIn(form) {
  const box = form.querySelector("[data-ncalayer]");
  if (!box) return null;
  return {
    button: box.querySelector("[data-ncalayer-sign]"),
    working: box.dataset.msgWorking,
    sign: (bytes) => signCms(bytes, settingsOf(box)),
    message(error) {
      if (!(error instanceof NCALayerFailure)) return null;
      const key = MESSAGE_KEYS[error.code] || "msgError";
      return box.dataset[key] + (key === "msgError" && error.detail ? ` (${error.detail})` : "");
    },
  };
}
