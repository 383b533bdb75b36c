// Runs the browser module's GOST code (static/qyzmet/eds/gost.js) under Node for the test
// suite: node gost_runner.mjs MODULE < JSON — the request on standard input is {"streebog": [[hex, bits], ...],
// "sign": [{curve: {p, a, b, q, x, y}, d, e, k}]} with numbers as hex strings; prints one
// JSON line {"streebog": [hex, ...], "sign": [{r, s, qx, qy, verifies}]}.
import { pathToFileURL } from "node:url";

const [modulePath] = process.argv.slice(2);
const gost = await import(pathToFileURL(modulePath).href);
let request = "";
for await (const chunk of process.stdin) request += chunk;
const { streebog = [], sign = [] } = JSON.parse(request);
const big = (hex) => BigInt("0x" + hex);
const hex = (n) => n.toString(16);
const result = {
  streebog: streebog.map(([data, bits]) => Buffer.from(gost.streebog(Buffer.from(data, "hex"), bits)).toString("hex")),
  sign: sign.map(({ curve, d, e, k }) => {
    const c = gost.curve(Object.fromEntries(Object.entries(curve).map(([name, value]) => [name, big(value)])));
    const signature = gost.sign(c, big(d), big(e), k ? big(k) : null);
    const key = gost.publicKey(c, big(d));
    return {
      r: hex(signature.r),
      s: hex(signature.s),
      qx: hex(key.x),
      qy: hex(key.y),
      verifies: gost.verify(c, key, big(e), signature),
      tampered: gost.verify(c, key, big(e) + 1n, signature),
    };
  }),
};
process.stdout.write(JSON.stringify(result) + "\n");
