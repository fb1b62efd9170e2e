package dev.vigil.bench;

import dev.vigil.probe.tls.CipherSuites;
import dev.vigil.probe.tls.TlsScanResult;
import dev.vigil.probe.tls.TlsScanner;
import dev.vigil.probe.tls.TlsTarget;
import dev.vigil.testsupport.NginxServer;
import dev.vigil.testsupport.TestPki;
import dev.vigil.testsupport.TlsEndpoints;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * Full TLS enumeration of local endpoints per Mozilla level plus two legacy ones: Vigil's in-process
 * median against sslscan, testssl.sh and nmap's ssl-enum-ciphers (whole runs, as a user runs them),
 * and whether each peer's protocol/suite set agrees with Vigil's. Run {@code bench/tls.sh}.
 */
public final class TlsBenchmark {

    /** A peer scanner: the command for an endpoint, and how to read "protocol suite" pairs from its output. */
    record Peer(String name, Function<Integer, List<String>> command, Function<String, Set<String>> findings) {
    }

    record Endpoint(String name, int port) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int slowRounds = Math.min(rounds, args.length > 1 ? Integer.parseInt(args[1]) : 3);
        Path dir = Files.createTempDirectory("vigil-tls-bench");
        TestPki pki = new TestPki();
        var rsa = pki.leaf(List.of("site.test"));
        Path crt = TestPki.writePem(dir.resolve("c.pem"), rsa.certificate());
        Path key = TestPki.writePem(dir.resolve("k.pem"), rsa.key());
        int gnutlsPort = NginxServer.freePort();
        Process gnutls = new ProcessBuilder("gnutls-serv", "--x509certfile", crt.toString(), "--x509keyfile", key.toString(),
                "-p", String.valueOf(gnutlsPort), "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.1:+VERS-TLS1.0:+3DES-CBC")
                .redirectErrorStream(true).redirectOutput(dir.resolve("gnutls.log").toFile()).start();
        try (TlsEndpoints nginx = new TlsEndpoints(dir)) {
            List<Endpoint> endpoints = new ArrayList<>();
            for (TlsEndpoints.Endpoint e : List.of(
                    nginx.add("modern", "site.test", crt, key, "    ssl_protocols TLSv1.3;"),
                    nginx.add("intermediate", "site.test", crt, key, "    ssl_protocols TLSv1.2 TLSv1.3;\n    ssl_ciphers "
                            + "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305;"),
                    nginx.add("old", "site.test", crt, key, "    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;\n"
                            + "    ssl_ciphers 'ALL:@SECLEVEL=0';\n    ssl_prefer_server_ciphers on;"),
                    nginx.add("legacy", "site.test", crt, key, "    ssl_protocols TLSv1 TLSv1.1;\n"
                            + "    ssl_ciphers 'AES128-SHA:CAMELLIA128-SHA:@SECLEVEL=0';"))) {
                endpoints.add(new Endpoint(e.name(), e.port()));
            }
            // Debian's OpenSSL (so nginx) has no 3DES: the TLS 1.0/1.1 + 3DES endpoint is GnuTLS's server.
            endpoints.add(new Endpoint("legacy-3des", gnutlsPort));
            nginx.start();
            awaitPort(gnutlsPort);
            run(endpoints, peers(dir), rounds, slowRounds);
        } finally {
            gnutls.destroy();
            gnutls.waitFor(5, TimeUnit.SECONDS);
        }
    }

    static void run(List<Endpoint> endpoints, List<Peer> peers, int rounds, int slowRounds) throws Exception {
        TlsScanner scanner = new TlsScanner(TlsScanner.Config.defaults());
        StringBuilder header = new StringBuilder(String.format("%-13s %9s %6s", "endpoint", "vigil ms", "hands"));
        peers.forEach(p -> header.append(String.format(" %11s %7s %5s", p.name() + " ms", "ratio", "agree")));
        System.out.println(header.append(String.format(" %9s", "vs best")));
        List<String> disagreements = new ArrayList<>();
        for (Endpoint e : endpoints) {
            List<Double> vigil = new ArrayList<>();
            TlsScanResult last = null;
            for (int i = 0; i < rounds; i++) {
                long t = System.nanoTime();
                last = scanner.scan(new TlsTarget("site.test", e.port(), Optional.of(InetAddress.getByName("127.0.0.1"))));
                vigil.add((System.nanoTime() - t) / 1e6);
            }
            Set<String> ours = new TreeSet<>();
            last.protocols().forEach((proto, s) -> s.suites().forEach(c -> ours.add(proto.label() + " " + c)));
            double v = median(vigil);
            StringBuilder line = new StringBuilder(String.format("%-13s %9.1f %6d", e.name(), v, last.handshakes()));
            double best = Double.MAX_VALUE;
            for (Peer peer : peers) {
                List<Double> times = new ArrayList<>();
                String output = "";
                int n = peer.name().equals("sslscan") ? rounds : slowRounds;
                for (int i = 0; i < n; i++) {
                    long t = System.nanoTime();
                    output = runCommand(peer.command().apply(e.port()));
                    times.add((System.nanoTime() - t) / 1e6);
                }
                Set<String> theirs = peer.findings().apply(output);
                double m = median(times);
                best = Math.min(best, m);
                line.append(String.format(" %11.1f %6.1fx %5s", m, m / v, ours.equals(theirs) ? "yes" : "NO"));
                if (!ours.equals(theirs)) {
                    disagreements.add(e.name() + " / " + peer.name() + ": only vigil " + minus(ours, theirs) + ", only "
                            + peer.name() + " " + minus(theirs, ours));
                }
            }
            System.out.println(line.append(String.format(" %8.1fx", best / v)));
        }
        System.out.printf("(vigil: median of %d in-process scans; sslscan %d runs, testssl.sh and nmap %d runs each, "
                + "whole processes)%n", rounds, rounds, slowRounds);
        disagreements.forEach(d -> System.out.println("  " + d));
    }

    static List<Peer> peers(Path dir) {
        Pattern sslscanCipher = Pattern.compile("<cipher status=\"\\w+\" sslversion=\"([^\"]+)\"[^>]*? id=\"0x([0-9A-Fa-f]+)\"");
        Peer sslscan = new Peer("sslscan", port -> List.of("sslscan", "--no-colour", "--xml=-", "--sni-name=site.test",
                "127.0.0.1:" + port), xml -> {
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
        Peer testssl = new Peer("testssl", port -> {
            Path json = dir.resolve("testssl-" + System.nanoTime() + ".json");
            return List.of("sh", "-c", "testssl --quiet --color 0 --warnings off -E --jsonfile " + json + " --sneaky "
                    + "127.0.0.1:" + port + " >/dev/null 2>&1; cat " + json);
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
        Peer nmap = new Peer("nmap", port -> List.of("nmap", "-Pn", "-n", "-p", String.valueOf(port), "--script",
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
        return List.of(sslscan, testssl, nmap);
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
