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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Time per Observatory scan (probe + grade) over the test nginx sites. Run {@code bench/headers.sh}. */
public final class HeaderScanBenchmark {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path dir = Files.createTempDirectory("vigil-bench");
        TestPki pki = new TestPki();
        try (NginxServer nginx = TestSites.start(dir, pki);
                HttpProber prober = new HttpProber(HttpProber.Config.defaults().withExtraCas(List.of(pki.ca())))) {
            List<Double> all = new ArrayList<>();
            System.out.printf("%-20s %8s %10s%n", "site", "grade", "median ms");
            for (TestSites.Expected site : TestSites.ALL) {
                List<Double> times = new ArrayList<>();
                String grade = "";
                for (int i = 0; i < rounds + 2; i++) {
                    long start = System.nanoTime();
                    var findings = prober.probe(new HttpTarget(site.host(), 443, "/", Optional.of(InetAddress.getByName("127.0.0.1")),
                            nginx.httpsPort(), nginx.httpPort()), Duration.ofSeconds(20));
                    grade = Observatory.grade(findings, ObservatoryAlgorithm.V4, HstsPreloadList.empty()).grade()
                            .map(Object::toString).orElse("none");
                    double ms = (System.nanoTime() - start) / 1e6;
                    if (i >= 2) {
                        times.add(ms);
                    }
                }
                Collections.sort(times);
                all.addAll(times);
                System.out.printf("%-20s %8s %10.1f%n", site.host(), grade, times.get(times.size() / 2));
            }
            Collections.sort(all);
            System.out.printf("%-20s %8s %10.1f%n", "all sites", "", all.get(all.size() / 2));
        }
    }
}
