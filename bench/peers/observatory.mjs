// Times MDN's HTTP Observatory (npm @mdn/mdn-http-observatory, used as a library) on local sites.
// Usage: node observatory.mjs ROUNDS WARMUP HOST...   Every *.test name resolves to 127.0.0.1 (the bench's nginx on
// :80/:443); NODE_EXTRA_CA_CERTS names the test CA. The first scan of each host is its cold time; then WARMUP passes
// over every host warm the JIT (as on the Java side), then ROUNDS timed scans per host. Prints one JSON line per host:
// grade, score, median milliseconds, cold milliseconds.
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

const [rounds, warmup, ...hosts] = process.argv.slice(2);

async function timed(host) {
  const start = process.hrtime.bigint();
  let result = null;
  let error = null;
  try {
    result = await scan(host);
  } catch (e) {
    error = String(e.message || e);
  }
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result, error };
}

const cold = {};
for (const host of hosts) {
  cold[host] = (await timed(host)).ms;
}
for (let pass = 0; pass < Number(warmup); pass++) {
  for (const host of hosts) {
    await timed(host);
  }
}
for (const host of hosts) {
  const times = [];
  let last = null;
  for (let i = 0; i < Number(rounds); i++) {
    last = await timed(host);
    times.push(last.ms);
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({
    host,
    grade: last.result ? last.result.scan.grade : null,
    score: last.result ? last.result.scan.score : null,
    error: last.error,
    medianMs: times[Math.floor(times.length / 2)],
    coldMs: cold[host],
  }));
}
