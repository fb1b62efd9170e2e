package dev.vigil.bench;

import dev.vigil.grade.observatory.HstsPreloadList;
import dev.vigil.grade.observatory.Observatory;
import dev.vigil.grade.observatory.ObservatoryAlgorithm;
import dev.vigil.grade.observatory.ObservatoryResult;
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
 *
 * <p>Both sides are measured the same way: the first scan of each site in a fresh process is its cold time (class
 * loading and an unwarmed JIT: what a one-shot CLI run pays); then {@code warmup} passes over every site; then
 * {@code rounds} timed scans per site, whose median is the steady state an operator that probes all day runs in.
 * The goal of issue 18 (Vigil at most half MDN's time) is about the steady state; the cold line is printed beside it.
 */
public final class HeaderScanBenchmark {

    record PeerResult(String grade, Integer score, String error, double medianMs, double coldMs) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path peer = args.length > 1 && !args[1].isEmpty() ? Path.of(args[1]) : null;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        boolean withPeer = peer != null && Files.exists(peer.resolve("observatory.mjs"));
        Path dir = Files.createTempDirectory("vigil-bench");
        TestPki pki = new TestPki();
        Path ca = TestPki.writePem(dir.resolve("ca.pem"), pki.ca());
        NginxServer nginx = withPeer ? new NginxServer(dir, 80, 443) : new NginxServer(dir);
        nginx.start(TestSites.sites(dir, pki));
        try (nginx; HttpProber prober = new HttpProber(HttpProber.Config.defaults().withExtraCas(List.of(pki.ca())))) {
            Map<String, Double> cold = new HashMap<>();
            for (TestSites.Expected site : TestSites.ALL) {
                cold.put(site.host(), scanMillis(prober, site, nginx));
            }
            for (int pass = 0; pass < warmup; pass++) {
                for (TestSites.Expected site : TestSites.ALL) {
                    scanMillis(prober, site, nginx);
                }
            }
            Map<String, List<Double>> warm = new HashMap<>();
            Map<String, ObservatoryResult> results = new HashMap<>();
            for (TestSites.Expected site : TestSites.ALL) {
                List<Double> times = new ArrayList<>();
                for (int i = 0; i < rounds; i++) {
                    long start = System.nanoTime();
                    results.put(site.host(), scan(prober, site, nginx));
                    times.add((System.nanoTime() - start) / 1e6);
                }
                warm.put(site.host(), times);
            }
            // The peer runs after Vigil has finished, so neither competes with the other for the machine's cores.
            Map<String, PeerResult> observatory = withPeer ? observatory(peer, ca, rounds, warmup) : Map.of();
            report(rounds, warmup, cold, warm, results, observatory, withPeer);
        }
    }

    private static void report(int rounds, int warmup, Map<String, Double> cold, Map<String, List<Double>> warm,
            Map<String, ObservatoryResult> results, Map<String, PeerResult> observatory, boolean withPeer) {
        System.out.printf("%d timed scans per site after %d warm-up passes over every site; vigil/mdn is Vigil's share"
                + " of MDN's time (the goal is at most 0.5)%n", rounds, warmup);
        System.out.printf("%-22s %6s %5s %9s", "site", "grade", "score", "vigil ms");
        System.out.println(withPeer ? String.format(" %7s %5s %9s %9s %6s", "mdn", "score", "mdn ms", "vigil/mdn", "agree") : "");
        List<Double> all = new ArrayList<>();
        List<Double> peerAll = new ArrayList<>();
        List<Double> shares = new ArrayList<>();
        int agree = 0;
        for (TestSites.Expected site : TestSites.ALL) {
            double v = median(warm.get(site.host()));
            all.addAll(warm.get(site.host()));
            ObservatoryResult result = results.get(site.host());
            String grade = result.grade().map(Object::toString).orElse("-");
            String score = result.score().map(String::valueOf).orElse("-");
            System.out.printf("%-22s %6s %5s %9.1f", site.host(), grade, score, v);
            PeerResult p = observatory.get(site.host());
            if (p != null) {
                String theirs = p.grade() == null ? "-" : p.grade();
                boolean same = theirs.equals(grade) && String.valueOf(p.score() == null ? "-" : p.score()).equals(score);
                agree += same ? 1 : 0;
                peerAll.add(p.medianMs());
                shares.add(v / p.medianMs());
                System.out.printf(" %7s %5s %9.1f %9.2f %6s", theirs, p.score() == null ? "-" : p.score(), p.medianMs(),
                        v / p.medianMs(), same ? "yes" : "NO");
                if (p.error() != null) {
                    System.out.print("  (" + p.error() + ")");
                }
            }
            System.out.println();
        }
        System.out.printf("%-22s %6s %5s %9.1f", "median, all sites", "", "", median(all));
        System.out.println(withPeer ? String.format(" %7s %5s %9.1f %9.2f %3d/%d", "", "", median(peerAll),
                median(all) / median(peerAll), agree, TestSites.ALL.size()) : "");
        if (withPeer) {
            System.out.printf("%-22s %6s %5s %9s %7s %5s %9s %9.2f%n", "worst site", "", "", "", "", "", "",
                    Collections.max(shares));
        }
        List<Double> peerCold = observatory.values().stream().map(PeerResult::coldMs).toList();
        System.out.printf("%-22s %6s %5s %9.1f", "cold: first scan", "", "", median(new ArrayList<>(cold.values())));
        System.out.println(withPeer ? String.format(" %7s %5s %9.1f %9.2f", "", "", median(peerCold),
                median(new ArrayList<>(cold.values())) / median(peerCold)) : "");
    }

    private static ObservatoryResult scan(HttpProber prober, TestSites.Expected site, NginxServer nginx) throws Exception {
        return Observatory.grade(prober.probe(target(site, nginx), Duration.ofSeconds(20)), ObservatoryAlgorithm.V4,
                HstsPreloadList.empty());
    }

    private static double scanMillis(HttpProber prober, TestSites.Expected site, NginxServer nginx) throws Exception {
        long start = System.nanoTime();
        scan(prober, site, nginx);
        return (System.nanoTime() - start) / 1e6;
    }

    static HttpTarget target(TestSites.Expected site, NginxServer nginx) throws Exception {
        return new HttpTarget(site.host(), 443, "/", Optional.of(InetAddress.getByName("127.0.0.1")), nginx.httpsPort(),
                nginx.httpPort());
    }

    /** Runs the npm Observatory over every site in one node process (so its start-up is not counted per scan). */
    static Map<String, PeerResult> observatory(Path peer, Path ca, int rounds, int warmup) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", "observatory.mjs", String.valueOf(rounds), String.valueOf(warmup)));
        TestSites.ALL.forEach(s -> command.add(s.host()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(peer.toFile()).redirectErrorStream(true);
        builder.environment().put("NODE_EXTRA_CA_CERTS", ca.toAbsolutePath().toString());
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Map<String, PeerResult> results = new HashMap<>();
        Pattern line = Pattern.compile("\\{\"host\":\"([^\"]+)\",\"grade\":(?:\"([^\"]*)\"|null),\"score\":(-?\\d+|null),"
                + "\"error\":(?:\"((?:[^\"\\\\]|\\\\.)*)\"|null),\"medianMs\":([0-9.]+),\"coldMs\":([0-9.]+)\\}");
        Matcher m = line.matcher(out);
        while (m.find()) {
            results.put(m.group(1), new PeerResult(m.group(2), "null".equals(m.group(3)) ? null : Integer.valueOf(m.group(3)),
                    m.group(4), Double.parseDouble(m.group(5)), Double.parseDouble(m.group(6))));
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
