/**
 * qyzmet EDS signing module: open an NCA RK key file (PKCS#12) with its password in the
 * page, show whose key it is, and produce a detached CMS signature over given bytes.
 * The private key never leaves the page: it is kept in a module-private WeakMap, never on
 * the handle, and nothing here sends anything anywhere.
 *
 * ES module, no build step, the same file in the browser and under Node:
 *   - browser: load node-forge first as a classic script (it sets globalThis.forge), e.g.
 *       <script src="{% url 'eds:forge' %}" nonce="..."></script>
 *       <script type="module" nonce="...">import * as eds from "{% static 'qyzmet/eds/eds-sign.js' %}"; ...</script>
 *     (/eds/vendor/node-forge/forge.min.js is served from the installed npm package);
 *   - Node (the test suite): when globalThis.forge is absent the module loads the
 *     node-forge npm package with createRequire, resolved from this file's location
 *     (the project's node_modules). useForge(lib) sets it explicitly.
 *
 * API
 *   await loadKeyFile(file: File|Blob|ArrayBuffer|Uint8Array, password) -> KeyHandle
 *   describe(handle) -> {iin, bin, commonName, surname, givenName, patronymic,
 *                        organization, email, holder, roles, purpose, notBefore, notAfter,
 *                        serial, issuer}
 *   signDetached(handle, bytes: Uint8Array) -> Uint8Array (DER CMS SignedData)
 *   certificateDer(handle) -> Uint8Array
 * Errors are EdsSignError with .code: wrong_password, no_key, malformed,
 * unsupported_algorithm, forge_missing.
 *
 * The profile rules are those of the Python side (qyzmet/eds/profile.py, EDS.md): every
 * subject field is read by OID; IIN from serialNumber "IIN…", BIN from OU "BIN…", the
 * patronymic from G (2.5.4.42), the given name from CN after the surname; holder, roles and
 * purpose from the extendedKeyUsage OIDs, with the older policy OIDs as a fallback.
 * Signed attributes: contentType, messageDigest (SHA-256), signingTime; RSA PKCS#1 v1.5.
 */

const OID = {
  commonName: "2.5.4.3",
  surname: "2.5.4.4",
  serialNumber: "2.5.4.5",
  organization: "2.5.4.10",
  organizationalUnit: "2.5.4.11",
  givenName: "2.5.4.42", // the patronymic in the NCA profile
  email: "1.2.840.113549.1.9.1",
  extKeyUsage: "2.5.29.37",
  certificatePolicies: "2.5.29.32",
  emailProtection: "1.3.6.1.5.5.7.3.4",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  individual: "1.2.398.3.3.4.1.1",
  legalEntity: "1.2.398.3.3.4.1.2",
};
const ROLE_OIDS = {
  "1.2.398.3.3.4.1.2.1": "first_head",
  "1.2.398.3.3.4.1.2.2": "signer",
  "1.2.398.3.3.4.1.2.3": "finance_signer",
  "1.2.398.3.3.4.1.2.4": "hr",
  "1.2.398.3.3.4.1.2.5": "employee",
};
const POLICY_HOLDER_PURPOSE = {
  "1.2.398.3.3.2.1": ["legal_entity", "sign"],
  "1.2.398.3.3.2.2": ["legal_entity", "auth"],
  "1.2.398.3.3.2.3": ["individual", "sign"],
  "1.2.398.3.3.2.4": ["individual", "auth"],
};
const MAX_KEY_FILE_BYTES = 1024 * 1024;

export class EdsSignError extends Error {
  constructor(code, message) {
    super(message || code);
    this.name = "EdsSignError";
    this.code = code;
  }
}

let forgeLib = globalThis.forge || null;
if (!forgeLib && typeof process !== "undefined" && process.versions && process.versions.node) {
  const { createRequire } = await import("node:module");
  forgeLib = createRequire(import.meta.url)("node-forge");
}

/** Use this node-forge instead of the one found at load time. */
export function useForge(lib) {
  forgeLib = lib;
}

function forge() {
  const lib = forgeLib || globalThis.forge;
  if (!lib) throw new EdsSignError("forge_missing", "node-forge is not loaded in this page");
  return lib;
}

// Secrets live here, keyed by the (frozen, key-less) handle the caller holds.
const secrets = new WeakMap();

async function toBytes(input) {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (input && typeof input.arrayBuffer === "function") return new Uint8Array(await input.arrayBuffer());
  throw new EdsSignError("malformed", "expected a File, Blob, ArrayBuffer or Uint8Array");
}

function toBinaryString(bytes) {
  let out = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return out;
}

function fromBinaryString(binary) {
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function bags(p12, type) {
  return p12.getBags({ bagType: type })[type] || [];
}

/** Open a PKCS#12 key file with its password; returns a handle for describe/sign. */
export async function loadKeyFile(file, password) {
  const f = forge();
  const bytes = await toBytes(file);
  if (!bytes.length || bytes.length > MAX_KEY_FILE_BYTES) {
    throw new EdsSignError("malformed", "not a key file (empty or too large)");
  }
  let asn1;
  try {
    asn1 = f.asn1.fromDer(toBinaryString(bytes));
  } catch (error) {
    throw new EdsSignError("malformed", "not a PKCS#12 key file");
  }
  let p12;
  try {
    // strict: the MAC is checked, which is what tells a wrong password from a bad file.
    p12 = f.pkcs12.pkcs12FromAsn1(asn1, true, String(password ?? ""));
  } catch (error) {
    throw classifyOpenError(error);
  }
  const oids = f.pki.oids;
  const keys = [...bags(p12, oids.pkcs8ShroudedKeyBag), ...bags(p12, oids.keyBag)];
  const key = keys.map((bag) => bag.key).find(Boolean);
  if (!keys.length) throw new EdsSignError("no_key", "the file holds no private key");
  if (!key || !key.n) {
    throw new EdsSignError("unsupported_algorithm", "only RSA key files can sign in the browser");
  }
  const certificates = bags(p12, oids.certBag).map((bag) => bag.cert).filter(Boolean);
  const certificate = certificates.find(
    (cert) => cert.publicKey && cert.publicKey.n && cert.publicKey.n.equals(key.n),
  );
  if (!certificate) throw new EdsSignError("malformed", "no certificate for the key in the file");
  const chain = certificates.filter((cert) => cert !== certificate);
  const handle = Object.freeze({ kind: "qyzmet-eds-key" });
  secrets.set(handle, { key, certificate, chain });
  return handle;
}

function classifyOpenError(error) {
  const text = String((error && error.message) || error);
  if (/password|MAC could not be verified/i.test(text)) {
    return new EdsSignError("wrong_password", "wrong password for the key file");
  }
  if (/Unknown OID|Unsupported|not supported/i.test(text)) {
    // GOST key files: node-forge reads no GOST keys (NCALayer signs with those).
    return new EdsSignError("unsupported_algorithm", "the key file's algorithm is not supported here");
  }
  return new EdsSignError("malformed", "the key file could not be read");
}

function secretOf(handle) {
  const secret = secrets.get(handle);
  if (!secret) throw new EdsSignError("no_key", "not a key handle from loadKeyFile");
  return secret;
}

function decodeValue(attribute) {
  const f = forge();
  const raw = attribute.value;
  if (typeof raw !== "string") return raw == null ? null : String(raw);
  if (attribute.valueTagClass === f.asn1.Type.BMPSTRING) {
    let out = "";
    for (let i = 0; i + 1 < raw.length; i += 2) out += String.fromCharCode((raw.charCodeAt(i) << 8) | raw.charCodeAt(i + 1));
    return out;
  }
  if (attribute.valueTagClass === f.asn1.Type.UTF8) {
    try {
      return f.util.decodeUtf8(raw);
    } catch (error) {
      return raw;
    }
  }
  return raw;
}

function nameAttribute(name, oid) {
  const found = name.attributes.find((attribute) => attribute.type === oid);
  return found ? decodeValue(found) : null;
}

function prefixedNumber(value, prefix) {
  if (!value) return null;
  const text = value.trim();
  if (!text.toUpperCase().startsWith(prefix)) return null;
  const digits = text.slice(prefix.length);
  return /^[0-9]{12}$/.test(digits) ? digits : null;
}

function extensionOids(certificate, extensionOid, pick) {
  const f = forge();
  const extension = certificate.extensions.find((ext) => ext.id === extensionOid);
  if (!extension) return [];
  try {
    return f.asn1.fromDer(extension.value).value.map((item) => f.asn1.derToOid(pick(item).value));
  } catch (error) {
    return [];
  }
}

function givenNameOf(commonName, surname) {
  if (!commonName) return null;
  if (surname && commonName.startsWith(surname + " ")) return commonName.slice(surname.length).trim() || null;
  const parts = commonName.trim().split(/\s+/);
  return parts.length >= 2 && surname ? parts.slice(1).join(" ") : null;
}

function isoUtc(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Whose key it is: the NCA profile of the key's certificate. */
export function describe(handle) {
  const { certificate } = secretOf(handle);
  const subject = certificate.subject;
  const commonName = nameAttribute(subject, OID.commonName);
  const surname = nameAttribute(subject, OID.surname);
  const eku = extensionOids(certificate, OID.extKeyUsage, (item) => item);
  // PolicyInformation ::= SEQUENCE { policyIdentifier, ... }
  const policies = extensionOids(certificate, OID.certificatePolicies, (item) => item.value[0]);
  let holder = eku.includes(OID.legalEntity) ? "legal_entity" : eku.includes(OID.individual) ? "individual" : null;
  let purpose = eku.includes(OID.emailProtection) ? "sign" : eku.includes(OID.clientAuth) ? "auth" : null;
  for (const policy of [...policies].sort()) {
    const fallback = POLICY_HOLDER_PURPOSE[policy];
    if (fallback) {
      holder = holder || fallback[0];
      purpose = purpose || fallback[1];
    }
  }
  return {
    iin: prefixedNumber(nameAttribute(subject, OID.serialNumber), "IIN"),
    bin: prefixedNumber(nameAttribute(subject, OID.organizationalUnit), "BIN"),
    commonName,
    surname,
    givenName: givenNameOf(commonName, surname),
    patronymic: nameAttribute(subject, OID.givenName),
    organization: nameAttribute(subject, OID.organization),
    email: nameAttribute(subject, OID.email),
    holder,
    roles: Object.keys(ROLE_OIDS).filter((oid) => eku.includes(oid)).map((oid) => ROLE_OIDS[oid]),
    purpose,
    notBefore: isoUtc(certificate.validity.notBefore),
    notAfter: isoUtc(certificate.validity.notAfter),
    serial: certificate.serialNumber.replace(/^0+(?=.)/, "").toLowerCase(),
    issuer: nameAttribute(certificate.issuer, OID.commonName),
  };
}

/** The DER of the key's certificate (to send with a sign-up, for example). */
export function certificateDer(handle) {
  const f = forge();
  const { certificate } = secretOf(handle);
  return fromBinaryString(f.asn1.toDer(f.pki.certificateToAsn1(certificate)).getBytes());
}

/** A detached CMS SignedData (DER) over ``bytes`` with the handle's key. */
export function signDetached(handle, bytes) {
  const f = forge();
  const { key, certificate, chain } = secretOf(handle);
  if (!(bytes instanceof Uint8Array)) throw new EdsSignError("malformed", "expected a Uint8Array to sign");
  const signed = f.pkcs7.createSignedData();
  signed.content = f.util.createBuffer(toBinaryString(bytes));
  signed.addCertificate(certificate);
  for (const other of chain) signed.addCertificate(other);
  signed.addSigner({
    key,
    certificate,
    digestAlgorithm: f.pki.oids.sha256,
    authenticatedAttributes: [
      { type: f.pki.oids.contentType, value: f.pki.oids.data },
      { type: f.pki.oids.messageDigest }, // computed by node-forge over the content
      { type: f.pki.oids.signingTime, value: new Date() },
    ],
  });
  signed.sign({ detached: true });
  const contentInfo = signed.toAsn1();
  useOriginalIssuer(contentInfo, certificate);
  return fromBinaryString(f.asn1.toDer(contentInfo).getBytes());
}

/* node-forge re-encodes the signer's issuer name for issuerAndSerialNumber from its parsed
 * attributes and UTF-8-encodes UTF8String values a second time: with a Kazakh CA name
 * ("ҰКО 3.0 …") the verifier would not find the signer. Put the certificate's own issuer
 * bytes there (they are outside the signed attributes, so the signature is unaffected). */
function useOriginalIssuer(contentInfo, certificate) {
  const f = forge();
  const tbs = certificate.tbsCertificate;
  if (!tbs) return;
  const hasVersion = tbs.value[0].tagClass === f.asn1.Class.CONTEXT_SPECIFIC;
  const issuer = tbs.value[hasVersion ? 3 : 2];
  const signedData = contentInfo.value[1].value[0];
  const signerInfos = signedData.value[signedData.value.length - 1];
  for (const signerInfo of signerInfos.value) {
    signerInfo.value[1].value[0] = f.asn1.copy(issuer);
  }
}

/** Forget the key (e.g. when the user leaves the signing step). */
export function forget(handle) {
  secrets.delete(handle);
}
