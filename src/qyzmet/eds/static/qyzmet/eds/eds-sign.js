/**
 * qyzmet EDS signing module: open an NCA RK key file (PKCS#12) with its password in the
 * page, show whose key it is, and produce a CAdES-BES CMS signature over given bytes.
 * The private key never leaves the page: it is kept in a module-private WeakMap, never on
 * the handle, and nothing here sends anything anywhere.
 *
 * Keys: RSA (node-forge signs, SHA-256, PKCS#1 v1.5) and GOST 34.10-2015/512, the only
 * kind NCA issues since 28.04.2024 (GOST512_*.p12; ./gost.js signs, Streebog-512). node-forge
 * opens both kinds of file (3DES key bag, 40-bit RC2 certificate bag, SHA-1 MAC) but reads
 * neither the GOST key nor the GOST certificate: both are read here with forge.asn1.
 *
 * ES module, no build step, the same file in the browser and under Node:
 *   - browser: load node-forge first as a classic script (it sets globalThis.forge), e.g.
 *       <script src="{% url 'eds:forge' %}" nonce="..."></script>
 *       <script type="module" nonce="...">import * as eds from "{% static 'qyzmet/eds/eds-sign.js' %}"; ...</script>
 *     (/eds/vendor/node-forge/forge.min.js is served from the installed npm package;
 *     ./gost.js is a static file beside this one);
 *   - Node (the test suite, `npm run eds-sign`): when globalThis.forge is absent the module
 *     loads the node-forge npm package with createRequire, resolved from this file's
 *     location (the project's node_modules). useForge(lib) sets it explicitly.
 *
 * API
 *   await loadKeyFile(file: File|Blob|ArrayBuffer|Uint8Array, password) -> KeyHandle
 *   describe(handle) -> {iin, bin, commonName, surname, givenName, patronymic,
 *                        organization, email, holder, roles, purpose, notBefore, notAfter,
 *                        serial, issuer}
 *   signCms(handle, bytes: Uint8Array, {attached = false, purpose = "sign"}) -> Uint8Array
 *   signDetached(handle, bytes, {purpose = "sign"}) -> Uint8Array (DER CMS SignedData)
 *   certificateDer(handle) -> Uint8Array
 * ``purpose`` is what the signature is for: "sign" (a document, an application) refuses an
 * authentication key; "auth" (the portal's log-in and sign-up challenges) takes either.
 * Errors are EdsSignError with .code (the pages translate each one):
 *   wrong_password, no_key (no private key in the file), gost2004_key (a GOST 34.310-2004
 *   key: no longer issued, and none is still valid — NCA keys live a year), auth_key (an
 *   authentication key, EKU clientAuth only, used to sign), unsupported_algorithm,
 *   malformed, forge_missing.
 *
 * The profile rules are those of the Python side (qyzmet/eds/profile.py, EDS.md): every
 * subject field is read by OID; IIN from serialNumber "IIN…", BIN from OU "BIN…", the
 * patronymic from G (2.5.4.42), the given name from CN after the surname; holder, roles and
 * purpose from the extendedKeyUsage OIDs, with the older policy OIDs as a fallback.
 * Signed attributes (CAdES-BES; PAdES results need the ESS attribute, issue 10), in DER
 * order: contentType, signingTime, messageDigest and ESS signingCertificateV2 — RSA: SHA-256
 * (the ESS hash algorithm left out: its DEFAULT), signature sha256 + rsaEncryption
 * (PKCS#1 v1.5, node-forge's key); GOST: Streebog-512 for both; NCA's OIDs (digest
 * 1.2.398.3.10.1.3.3, signature 1.2.398.3.10.1.1.2.3.2) and byte order (the digest read
 * little-endian as the integer e; r and s each written little-endian in 64 bytes).
 */

import {
  TC26_512_A,
  bigIntToLittleEndian,
  littleEndianToBigInt,
  publicKey as gostPublicKey,
  sign as gostSign,
  streebog,
} from "./gost.js";

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
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  sha256: "2.16.840.1.101.3.4.2.1",
  rsaEncryption: "1.2.840.113549.1.1.1",
};
// NCA RK's GOST OIDs (EDS.md, "Algorithms").
const GOST = {
  key2004: "1.2.398.3.10.1.1.1.1",
  key2015_512: "1.2.398.3.10.1.1.2.2",
  signature2015_512: "1.2.398.3.10.1.1.2.3.2",
  streebog512: "1.2.398.3.10.1.3.3",
};
// Parameter sets of a GOST-2015/512 key this module signs with.
const GOST_CURVES = {
  "1.2.398.3.10.1.1.2.2.1": TC26_512_A, // NCA RK's name for it
  "1.2.643.7.1.2.1.2.1": TC26_512_A, // id-tc26-gost-3410-12-512-paramSetA
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
  const keyBags = [...bags(p12, oids.pkcs8ShroudedKeyBag), ...bags(p12, oids.keyBag)];
  if (!keyBags.length) throw new EdsSignError("no_key", "the file holds no private key");
  const certBags = bags(p12, oids.certBag);
  const rsaKey = keyBags.map((bag) => bag.key).find(Boolean);
  // node-forge parses RSA keys; any other key stays as its PrivateKeyInfo (bag.asn1).
  const secret = rsaKey ? openRsa(rsaKey, certBags) : openGost(keyBags.map((bag) => bag.asn1).find(Boolean), certBags);
  const handle = Object.freeze({ kind: "qyzmet-eds-key" });
  secrets.set(handle, secret);
  return handle;
}

function openRsa(key, certBags) {
  if (!key.n) throw new EdsSignError("unsupported_algorithm", "the key file's algorithm is not supported here");
  const certificates = certBags.map((bag) => bag.cert).filter(Boolean);
  const certificate = certificates.find(
    (cert) => cert.publicKey && cert.publicKey.n && cert.publicKey.n.equals(key.n),
  );
  if (!certificate) throw new EdsSignError("malformed", "no certificate for the key in the file");
  const chain = certificates.filter((cert) => cert !== certificate);
  // The certificates as written (readCertificate): the CMS carries their own bytes and the
  // ESS signing-certificate-v2 hashes the signer's exact DER.
  const rawOf = (cert) => {
    const bag = certBags.find((item) => item.cert === cert);
    if (bag && bag.asn1) return readCertificate(bag.asn1);
    return readCertificate(originalAsn1(cert));
  };
  const raw = rawOf(certificate);
  const rawChain = chain.map(rawOf);
  return {
    algorithm: "rsa",
    key,
    certificate,
    chain,
    raw,
    rawChain: raw && rawChain.every(Boolean) ? rawChain : null,
  };
}

/* A certificate node-forge parsed, as its issuer wrote it: node-forge keeps the TBSCertificate
 * as read (``tbsCertificate``) and the signature, so the original DER is put back together
 * (re-encoding from the parsed fields would change UTF8String names). RSA PKCS#1 v1.5
 * signature algorithms carry NULL parameters, as the demo and NCA CAs write them; anything
 * else → null (node-forge's own CMS is used then). */
function originalAsn1(cert) {
  const f = forge();
  const { asn1 } = f;
  const { Class, Type } = asn1;
  const pkcs1 = ["1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13"];
  if (!cert.tbsCertificate || !pkcs1.includes(cert.signatureOid)) return null;
  return asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, [
    cert.tbsCertificate,
    asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, [
      asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(cert.signatureOid).getBytes()),
      asn1.create(Class.UNIVERSAL, Type.NULL, false, ""),
    ]),
    asn1.create(Class.UNIVERSAL, Type.BITSTRING, false, String.fromCharCode(0) + cert.signature),
  ]);
}

/* A GOST PrivateKeyInfo: SEQUENCE { version, AlgorithmIdentifier { key OID, SEQUENCE {
 * parameter set OID, digest OID } }, OCTET STRING privateKey }. NCA's files put an OCTET
 * STRING of the 64-byte little-endian d inside privateKey (confirmed on the real test
 * files); RFC 9215 also allows an INTEGER, read big-endian. */
function openGost(info, certBags) {
  const f = forge();
  const { asn1 } = f;
  let keyOid;
  let parameterOid = null;
  let privateKey;
  try {
    const algorithm = info.value[1];
    keyOid = asn1.derToOid(algorithm.value[0].value);
    const parameters = algorithm.value[1];
    if (parameters && parameters.type === asn1.Type.SEQUENCE && parameters.value.length) {
      parameterOid = asn1.derToOid(parameters.value[0].value);
    }
    privateKey = info.value[2].value;
  } catch (error) {
    throw new EdsSignError("malformed", "the key in the file could not be read");
  }
  if (keyOid === GOST.key2004) {
    throw new EdsSignError(
      "gost2004_key",
      "a GOST 34.310-2004 key: NCA no longer issues such keys and none is still valid (NCA keys are valid for one year); use a current GOST 2015 key",
    );
  }
  const curve = GOST_CURVES[parameterOid];
  if (keyOid !== GOST.key2015_512 || !curve) {
    throw new EdsSignError("unsupported_algorithm", `key algorithm ${keyOid} (${parameterOid}) is not supported here`);
  }
  const d = gostScalar(privateKey, curve);
  const point = gostPublicKey(curve, d);
  const certificates = certBags
    .map((bag) => (bag.asn1 ? readCertificate(bag.asn1) : null))
    .filter(Boolean);
  const certificate = certificates.find((cert) => {
    const key = cert.gostKey;
    return key && key.x === point.x && key.y === point.y;
  });
  if (!certificate) throw new EdsSignError("malformed", "no certificate for the key in the file");
  const chain = certificates.filter((cert) => cert !== certificate);
  return { algorithm: "gost2015-512", d, curve, certificate, chain };
}

function gostScalar(privateKey, curve) {
  const { asn1 } = forge();
  let d = null;
  if (typeof privateKey === "string") {
    let inner = null;
    try {
      inner = asn1.fromDer(privateKey);
    } catch (error) {
      inner = null;
    }
    if (inner && inner.type === asn1.Type.OCTETSTRING && typeof inner.value === "string") {
      d = littleEndianToBigInt(fromBinaryString(inner.value));
    } else if (inner && inner.type === asn1.Type.INTEGER) {
      d = BigInt("0x" + (forgeHex(inner.value) || "0"));
    } else if (privateKey.length === 64) {
      d = littleEndianToBigInt(fromBinaryString(privateKey)); // a bare little-endian d
    }
  }
  if (d === null || d <= 0n || d >= curve.q) {
    throw new EdsSignError("malformed", "the GOST key in the file could not be read");
  }
  return d;
}

function forgeHex(binary) {
  return forge().util.bytesToHex(binary);
}

/* The parts of a certificate that describe() and the CMS need, read with forge.asn1 (node-forge's
 * certificateFromAsn1 stops at a key that is not RSA): the same shape as a forge certificate
 * (subject, issuer, extensions, validity, serialNumber) plus the original DER, the issuer
 * Name and serial as written, and the GOST public key point. */
function readCertificate(certAsn1) {
  const f = forge();
  const { asn1 } = f;
  try {
    const tbs = certAsn1.value[0];
    const hasVersion = tbs.value[0].tagClass === asn1.Class.CONTEXT_SPECIFIC;
    const at = (index) => tbs.value[index + (hasVersion ? 1 : 0)];
    const serial = at(0);
    const issuer = at(2);
    const times = at(3).value.map((node) =>
      node.type === asn1.Type.UTCTIME ? asn1.utcTimeToDate(node.value) : asn1.generalizedTimeToDate(node.value),
    );
    const subject = at(4);
    const extensionsNode = tbs.value.find(
      (node) => node.tagClass === asn1.Class.CONTEXT_SPECIFIC && node.type === 3,
    );
    return {
      der: fromBinaryString(asn1.toDer(certAsn1).getBytes()),
      subject: { attributes: f.pki.RDNAttributesAsArray(subject) },
      issuer: { attributes: f.pki.RDNAttributesAsArray(issuer) },
      issuerAsn1: issuer,
      serialAsn1: serial,
      serialNumber: forgeHex(serial.value),
      validity: { notBefore: times[0], notAfter: times[1] },
      extensions: extensionsNode ? f.pki.certificateExtensionsFromAsn1(extensionsNode) : [],
      gostKey: gostPoint(at(5)),
    };
  } catch (error) {
    return null; // not a certificate this module can read; the key's own is looked for
  }
}

/* SubjectPublicKeyInfo of a GOST-2015/512 key: a BIT STRING holding an OCTET STRING of X||Y,
 * each 64 bytes little-endian (NCA's order). null for any other key. */
function gostPoint(spki) {
  const { asn1 } = forge();
  if (asn1.derToOid(spki.value[0].value[0].value) !== GOST.key2015_512) return null;
  const bitString = spki.value[1];
  const contents = bitString.bitStringContents ?? bitString.value;
  const point = fromBinaryString(asn1.fromDer(contents.slice(1)).value);
  if (point.length !== 128) return null;
  return { x: littleEndianToBigInt(point.subarray(0, 64)), y: littleEndianToBigInt(point.subarray(64)) };
}

function classifyOpenError(error) {
  const text = String((error && error.message) || error);
  if (/password|MAC could not be verified/i.test(text)) {
    return new EdsSignError("wrong_password", "wrong password for the key file");
  }
  if (/Unknown OID|Unsupported|not supported/i.test(text)) {
    // an encryption node-forge does not know (PBES2 with a cipher it lacks, for example)
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
  if (certificate.der) return certificate.der.slice();
  return fromBinaryString(f.asn1.toDer(f.pki.certificateToAsn1(certificate)).getBytes());
}

/** A detached CMS SignedData (DER) over ``bytes`` with the handle's key. */
export function signDetached(handle, bytes, options = {}) {
  return signCms(handle, bytes, { ...options, attached: false });
}

/** A CAdES-BES CMS SignedData (DER) over ``bytes``: detached unless ``attached``. */
export function signCms(handle, bytes, { attached = false, purpose = "sign" } = {}) {
  const secret = secretOf(handle);
  if (!(bytes instanceof Uint8Array)) throw new EdsSignError("malformed", "expected a Uint8Array to sign");
  if (purpose !== "auth" && describe(handle).purpose === "auth") {
    throw new EdsSignError(
      "auth_key",
      "this is an authentication key (for logging in); sign with the signing key of your kit (its file is named GOST512_… or RSA256_…, not AUTH_…)",
    );
  }
  if (secret.algorithm === "gost2015-512") return signGost(secret, bytes, attached);
  return signRsa(secret, bytes, attached);
}

function signRsa({ key, certificate, chain, raw, rawChain }, bytes, attached) {
  const f = forge();
  if (!raw || !rawChain) return signRsaWithForge({ key, certificate, chain }, bytes, attached);
  const sha256 = (data) => {
    const md = f.md.sha256.create();
    md.update(toBinaryString(data));
    return fromBinaryString(md.digest().getBytes());
  };
  return cadesSignedData({
    certificate: raw,
    chain: rawChain,
    bytes,
    attached,
    digestOid: OID.sha256,
    signatureOid: OID.rsaEncryption,
    digest: sha256,
    essHashOid: null, // SHA-256: ESSCertIDv2's DEFAULT, so left out (DER)
    sign: (toSign) => {
      const md = f.md.sha256.create();
      md.update(toBinaryString(toSign));
      return fromBinaryString(key.sign(md)); // RSASSA-PKCS1-v1_5
    },
  });
}

/* A key file whose certificate bag node-forge gave no ASN.1 for: node-forge's own CMS
 * (contentType, messageDigest, signingTime; no ESS signing-certificate-v2). */
function signRsaWithForge({ key, certificate, chain }, bytes, attached) {
  const f = forge();
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
  signed.sign({ detached: !attached });
  const contentInfo = signed.toAsn1();
  useOriginalIssuer(contentInfo, certificate);
  return fromBinaryString(f.asn1.toDer(contentInfo).getBytes());
}

/* GOST 34.10-2015/512: Streebog-512 digests (also of the certificate in ESSCertIDv2), the
 * signature r || s, each 64 bytes little-endian; AlgorithmIdentifiers with NULL parameters,
 * as NCA writes them. */
function signGost({ d, curve, certificate, chain }, bytes, attached) {
  return cadesSignedData({
    certificate,
    chain,
    bytes,
    attached,
    digestOid: GOST.streebog512,
    signatureOid: GOST.signature2015_512,
    digest: streebog,
    essHashOid: GOST.streebog512,
    sign: (toSign) => {
      const e = littleEndianToBigInt(streebog(toSign));
      const { r, s } = gostSign(curve, d, e);
      const signature = new Uint8Array(128);
      signature.set(bigIntToLittleEndian(r, 64), 0);
      signature.set(bigIntToLittleEndian(s, 64), 64);
      return signature;
    },
  });
}

/* CAdES-BES, written with forge.asn1 (RFC 5652, RFC 5035): SignedData v1 { digestAlgorithms
 * {digest}, encapContentInfo {id-data [, content]}, certificates [0] {signer, chain},
 * signerInfos { v1, issuerAndSerialNumber (the certificate's own bytes), digest, signedAttrs
 * [0] (contentType, signingTime, messageDigest, ESS signingCertificateV2; in DER order),
 * signature algorithm, signature } }. ``certificate`` / ``chain``: readCertificate()'s
 * shape (der, issuerAsn1, serialAsn1). */
function cadesSignedData({ certificate, chain, bytes, attached, digestOid, signatureOid, digest, essHashOid, sign }) {
  const { asn1 } = forge();
  const { Class, Type } = asn1;
  const seq = (...items) => asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, items);
  const set = (...items) => asn1.create(Class.UNIVERSAL, Type.SET, true, items);
  const oid = (dotted) => asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(dotted).getBytes());
  const octets = (data) => asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, toBinaryString(data));
  const integer = (n) => asn1.create(Class.UNIVERSAL, Type.INTEGER, false, String.fromCharCode(n));
  const explicit = (tag, ...items) => asn1.create(Class.CONTEXT_SPECIFIC, tag, true, items);
  const attribute = (type, value) => seq(oid(type), set(value));
  // AlgorithmIdentifiers with NULL parameters (RFC 5754 allows it for SHA-2; NCA writes it)
  const algorithm = (dotted) => seq(oid(dotted), asn1.create(Class.UNIVERSAL, Type.NULL, false, ""));

  const certId = [octets(digest(certificate.der)), seq(seq(explicit(4, asn1.copy(certificate.issuerAsn1))), asn1.copy(certificate.serialAsn1))];
  const essCertId = essHashOid ? seq(algorithm(essHashOid), ...certId) : seq(...certId);
  const attributes = [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.signingTime, asn1.create(Class.UNIVERSAL, Type.UTCTIME, false, asn1.dateToUtcTime(new Date()))),
    attribute(OID.messageDigest, octets(digest(bytes))),
    attribute(OID.signingCertificateV2, seq(seq(essCertId))),
  ];
  // DER: a SET OF is sorted by the encodings of its elements; that exact SET is signed.
  const encoded = attributes.map((node) => ({ node, der: asn1.toDer(node).getBytes() }));
  encoded.sort((a, b) => compareDer(a.der, b.der));
  const signedAttrs = encoded.map((item) => item.node);
  const signature = sign(fromBinaryString(asn1.toDer(set(...signedAttrs)).getBytes()));

  const signerInfo = seq(
    integer(1),
    seq(asn1.copy(certificate.issuerAsn1), asn1.copy(certificate.serialAsn1)),
    algorithm(digestOid),
    asn1.create(Class.CONTEXT_SPECIFIC, 0, true, signedAttrs),
    algorithm(signatureOid),
    octets(signature),
  );
  const encapsulated = attached ? seq(oid(OID.data), explicit(0, octets(bytes))) : seq(oid(OID.data));
  const certificates = [certificate, ...chain].map((cert) => asn1.fromDer(toBinaryString(cert.der)));
  const signedData = seq(
    integer(1),
    set(algorithm(digestOid)),
    encapsulated,
    asn1.create(Class.CONTEXT_SPECIFIC, 0, true, certificates),
    set(signerInfo),
  );
  return fromBinaryString(asn1.toDer(seq(oid(OID.signedData), explicit(0, signedData))).getBytes());
}

/** X.690 §11.6: compare as octet strings, the shorter padded with zero octets. */
function compareDer(a, b) {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = i < a.length ? a.charCodeAt(i) : 0;
    const y = i < b.length ? b.charCodeAt(i) : 0;
    if (x !== y) return x - y;
  }
  return 0;
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
