package dev.vigil.bench;

import dev.vigil.probe.tls.CipherSuites;
import dev.vigil.probe.tls.TlsScanResult;
import dev.vigil.probe.tls.TlsScanner;
import dev.vigil.probe.tls.TlsTarget;
import dev.vigil.testsupport.TestPki;
import dev.vigil.testsupport.TlsEndpoints;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Full TLS enumeration of local nginx endpoints per Mozilla level plus a legacy one: Vigil's
 * in-process median vs sslscan's, and whether the protocol/suite sets agree. Run {@code bench/tls.sh}.
 */
public final class TlsBenchmark {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path dir = Files.createTempDirectory("vigil-tls-bench");
        TestPki pki = new TestPki();
        var rsa = pki.leaf(List.of("site.test"));
        Path crt = TestPki.writePem(dir.resolve("c.pem"), rsa.certificate());
        Path key = TestPki.writePem(dir.resolve("k.pem"), rsa.key());
        try (TlsEndpoints nginx = new TlsEndpoints(dir)) {
            List<TlsEndpoints.Endpoint> endpoints = List.of(
                    nginx.add("modern", "site.test", crt, key, "    ssl_protocols TLSv1.3;"),
                    nginx.add("intermediate", "site.test", crt, key, "    ssl_protocols TLSv1.2 TLSv1.3;\n    ssl_ciphers "
                            + "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305;"),
                    nginx.add("old", "site.test", crt, key, "    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;\n"
                            + "    ssl_ciphers 'ALL:@SECLEVEL=0';\n    ssl_prefer_server_ciphers on;"),
                    nginx.add("legacy", "site.test", crt, key, "    ssl_protocols TLSv1 TLSv1.1;\n"
                            + "    ssl_ciphers 'AES128-SHA:CAMELLIA128-SHA:@SECLEVEL=0';"));
            nginx.start();
            TlsScanner scanner = new TlsScanner(TlsScanner.Config.defaults());
            System.out.printf("%-14s %12s %12s %8s %11s %7s%n", "endpoint", "vigil ms", "sslscan ms", "ratio", "handshakes", "agree");
            for (TlsEndpoints.Endpoint e : endpoints) {
                List<Double> vigil = new ArrayList<>();
                List<Double> sslscan = new ArrayList<>();
                TlsScanResult last = null;
                String xml = "";
                for (int i = 0; i < rounds; i++) {
                    long t = System.nanoTime();
                    last = scanner.scan(new TlsTarget("site.test", e.port(), Optional.of(InetAddress.getByName("127.0.0.1"))));
                    vigil.add((System.nanoTime() - t) / 1e6);
                    t = System.nanoTime();
                    Process p = new ProcessBuilder("sslscan", "--no-colour", "--xml=-", "--sni-name=site.test",
                            "127.0.0.1:" + e.port()).redirectErrorStream(true).start();
                    xml = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    p.waitFor();
                    sslscan.add((System.nanoTime() - t) / 1e6);
                }
                Set<String> ours = new TreeSet<>();
                last.protocols().forEach((proto, s) -> s.suites().forEach(c -> ours.add(proto.label() + " " + c)));
                Set<String> theirs = new TreeSet<>();
                Matcher m = Pattern.compile("<cipher status=\"\\w+\" sslversion=\"([^\"]+)\"[^>]*? id=\"0x([0-9A-Fa-f]+)\"").matcher(xml);
                while (m.find()) {
                    theirs.add(m.group(1).replace("TLSv1.0", "TLSv1") + " " + CipherSuites.name(Integer.parseInt(m.group(2), 16)));
                }
                double v = median(vigil);
                double s = median(sslscan);
                System.out.printf("%-14s %12.1f %12.1f %8.1fx %11d %7s%n", e.name(), v, s, s / v, last.handshakes(),
                        ours.equals(theirs) ? "yes" : "NO");
                if (!ours.equals(theirs)) {
                    Set<String> onlyOurs = new TreeSet<>(ours);
                    onlyOurs.removeAll(theirs);
                    Set<String> onlyTheirs = new TreeSet<>(theirs);
                    onlyTheirs.removeAll(ours);
                    System.out.println("    only vigil: " + onlyOurs + "\n    only sslscan: " + onlyTheirs);
                }
            }
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

}
