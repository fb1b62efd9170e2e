// Times MDN's HTTP Observatory (npm @mdn/mdn-http-observatory, used as a library) on local sites.
// Usage: node observatory.mjs ROUNDS HOST...   Every *.test name resolves to 127.0.0.1 (the bench's nginx on :80/:443);
// NODE_EXTRA_CA_CERTS names the test CA. Prints one JSON line per host: grade, score, median milliseconds.
import dns from "node:dns";
import { scan } from "@mdn/mdn-http-observatory";

const lookup = dns.lookup;
dns.lookup = (hostname, options, callback) => {
  if (typeof options === "function") {
    callback = options;
    options = {};
  }
  if (!hostname.endsWith(".test")) {
    return lookup(hostname, options, callback);
  }
  return options && options.all
    ? callback(null, [{ address: "127.0.0.1", family: 4 }])
    : callback(null, "127.0.0.1", 4);
};

const [rounds, ...hosts] = process.argv.slice(2);
for (const host of hosts) {
  const times = [];
  let result = null;
  let error = null;
  for (let i = 0; i < Number(rounds) + 2; i++) {
    const start = process.hrtime.bigint();
    try {
      result = await scan(host);
    } catch (e) {
      error = String(e.message || e);
    }
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (i >= 2) times.push(ms); // the first two warm the JIT, as on the Java side
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({
    host,
    grade: result ? result.scan.grade : null,
    score: result ? result.scan.score : null,
    error,
    medianMs: times[Math.floor(times.length / 2)],
  }));
}
