package dev.vigil.bench;

import dev.vigil.probe.tls.CipherSuites;
import dev.vigil.probe.tls.TlsScanResult;
import dev.vigil.probe.tls.TlsScanner;
import dev.vigil.probe.tls.TlsTarget;
import dev.vigil.testsupport.BcTlsServer;
import dev.vigil.testsupport.NginxServer;
import dev.vigil.testsupport.OcspResponses;
import dev.vigil.testsupport.TestPki;
import dev.vigil.testsupport.TlsEndpoints;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolVersion;

/**
 * Full TLS enumeration of a lab of local endpoints like issue 18's — nginx from modern to {@code ALL:@SECLEVEL=0},
 * TLS 1.0/1.1-only, TLS 1.0-only, RSA 1024, SHA-1, expired, not yet valid, self-signed, wrong host, incomplete
 * chain, ECDSA P-384, RSA+ECDSA, TLS 1.3 with CCM and CCM-only, a plain-HTTP port; gnutls-serv with 3DES and with
 * RC4; Bouncy Castle servers stapling a revocation and offering post-quantum groups — Vigil's in-process scan
 * against {@code sslscan} (whole runs, as a user runs them), interleaved round by round so that load on a shared
 * machine hits both alike: per-endpoint medians, the ratio, Vigil's handshakes, and whether the protocol/suite sets
 * agree; then the median and the worst ratio. testssl.sh and nmap join with a second argument above 0 (slow: seconds
 * per endpoint). Run {@code bench/tls.sh [rounds] [testssl/nmap rounds]}.
 */
public final class TlsBenchmark {

    /** A peer scanner: the command for an endpoint, and how to read "protocol suite" pairs from its output. */
    record Peer(String name, Function<Endpoint, List<String>> command, Function<String, Set<String>> findings) {
    }

    /** @param host the name the scan asks for (SNI), which a wrong-host endpoint's certificate does not cover */
    record Endpoint(String name, int port, String host) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int slowRounds = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Path dir = Files.createTempDirectory("vigil-tls-bench");
        TestPki pki = new TestPki();
        Instant now = Instant.now();
        Instant from = now.minus(Duration.ofDays(1));
        Instant to = now.plus(Duration.ofDays(89));
        var rsa = pki.issue("site.test", List.of("site.test"), "RSA", 2048, from, to, null, false, null);
        var ec = pki.issue("site.test", List.of("site.test"), "EC", 256, from, to, null, false, null);
        var p384 = pki.issue("site.test", List.of("site.test"), "EC", 384, from, to, null, false, null);
        var rsa1024 = pki.issue("site.test", List.of("site.test"), "RSA", 1024, from, to, null, false, null);
        var sha1 = pki.leaf(List.of("site.test"), "RSA", 2048, "SHA1withRSA", from, to, null, false);
        var expired = pki.issue("site.test", List.of("site.test"), "RSA", 2048, now.minus(Duration.ofDays(100)),
                now.minus(Duration.ofDays(10)), null, false, null);
        var future = pki.issue("site.test", List.of("site.test"), "RSA", 2048, now.plus(Duration.ofDays(10)),
                now.plus(Duration.ofDays(100)), null, false, null);
        var self = TestPki.selfSigned("site.test");
        var other = pki.issue("other.test", List.of("other.test"), "RSA", 2048, from, to, null, false, null);
        var intermediate = pki.issue("Bench Intermediate", List.of(), "RSA", 2048, from, to, null, true, null);
        var behind = pki.issue("site.test", List.of("site.test"), "RSA", 2048, from, to, intermediate, false, null);
        Path crt = TestPki.writePem(dir.resolve("rsa.crt"), rsa.certificate());
        Path key = TestPki.writePem(dir.resolve("rsa.key"), rsa.key());
        Path ecCrt = TestPki.writePem(dir.resolve("ec.crt"), ec.certificate());
        Path ecKey = TestPki.writePem(dir.resolve("ec.key"), ec.key());
        String intermediateConfig = "    ssl_protocols TLSv1.2 TLSv1.3;\n    ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;";
        String weakAllowed = "    ssl_protocols TLSv1.2 TLSv1.3;\n    ssl_ciphers 'ECDHE+AESGCM:ECDHE+CHACHA20:@SECLEVEL=0';";
        List<Process> servers = new ArrayList<>();
        try (TlsEndpoints nginx = new TlsEndpoints(dir)) {
            List<Endpoint> endpoints = new ArrayList<>();
            Map<String, Object[]> sites = new LinkedHashMap<>();
            sites.put("modern", new Object[] {ecCrt, ecKey, "    ssl_protocols TLSv1.3;"});
            sites.put("intermediate", new Object[] {crt, key, intermediateConfig});
            sites.put("old-seclevel0", new Object[] {crt, key, "    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;\n"
                    + "    ssl_ciphers 'ALL:@SECLEVEL=0';\n    ssl_prefer_server_ciphers on;"});
            sites.put("tls1.0+1.1", new Object[] {crt, key, "    ssl_protocols TLSv1 TLSv1.1;\n"
                    + "    ssl_ciphers 'ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:AES128-SHA:AES256-SHA:CAMELLIA128-SHA:@SECLEVEL=0';"});
            sites.put("tls1.0", new Object[] {crt, key, "    ssl_protocols TLSv1;\n    ssl_ciphers 'AES128-SHA:AES256-SHA:@SECLEVEL=0';"});
            sites.put("rsa1024", new Object[] {pem(dir, "rsa1024.crt", rsa1024.certificate()), pem(dir, "rsa1024.key", rsa1024.key()), weakAllowed});
            sites.put("sha1", new Object[] {pem(dir, "sha1.crt", sha1.certificate()), pem(dir, "sha1.key", sha1.key()), weakAllowed});
            sites.put("expired", new Object[] {pem(dir, "expired.crt", expired.certificate()), pem(dir, "expired.key", expired.key()), intermediateConfig});
            sites.put("not-yet-valid", new Object[] {pem(dir, "future.crt", future.certificate()), pem(dir, "future.key", future.key()), intermediateConfig});
            sites.put("self-signed", new Object[] {pem(dir, "self.crt", self.certificate()), pem(dir, "self.key", self.key()), intermediateConfig});
            sites.put("wrong-host", new Object[] {pem(dir, "other.crt", other.certificate()), pem(dir, "other.key", other.key()), intermediateConfig});
            sites.put("incomplete-chain", new Object[] {pem(dir, "behind.crt", behind.certificate()), pem(dir, "behind.key", behind.key()), intermediateConfig});
            sites.put("ecdsa-p384", new Object[] {pem(dir, "p384.crt", p384.certificate()), pem(dir, "p384.key", p384.key()), intermediateConfig});
            sites.put("dual-rsa-ecdsa", new Object[] {crt, key, "    ssl_certificate " + ecCrt + ";\n    ssl_certificate_key " + ecKey + ";\n"
                    + intermediateConfig});
            sites.put("tls1.3+ccm", new Object[] {crt, key, "    ssl_protocols TLSv1.2 TLSv1.3;\n    ssl_conf_command Ciphersuites "
                    + "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256;"});
            sites.put("tls1.3-ccm-only", new Object[] {crt, key, "    ssl_protocols TLSv1.3;\n"
                    + "    ssl_conf_command Ciphersuites TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256;"});
            for (var site : sites.entrySet()) {
                Object[] v = site.getValue();
                TlsEndpoints.Endpoint e = nginx.add(site.getKey(), "site.test", (Path) v[0], (Path) v[1], (String) v[2]);
                // every scan asks for site.test: the wrong-host endpoint answers with other.test's certificate
                endpoints.add(new Endpoint(site.getKey(), e.port(), "site.test"));
            }
            endpoints.add(new Endpoint("plain-http", nginx.addPlain("plain-http").port(), "site.test"));
            // Debian's OpenSSL (so nginx) has no 3DES or RC4: those legacy endpoints are GnuTLS's server.
            int gnutls3des = NginxServer.freePort();
            servers.add(gnutls(dir, crt, key, gnutls3des, "NORMAL:-VERS-ALL:+VERS-TLS1.1:+VERS-TLS1.0:+3DES-CBC"));
            int gnutlsRc4 = NginxServer.freePort();
            servers.add(gnutls(dir, crt, key, gnutlsRc4, "NORMAL:+3DES-CBC:+ARCFOUR-128:-VERS-TLS1.3:+VERS-TLS1.0"));
            endpoints.add(new Endpoint("gnutls-3des", gnutls3des, "site.test"));
            endpoints.add(new Endpoint("gnutls-rc4", gnutlsRc4, "site.test"));
            // The Bouncy Castle servers run inside this JVM, so their handshakes (pure-Java signatures) are counted in
            // Vigil's time too; ECDSA keeps that share small, as nginx's own work is for nginx's endpoints.
            byte[] revoked = OcspResponses.response(ec.certificate(), pki.ca(), pki.caKey(), OcspResponses.Status.REVOKED,
                    now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(3)));
            try (BcTlsServer stapling = new BcTlsServer(new BcTlsServer.Settings(List.of(ec.certificate()), ec.key(),
                    new ProtocolVersion[] {ProtocolVersion.TLSv13, ProtocolVersion.TLSv12}, new int[] {NamedGroup.x25519, NamedGroup.secp256r1},
                    Optional.of(revoked)));
                    BcTlsServer pq = new BcTlsServer(new BcTlsServer.Settings(List.of(ec.certificate()), ec.key(),
                            new ProtocolVersion[] {ProtocolVersion.TLSv13}, new int[] {NamedGroup.X25519MLKEM768, NamedGroup.x25519,
                                    NamedGroup.secp256r1}, Optional.empty()))) {
                endpoints.add(new Endpoint("bc-revoked-stapled", stapling.port(), "site.test"));
                endpoints.add(new Endpoint("bc-pq-groups", pq.port(), "site.test"));
                nginx.start();
                awaitPort(gnutls3des);
                awaitPort(gnutlsRc4);
                List<X509Certificate> cas = List.of(pki.ca());
                run(endpoints, peers(dir, slowRounds > 0), rounds, slowRounds, warmup, cas);
            }
        } finally {
            for (Process p : servers) {
                p.destroy();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static Path pem(Path dir, String name, Object... objects) throws IOException {
        return TestPki.writePem(dir.resolve(name), objects);
    }

    private static Process gnutls(Path dir, Path crt, Path key, int port, String priority) throws IOException {
        return new ProcessBuilder("gnutls-serv", "--x509certfile", crt.toString(), "--x509keyfile", key.toString(), "-p",
                String.valueOf(port), "--priority", priority)
                .redirectErrorStream(true).redirectOutput(dir.resolve("gnutls-" + port + ".log").toFile()).start();
    }

    /**
     * @param warmup passes over every endpoint before timing: class loading and JIT are not what a long-running operator
     *     pays per scan, and the Bouncy Castle servers (in this JVM) are then warm for Vigil and the peers alike
     */
    static void run(List<Endpoint> endpoints, List<Peer> peers, int rounds, int slowRounds, int warmup, List<X509Certificate> cas)
            throws Exception {
        TlsScanner scanner = new TlsScanner(TlsScanner.Config.defaults().withExtraCas(cas));
        for (int pass = 0; pass < Math.max(1, warmup); pass++) {
            for (Endpoint e : endpoints) {
                scan(scanner, e);
            }
        }
        StringBuilder header = new StringBuilder(String.format("%-19s %9s %6s", "endpoint", "vigil ms", "hands"));
        peers.forEach(p -> header.append(String.format(" %11s %7s %5s", p.name() + " ms", "ratio", "agree")));
        System.out.println(header);
        List<String> disagreements = new ArrayList<>();
        List<Double> sslscanRatios = new ArrayList<>();
        String worst = "";
        double worstRatio = Double.MAX_VALUE;
        for (Endpoint e : endpoints) {
            List<Double> vigil = new ArrayList<>();
            Map<String, List<Double>> peerTimes = new LinkedHashMap<>();
            Map<String, String> peerOutput = new LinkedHashMap<>();
            TlsScanResult last = null;
            for (int i = 0; i < rounds; i++) {
                // interleaved: a load spike on the shared machine hits Vigil and the peers alike
                long t = System.nanoTime();
                last = scan(scanner, e);
                vigil.add((System.nanoTime() - t) / 1e6);
                for (Peer peer : peers) {
                    if (!peer.name().equals("sslscan") && i >= slowRounds) {
                        continue;
                    }
                    long p = System.nanoTime();
                    peerOutput.put(peer.name(), runCommand(peer.command().apply(e)));
                    peerTimes.computeIfAbsent(peer.name(), n -> new ArrayList<>()).add((System.nanoTime() - p) / 1e6);
                }
            }
            Set<String> ours = new TreeSet<>();
            last.protocols().forEach((proto, s) -> s.suites().forEach(c -> ours.add(proto.label() + " " + c)));
            double v = median(vigil);
            StringBuilder line = new StringBuilder(String.format("%-19s %9.1f %6d", e.name(), v, last.handshakes()));
            for (Peer peer : peers) {
                Set<String> theirs = peer.findings().apply(peerOutput.get(peer.name()));
                double m = median(peerTimes.get(peer.name()));
                line.append(String.format(" %11.1f %6.1fx %5s", m, m / v, ours.equals(theirs) ? "yes" : "NO"));
                if (!ours.equals(theirs)) {
                    disagreements.add(e.name() + " / " + peer.name() + ": only vigil " + minus(ours, theirs) + ", only "
                            + peer.name() + " " + minus(theirs, ours));
                }
                if (peer.name().equals("sslscan")) {
                    sslscanRatios.add(m / v);
                    if (m / v < worstRatio) {
                        worstRatio = m / v;
                        worst = e.name();
                    }
                }
            }
            System.out.println(line);
        }
        System.out.printf("vs sslscan over %d endpoints: median %.1fx, worst %.1fx (%s)%n", endpoints.size(), median(sslscanRatios),
                worstRatio, worst);
        System.out.printf("(vigil: median of %d in-process scans after %d warm-up passes over every endpoint; sslscan %d runs%s,"
                + " whole processes, interleaved with Vigil's)%n", rounds, Math.max(1, warmup), rounds,
                slowRounds > 0 ? ", testssl.sh and nmap " + slowRounds : "");
        disagreements.forEach(d -> System.out.println("  " + d));
    }

    static TlsScanResult scan(TlsScanner scanner, Endpoint e) throws IOException {
        return scanner.scan(new TlsTarget(e.host(), e.port(), Optional.of(InetAddress.getByName("127.0.0.1"))));
    }

    static List<Peer> peers(Path dir, boolean slowPeers) {
        Pattern sslscanCipher = Pattern.compile("<cipher status=\"\\w+\" sslversion=\"([^\"]+)\"[^>]*? id=\"0x([0-9A-Fa-f]+)\"");
        Peer sslscan = new Peer("sslscan", e -> List.of("sslscan", "--no-colour", "--xml=-", "--sni-name=" + e.host(),
                "127.0.0.1:" + e.port()), xml -> {
                    Set<String> found = new TreeSet<>();
                    Matcher m = sslscanCipher.matcher(xml);
                    while (m.find()) {
                        found.add(m.group(1).replace("TLSv1.0", "TLSv1") + " " + CipherSuites.name(Integer.parseInt(m.group(2), 16)));
                    }
                    return found;
                });
        Pattern testsslCipher = Pattern.compile("\"id\"\\s*:\\s*\"cipher-(ssl3|tls1(?:_[123])?)_x([0-9a-fA-F]+)\"");
        Map<String, String> testsslProtocols = Map.of("ssl3", "SSLv3", "tls1", "TLSv1", "tls1_1", "TLSv1.1", "tls1_2", "TLSv1.2",
                "tls1_3", "TLSv1.3");
        Peer testssl = new Peer("testssl", e -> {
            Path json = dir.resolve("testssl-" + System.nanoTime() + ".json");
            return List.of("sh", "-c", "testssl --quiet --color 0 --warnings off -E --jsonfile " + json + " --sneaky "
                    + "127.0.0.1:" + e.port() + " >/dev/null 2>&1; cat " + json);
        }, json -> {
            Set<String> found = new TreeSet<>();
            Matcher m = testsslCipher.matcher(json);
            while (m.find()) {
                found.add(testsslProtocols.get(m.group(1)) + " " + CipherSuites.name(Integer.parseInt(m.group(2), 16)));
            }
            return found;
        });
        Pattern nmapSection = Pattern.compile("<table key=\"(TLSv1\\.[0-3]|SSLv3)\">(.*?)(?=<table key=\"(?:TLSv1|SSLv3)|</script>)",
                Pattern.DOTALL);
        Pattern nmapName = Pattern.compile("<elem key=\"name\">([^<]+)</elem>");
        Peer nmap = new Peer("nmap", e -> List.of("nmap", "-Pn", "-n", "-p", String.valueOf(e.port()), "--script",
                "ssl-enum-ciphers", "--script-args", "tls.servername=site.test", "-oX", "-", "127.0.0.1"), xml -> {
                    Set<String> found = new TreeSet<>();
                    Matcher section = nmapSection.matcher(xml);
                    while (section.find()) {
                        String protocol = section.group(1).replace("TLSv1.0", "TLSv1");
                        Matcher name = nmapName.matcher(section.group(2));
                        while (name.find()) {
                            found.add(protocol + " " + name.group(1).replace("TLS_AKE_WITH_", "TLS_"));
                        }
                    }
                    return found;
                });
        return slowPeers ? List.of(sslscan, testssl, nmap) : List.of(sslscan);
    }

    static String runCommand(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    static void awaitPort(int port) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 100);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("gnutls-serv did not listen on " + port);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

}
