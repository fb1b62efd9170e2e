// One decryption by the npm sops-age library, timed: how long it takes to accept or reject a document.
// Usage: node sops-age-once.mjs AGE_KEY_FILE FILE TYPE   (TYPE: yaml | json | env)
// Prints {"ms": …, "outcome": "decrypted" | "rejected"}; the caller kills it when it runs too long.
import { readFileSync } from "node:fs";
import { decryptSops } from "sops-age";

const [keyFile, file, fileType] = process.argv.slice(2);
const secretKey = readFileSync(keyFile, "utf8").split("\n").find((l) => l.startsWith("AGE-SECRET-KEY-")).trim();
const doc = readFileSync(file, "utf8");
const start = process.hrtime.bigint();
let outcome = "decrypted";
try {
  await decryptSops(doc, { secretKey, fileType });
} catch (e) {
  outcome = "rejected";
}
console.log(JSON.stringify({ ms: Number(process.hrtime.bigint() - start) / 1e6, outcome }));
