package dev.vigil.bench;

import dev.vigil.grade.observatory.HstsPreloadList;
import dev.vigil.grade.observatory.Observatory;
import dev.vigil.grade.observatory.ObservatoryAlgorithm;
import dev.vigil.probe.http.HttpProber;
import dev.vigil.probe.http.HttpTarget;
import dev.vigil.testsupport.NginxServer;
import dev.vigil.testsupport.TestPki;
import dev.vigil.testsupport.TestSites;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time per Observatory scan (probe + grade) over the test nginx sites, and, when the npm peer is
 * installed (bench/headers.sh does it), MDN's HTTP Observatory run as a library against the same
 * sites: its median per site and whether the grades agree. The peer cannot be given a port, so
 * nginx then listens on 127.0.0.1:80 and :443 (run as root). Run {@code bench/headers.sh}.
 */
public final class HeaderScanBenchmark {

    record PeerResult(String grade, Integer score, String error, double medianMs) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path peer = args.length > 1 ? Path.of(args[1]) : null;
        boolean withPeer = peer != null && Files.exists(peer.resolve("observatory.mjs"));
        Path dir = Files.createTempDirectory("vigil-bench");
        TestPki pki = new TestPki();
        Path ca = TestPki.writePem(dir.resolve("ca.pem"), pki.ca());
        NginxServer nginx = withPeer ? new NginxServer(dir, 80, 443) : new NginxServer(dir);
        nginx.start(TestSites.sites(dir, pki));
        try (nginx; HttpProber prober = new HttpProber(HttpProber.Config.defaults().withExtraCas(List.of(pki.ca())))) {
            Map<String, PeerResult> observatory = withPeer ? observatory(peer, ca, rounds) : Map.of();
            List<Double> all = new ArrayList<>();
            List<Double> peerAll = new ArrayList<>();
            int agree = 0;
            System.out.printf("%-22s %6s %5s %9s", "site", "grade", "score", "vigil ms");
            System.out.println(withPeer ? String.format(" %7s %5s %9s %7s %6s", "mdn", "score", "mdn ms", "ratio", "agree") : "");
            for (TestSites.Expected site : TestSites.ALL) {
                List<Double> times = new ArrayList<>();
                var result = Observatory.grade(prober.probe(target(site, nginx), Duration.ofSeconds(20)), ObservatoryAlgorithm.V4,
                        HstsPreloadList.empty());
                for (int i = 0; i < rounds + 2; i++) {
                    long start = System.nanoTime();
                    result = Observatory.grade(prober.probe(target(site, nginx), Duration.ofSeconds(20)), ObservatoryAlgorithm.V4,
                            HstsPreloadList.empty());
                    if (i >= 2) {
                        times.add((System.nanoTime() - start) / 1e6);
                    }
                }
                double v = median(times);
                all.addAll(times);
                String grade = result.grade().map(Object::toString).orElse("-");
                String score = result.score().map(String::valueOf).orElse("-");
                System.out.printf("%-22s %6s %5s %9.1f", site.host(), grade, score, v);
                PeerResult p = observatory.get(site.host());
                if (p != null) {
                    String theirs = p.grade() == null ? "-" : p.grade();
                    boolean same = theirs.equals(grade) && String.valueOf(p.score() == null ? "-" : p.score()).equals(score);
                    agree += same ? 1 : 0;
                    peerAll.add(p.medianMs());
                    System.out.printf(" %7s %5s %9.1f %6.1fx %6s", theirs, p.score() == null ? "-" : p.score(), p.medianMs(),
                            p.medianMs() / v, same ? "yes" : "NO");
                    if (p.error() != null) {
                        System.out.print("  (" + p.error() + ")");
                    }
                }
                System.out.println();
            }
            System.out.printf("%-22s %6s %5s %9.1f", "median, all sites", "", "", median(all));
            System.out.println(withPeer ? String.format(" %7s %5s %9.1f %6.1fx %3d/%d", "", "", median(peerAll),
                    median(peerAll) / median(all), agree, TestSites.ALL.size()) : "");
        }
    }

    static HttpTarget target(TestSites.Expected site, NginxServer nginx) throws Exception {
        return new HttpTarget(site.host(), 443, "/", Optional.of(InetAddress.getByName("127.0.0.1")), nginx.httpsPort(),
                nginx.httpPort());
    }

    /** Runs the npm Observatory over every site in one node process (so its start-up is not counted per scan). */
    static Map<String, PeerResult> observatory(Path peer, Path ca, int rounds) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", "observatory.mjs", String.valueOf(rounds)));
        TestSites.ALL.forEach(s -> command.add(s.host()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(peer.toFile()).redirectErrorStream(true);
        builder.environment().put("NODE_EXTRA_CA_CERTS", ca.toAbsolutePath().toString());
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Map<String, PeerResult> results = new HashMap<>();
        Pattern line = Pattern.compile("\\{\"host\":\"([^\"]+)\",\"grade\":(?:\"([^\"]*)\"|null),\"score\":(-?\\d+|null),"
                + "\"error\":(?:\"((?:[^\"\\\\]|\\\\.)*)\"|null),\"medianMs\":([0-9.]+)\\}");
        Matcher m = line.matcher(out);
        while (m.find()) {
            results.put(m.group(1), new PeerResult(m.group(2), "null".equals(m.group(3)) ? null : Integer.valueOf(m.group(3)),
                    m.group(4), Double.parseDouble(m.group(5))));
        }
        if (results.isEmpty()) {
            System.out.println("the npm Observatory printed no results:\n" + out);
        }
        return results;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
