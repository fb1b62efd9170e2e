// Decryption throughput of the npm sops-age library on the same age-encrypted files Vigil's benchmark reads.
// Usage: node sops-age.mjs SECONDS AGE_KEY_FILE LABEL=FILE=TYPE...   (TYPE: yaml | json | env)
// Prints one JSON line per document: documents/s, MB/s and how many top-level keys came out, or the error.
import { readFileSync } from "node:fs";
import { decryptSops } from "sops-age";

const [seconds, keyFile, ...cases] = process.argv.slice(2);
const secretKey = readFileSync(keyFile, "utf8").split("\n").find((l) => l.startsWith("AGE-SECRET-KEY-")).trim();
for (const c of cases) {
  const [label, file, fileType] = c.split("=");
  const doc = readFileSync(file, "utf8");
  let out;
  try {
    out = await decryptSops(doc, { secretKey, fileType });
  } catch (e) {
    console.log(JSON.stringify({ label, error: String(e.message || e) }));
    continue;
  }
  for (let i = 0; i < 20; i++) out = await decryptSops(doc, { secretKey, fileType });
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(Number(seconds) * 1e9));
  let n = 0;
  while (process.hrtime.bigint() < deadline) {
    out = await decryptSops(doc, { secretKey, fileType });
    n++;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  const bytes = Buffer.byteLength(doc);
  console.log(JSON.stringify({ label, bytes, docsPerSec: n / elapsed, mbPerSec: (n * bytes) / elapsed / 1e6,
    keys: Object.keys(out || {}).length }));
}
