/**
 * GOST cryptography for the browser signing module (eds-sign.js), in plain JavaScript with
 * no dependencies, the same file in the page and under Node:
 *   - Streebog, GOST R 34.11-2012 (RFC 6986), 256 and 512 bits;
 *   - the signature of GOST R 34.10-2012 (RFC 7091; in Kazakhstan GOST 34.10-2015) on a
 *     curve in short Weierstrass form, with BigInt arithmetic.
 *
 * Byte order: byte strings are in memory order, as OpenSSL's gost provider, gostcrypto and
 * every CMS carry them: the standards write a vector most significant byte first, so their
 * example message M1 ("0123…012") is written there as 0x3231…30 and its digest as the
 * reverse of what streebog() returns. Numbers (keys, e, r, s) are BigInts.
 *
 * Constants: the S-box π, the matrix A of the linear transform l and the twelve iteration
 * constants C are those of GOST R 34.11-2012 (C in memory order); the curve is
 * id-tc26-gost-3410-12-512-paramSetA (RFC 7836), which NCA RK names 1.2.398.3.10.1.1.2.2.1.
 * The tests check all of it against the standards' own examples (GOST R 34.11-2012 M1 and
 * M2 at both sizes, GOST R 34.10-2012 appendix A.2) and against real NCA test keys.
 *
 * The arithmetic is not constant-time (JavaScript's BigInt is not): it runs in the key
 * holder's own page on their own key, as node-forge's RSA does.
 */

// ---------------------------------------------------------------- Streebog (34.11-2012)

const PI = [
  252, 238, 221, 17, 207, 110, 49, 22, 251, 196, 250, 218, 35, 197, 4, 77,
  233, 119, 240, 219, 147, 46, 153, 186, 23, 54, 241, 187, 20, 205, 95, 193,
  249, 24, 101, 90, 226, 92, 239, 33, 129, 28, 60, 66, 139, 1, 142, 79,
  5, 132, 2, 174, 227, 106, 143, 160, 6, 11, 237, 152, 127, 212, 211, 31,
  235, 52, 44, 81, 234, 200, 72, 171, 242, 42, 104, 162, 253, 58, 206, 204,
  181, 112, 14, 86, 8, 12, 118, 18, 191, 114, 19, 71, 156, 183, 93, 135,
  21, 161, 150, 41, 16, 123, 154, 199, 243, 145, 120, 111, 157, 158, 178, 177,
  50, 117, 25, 61, 255, 53, 138, 126, 109, 84, 198, 128, 195, 189, 13, 87,
  223, 245, 36, 169, 62, 168, 67, 201, 215, 121, 214, 246, 124, 34, 185, 3,
  224, 15, 236, 222, 122, 148, 176, 188, 220, 232, 40, 80, 78, 51, 10, 74,
  167, 151, 96, 115, 30, 0, 98, 68, 26, 184, 56, 130, 100, 159, 38, 65,
  173, 69, 70, 146, 39, 94, 85, 47, 140, 163, 165, 125, 105, 213, 149, 59,
  7, 88, 179, 64, 134, 172, 29, 247, 48, 55, 107, 228, 136, 217, 231, 137,
  225, 27, 131, 73, 76, 63, 248, 254, 141, 83, 170, 144, 202, 216, 133, 97,
  32, 113, 103, 164, 45, 43, 9, 91, 203, 155, 37, 208, 190, 229, 108, 82,
  89, 166, 116, 210, 230, 244, 180, 192, 209, 102, 175, 194, 57, 75, 99, 182,
];

// Row i of the matrix A: l(b) = XOR of A[63 - i] over the set bits i of the 64-bit b.
const A = [
  "8e20faa72ba0b470", "47107ddd9b505a38", "ad08b0e0c3282d1c", "d8045870ef14980e",
  "6c022c38f90a4c07", "3601161cf205268d", "1b8e0b0e798c13c8", "83478b07b2468764",
  "a011d380818e8f40", "5086e740ce47c920", "2843fd2067adea10", "14aff010bdd87508",
  "0ad97808d06cb404", "05e23c0468365a02", "8c711e02341b2d01", "46b60f011a83988e",
  "90dab52a387ae76f", "486dd4151c3dfdb9", "24b86a840e90f0d2", "125c354207487869",
  "092e94218d243cba", "8a174a9ec8121e5d", "4585254f64090fa0", "accc9ca9328a8950",
  "9d4df05d5f661451", "c0a878a0a1330aa6", "60543c50de970553", "302a1e286fc58ca7",
  "18150f14b9ec46dd", "0c84890ad27623e0", "0642ca05693b9f70", "0321658cba93c138",
  "86275df09ce8aaa8", "439da0784e745554", "afc0503c273aa42a", "d960281e9d1d5215",
  "e230140fc0802984", "71180a8960409a42", "b60c05ca30204d21", "5b068c651810a89e",
  "456c34887a3805b9", "ac361a443d1c8cd2", "561b0d22900e4669", "2b838811480723ba",
  "9bcf4486248d9f5d", "c3e9224312c8c1a0", "effa11af0964ee50", "f97d86d98a327728",
  "e4fa2054a80b329c", "727d102a548b194e", "39b008152acb8227", "9258048415eb419d",
  "492c024284fbaec0", "aa16012142f35760", "550b8e9e21f7a530", "a48b474f9ef5dc18",
  "70a6a56e2440598e", "3853dc371220a247", "1ca76e95091051ad", "0edd37c48a08a6d8",
  "07e095624504536c", "8d70c431ac02a736", "c83862965601dd1b", "641c314b2b8ee083",
];

const C = [
  "0745a6f2596580dd234d74cc3674760515d360a4082a42a20169679291e07c4bfcc485758db84e7116d0452e43766a2f1f7c65c0812fcbebe9daca1eda5b08b1",
  "b79bb121700479e656cdcbd71ba2dd55caa70adbc261b55c5899d6126b17b59a3101b5160f5ed561982b230a72eafef3d7b5700f469de34f1a2f9da98ab5a36f",
  "b20aba0af5961e9931db7a8643f4b6c209db6260373ac9c1b19e3590e40fe2d37b7b29b11475eaf28b1f9c525f5ef10635843d6a28fc390ac72fce2bacdc74f5",
  "2ed1e384bcbe0c22f137e893a1ea5334be0352933313b7d875d603ed822cd7a93f355e68ad1c729d7d3c5c337e858e48dde4715da0e148f9d26615e8b3df1fef",
  "57fe6c7cfd581760f563eaa97ea2567a161a2723b700ffdfa3f53a254717cdbfbdff0f80d7359e354a1086161f1c157f6323a96c0c413f9a994747adac6bea4b",
  "6e7d64467a4068fa354f903672c571bfb6c6bec2661ff20ab4b79a1cb7a6facfc68ef09ab49a7f186ca44251f9c4662dc039307a3bc3a46fd9d33a1daeae4fae",
  "93d4143a4d568688f34a3ca24c45173504054a2883694706372c822dc5ab9209c9937a19333e47d3c987bfe6c7c69e39540924bffe86ac51ecc5aaee160ec7f4",
  "1ee702bfd40d7fa4d9a8515935c2ac362fc4a5d12b8dd16990069b92cb2b89f49ac4db4d3b44b4891ede369c71f8b74e41416e0c02aae703a7c9934d425b1f9b",
  "db5a238351446172602a1fcb92dc380e549c07a69a8a2b7bb1ceb2db0b440a8084090de0b755d93c244289251b3a7d3ade5f16ecd89a4c949b223116545a8f37",
  "ed9c4598fbc7b474c3b63b15d1fa9836f452763b306c1e7a4b3369af0267e79f0361331b8ae1ff1fdb788aff1ce74189f3f3e4b248e52a38526f0580a6debeab",
  "1b2df381cda4ca6b5dd86fc04a59a2de986e477d1dcdbaefcab948eaef711d8a79668414218001206107abebbb6bfad894fe5a63cdc60230fb89c8efd09ecd7b",
  "20d71bf14a92bc48991bb2d9d517f4fa5228e188aaa41de786cc91189def805d9b9f2130d41220f8771ddfbc323ca4cd7ab14904b08013d2ba3116f167e78e37",
];

function words(bytes, offset = 0) {
  // 64 bytes -> sixteen 32-bit little-endian limbs (limb 2j, 2j+1: low, high of word j)
  const out = new Uint32Array(16);
  for (let k = 0; k < 16; k++) {
    const i = offset + 4 * k;
    out[k] = (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0;
  }
  return out;
}

function wordBytes(limbs) {
  const out = new Uint8Array(64);
  for (let k = 0; k < 16; k++) {
    out[4 * k] = limbs[k] & 255;
    out[4 * k + 1] = (limbs[k] >>> 8) & 255;
    out[4 * k + 2] = (limbs[k] >>> 16) & 255;
    out[4 * k + 3] = limbs[k] >>> 24;
  }
  return out;
}

const C_WORDS = C.map((hex) => words(Uint8Array.from(hex.match(/../g), (h) => parseInt(h, 16))));

// LPS in one step: output word j = XOR over t of l(π(byte j of word t) placed at byte t),
// tabulated per byte position t and byte value (8 × 256 entries, low and high halves).
const LPS_LO = new Uint32Array(8 * 256);
const LPS_HI = new Uint32Array(8 * 256);
for (let t = 0; t < 8; t++) {
  for (let v = 0; v < 256; v++) {
    let lo = 0;
    let hi = 0;
    for (let u = 0; u < 8; u++) {
      if ((PI[v] >> u) & 1) {
        const row = A[63 - 8 * t - u];
        hi ^= parseInt(row.slice(0, 8), 16);
        lo ^= parseInt(row.slice(8), 16);
      }
    }
    LPS_LO[t * 256 + v] = lo >>> 0;
    LPS_HI[t * 256 + v] = hi >>> 0;
  }
}

const scratch = new Uint32Array(16);

/** out = LPS(a XOR b); out may be a or b. */
function xlps(a, b, out) {
  for (let k = 0; k < 16; k++) scratch[k] = a[k] ^ b[k];
  for (let j = 0; j < 8; j++) {
    const half = j >> 2;
    const shift = (j & 3) * 8;
    let lo = 0;
    let hi = 0;
    for (let t = 0; t < 8; t++) {
      const index = t * 256 + ((scratch[2 * t + half] >>> shift) & 255);
      lo ^= LPS_LO[index];
      hi ^= LPS_HI[index];
    }
    out[2 * j] = lo;
    out[2 * j + 1] = hi;
  }
}

/** The compression function g_N(h, m), written into h. */
function compress(h, n, m) {
  const key = new Uint32Array(16);
  const state = new Uint32Array(16);
  xlps(h, n, key);
  xlps(key, m, state);
  for (let i = 0; i < 11; i++) {
    xlps(key, C_WORDS[i], key);
    xlps(key, state, state);
  }
  xlps(key, C_WORDS[11], key);
  for (let k = 0; k < 16; k++) h[k] ^= state[k] ^ key[k] ^ m[k];
}

/** a = a + b mod 2^512 (little-endian 32-bit limbs). */
function add512(a, b) {
  let carry = 0;
  for (let k = 0; k < 16; k++) {
    const sum = a[k] + b[k] + carry;
    a[k] = sum >>> 0;
    carry = sum > 0xffffffff ? 1 : 0;
  }
}

const ZERO = new Uint32Array(16);

/** Streebog digest (GOST R 34.11-2012) of bytes: 64 bytes for bits 512, 32 for 256. */
export function streebog(bytes, bits = 512) {
  if (bits !== 512 && bits !== 256) throw new RangeError("Streebog has 256 or 512 bits");
  const h = new Uint32Array(16).fill(bits === 256 ? 0x01010101 : 0);
  const n = new Uint32Array(16);
  const sigma = new Uint32Array(16);
  const blockBits = new Uint32Array(16);
  blockBits[0] = 512;
  let offset = 0;
  for (; offset + 64 <= bytes.length; offset += 64) {
    const m = words(bytes, offset);
    compress(h, n, m);
    add512(n, blockBits);
    add512(sigma, m);
  }
  const rest = bytes.length - offset;
  const last = new Uint8Array(64);
  last.set(bytes.subarray(offset));
  last[rest] = 0x01;
  const m = words(last);
  compress(h, n, m);
  const restBits = new Uint32Array(16);
  restBits[0] = rest * 8;
  add512(n, restBits);
  add512(sigma, m);
  compress(h, ZERO, n);
  compress(h, ZERO, sigma);
  const out = wordBytes(h);
  return bits === 512 ? out : out.slice(32);
}

// ------------------------------------------------------- signature (34.10-2012/2015)

/** A curve y² = x³ + ax + b over F_p with a base point (x, y) of prime order q. */
export function curve({ p, a, b, q, x, y }) {
  const toBig = (value) => (typeof value === "bigint" ? value : BigInt(value));
  return Object.freeze({ p: toBig(p), a: toBig(a), b: toBig(b), q: toBig(q), x: toBig(x), y: toBig(y) });
}

/** id-tc26-gost-3410-12-512-paramSetA (RFC 7836): NCA RK's 1.2.398.3.10.1.1.2.2.1. */
export const TC26_512_A = curve({
  p: "0x" + "f".repeat(125) + "dc7",
  a: "0x" + "f".repeat(125) + "dc4",
  b: "0xe8c2505dedfc86ddc1bd0b2b6667f1da34b82574761cb0e879bd081cfd0b6265ee3cb090f30d27614cb4574010da90dd862ef9d4ebee4761503190785a71c760",
  q: "0x" + "f".repeat(64) + "27e69532f48d89116ff22b8d4e0560609b4b38abfad2b85dcacdb1411f10b275",
  x: 3n,
  y: "0x7503cfe87a836ae3a61b8816e25450e6ce5e1c93acf1abc1778064fdcbefa921df1626be4fd036e93d75e6a50e3a41e98028fe5fc235f5b889a589cb5215f2a4",
});

function mod(value, m) {
  const r = value % m;
  return r < 0n ? r + m : r;
}

function inverse(value, m) {
  let [a, b] = [mod(value, m), m];
  let [x0, x1] = [1n, 0n];
  while (b !== 0n) {
    const quotient = a / b;
    [a, b] = [b, a - quotient * b];
    [x0, x1] = [x1, x0 - quotient * x1];
  }
  if (a !== 1n) throw new RangeError("not invertible");
  return mod(x0, m);
}

// Jacobian coordinates (X, Y, Z) for x = X/Z², y = Y/Z³; Z = 0 is the point at infinity.
function double(c, [X, Y, Z]) {
  const p = c.p;
  if (Z === 0n || Y === 0n) return [1n, 1n, 0n];
  const yy = (Y * Y) % p;
  const zz = (Z * Z) % p;
  const s = (4n * X * yy) % p;
  const m = (3n * X * X + c.a * ((zz * zz) % p)) % p;
  const x3 = mod(m * m - 2n * s, p);
  const y3 = mod(m * (s - x3) - 8n * ((yy * yy) % p), p);
  return [x3, y3, (2n * Y * Z) % p];
}

/** Jacobian point + affine point (x2, y2). */
function addAffine(c, point, x2, y2) {
  const p = c.p;
  const [X, Y, Z] = point;
  if (Z === 0n) return [x2, y2, 1n];
  const zz = (Z * Z) % p;
  const u2 = (x2 * zz) % p;
  const s2 = (((y2 * Z) % p) * zz) % p;
  const h = mod(u2 - X, p);
  const r = mod(s2 - Y, p);
  if (h === 0n) return r === 0n ? double(c, point) : [1n, 1n, 0n];
  const hh = (h * h) % p;
  const hhh = (h * hh) % p;
  const v = (X * hh) % p;
  const x3 = mod(r * r - hhh - 2n * v, p);
  const y3 = mod(r * (v - x3) - Y * hhh, p);
  return [x3, y3, (Z * h) % p];
}

function toAffine(c, [X, Y, Z]) {
  if (Z === 0n) throw new RangeError("the point at infinity");
  const zi = inverse(Z, c.p);
  const zi2 = (zi * zi) % c.p;
  return { x: (X * zi2) % c.p, y: (((Y * zi2) % c.p) * zi) % c.p };
}

/** k·(x, y) for an affine point (the base point by default). */
export function multiply(c, k, x = c.x, y = c.y) {
  let point = [1n, 1n, 0n];
  for (let bit = BigInt(k.toString(2).length) - 1n; bit >= 0n; bit--) {
    point = double(c, point);
    if ((k >> bit) & 1n) point = addAffine(c, point, x, y);
  }
  return toAffine(c, point);
}

/** The public key Q = d·P of the private key d. */
export function publicKey(c, d) {
  return multiply(c, d);
}

function randomBelow(q) {
  // 16 bytes more than q has: the bias of the reduction is below 2^-128.
  const size = Math.ceil(q.toString(16).length / 2) + 16;
  const bytes = new Uint8Array(size);
  globalThis.crypto.getRandomValues(bytes);
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value % q;
}

/** GOST R 34.10-2012 §6.1: the signature (r, s) of the digest's integer e with key d.
 *  k is the per-signature secret, random unless given (the tests give the standard's). */
export function sign(c, d, e, k = null) {
  let alpha = mod(e, c.q);
  if (alpha === 0n) alpha = 1n;
  for (;;) {
    const secret = k ?? 1n + randomBelow(c.q - 1n);
    const r = multiply(c, secret).x % c.q;
    const s = (r * d + secret * alpha) % c.q;
    if (r !== 0n && s !== 0n) return { r, s };
    if (k !== null) throw new RangeError("this k gives a zero r or s");
  }
}

/** GOST R 34.10-2012 §6.2: does (r, s) sign e under the public key q? */
export function verify(c, key, e, { r, s }) {
  if (r <= 0n || r >= c.q || s <= 0n || s >= c.q) return false;
  let alpha = mod(e, c.q);
  if (alpha === 0n) alpha = 1n;
  const v = inverse(alpha, c.q);
  const z1 = (s * v) % c.q;
  const z2 = mod(-r * v, c.q);
  const left = multiply(c, z1);
  const right = multiply(c, z2, key.x, key.y);
  const sum = toAffine(c, addAffine(c, [left.x, left.y, 1n], right.x, right.y));
  return sum.x % c.q === r;
}

// ------------------------------------------------------------------ byte helpers

/** The integer whose little-endian bytes these are (NCA's order for keys and digests). */
export function littleEndianToBigInt(bytes) {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  return value;
}

/** size bytes, little-endian. */
export function bigIntToLittleEndian(value, size) {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    out[i] = Number(value & 255n);
    value >>= 8n;
  }
  if (value !== 0n) throw new RangeError("the number does not fit");
  return out;
}
