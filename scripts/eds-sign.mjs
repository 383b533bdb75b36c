// `npm run --silent eds-sign -- --key FILE --password P --in DATA --out SIG.der [--attached]`
// Signs DATA with the key file through the browser signing module itself
// (src/qyzmet/eds/static/qyzmet/eds/eds-sign.js): a CAdES-BES CMS, detached unless
// --attached, RSA or GOST 34.10-2015/512 as the key is. --purpose auth lets an
// authentication key sign a log-in challenge (default: sign, which refuses such a key).
// Exit status: 0 written; 1 the key file cannot sign (prints "<code>: <message>");
// 2 usage error.
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";

const USAGE =
  "usage: npm run --silent eds-sign -- --key FILE --password P --in DATA --out SIG.der [--attached] [--purpose sign|auth]";

let options;
try {
  ({ values: options } = parseArgs({
    options: {
      key: { type: "string" },
      password: { type: "string" },
      in: { type: "string" },
      out: { type: "string" },
      attached: { type: "boolean", default: false },
      purpose: { type: "string", default: "sign" },
    },
    strict: true,
  }));
} catch (error) {
  process.stderr.write(`eds-sign: ${error.message}\n${USAGE}\n`);
  process.exit(2);
}
const missing = ["key", "password", "in", "out"].filter((name) => options[name] === undefined);
if (missing.length || !["sign", "auth"].includes(options.purpose)) {
  process.stderr.write(`eds-sign: ${missing.length ? "missing --" + missing.join(", --") : "bad --purpose"}\n${USAGE}\n`);
  process.exit(2);
}

const eds = await import("../src/qyzmet/eds/static/qyzmet/eds/eds-sign.js");
let key;
let data;
try {
  [key, data] = await Promise.all([readFile(options.key), readFile(options.in)]);
} catch (error) {
  process.stderr.write(`eds-sign: ${error.message}\n`);
  process.exit(2);
}
try {
  const handle = await eds.loadKeyFile(new Uint8Array(key), options.password);
  const signature = eds.signCms(handle, new Uint8Array(data), {
    attached: options.attached,
    purpose: options.purpose,
  });
  eds.forget(handle);
  await writeFile(options.out, signature);
} catch (error) {
  if (!(error instanceof eds.EdsSignError)) throw error;
  process.stderr.write(`${error.code}: ${error.message}\n`);
  process.exit(1);
}
