// Runs the browser signing module (static/qyzmet/eds/eds-sign.js) under Node for the test
// suite: the very file the page imports, with the node-forge npm package.
//   node test_browser_module_runner.mjs MODULE P12 PASSWORD [DATA OUT [OPTIONS_JSON]]
// Prints one JSON line: {"describe": {...}} or {"error": "<code>"}; with DATA and OUT it
// signs DATA's bytes and writes the CMS (DER) to OUT: detached, or as OPTIONS_JSON asks
// ({"attached": true, "purpose": "auth"}, signCms's options).
import { readFile, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";

const [modulePath, p12Path, password, dataPath, outPath, optionsJson] = process.argv.slice(2);
const eds = await import(pathToFileURL(modulePath).href);
try {
  const handle = await eds.loadKeyFile(new Uint8Array(await readFile(p12Path)), password);
  const result = { describe: eds.describe(handle), handleKeys: Object.keys(handle) };
  result.certificate = Buffer.from(eds.certificateDer(handle)).toString("base64");
  if (dataPath && outPath) {
    const data = new Uint8Array(await readFile(dataPath));
    const signature = optionsJson
      ? eds.signCms(handle, data, JSON.parse(optionsJson))
      : eds.signDetached(handle, data);
    await writeFile(outPath, signature);
    result.signatureBytes = signature.length;
  }
  process.stdout.write(JSON.stringify(result) + "\n");
} catch (error) {
  if (!(error instanceof eds.EdsSignError)) throw error;
  process.stdout.write(JSON.stringify({ error: error.code, message: error.message }) + "\n");
}
