package dev.vigil.bench;

import dev.vigil.grade.observatory.HstsPreloadList;
import dev.vigil.grade.service.GradePolicy;
import dev.vigil.grade.service.ServiceGrader;
import dev.vigil.probe.AddressOrigin;
import dev.vigil.probe.AddressPolicy;
import dev.vigil.probe.AddressSource;
import dev.vigil.probe.ServiceEndpoint;
import dev.vigil.probe.ServiceFindings;
import dev.vigil.probe.ServiceProbe;
import dev.vigil.probe.Trust;
import dev.vigil.testsupport.NginxServer;
import dev.vigil.testsupport.TestPki;
import dev.vigil.testsupport.TestSites;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One full probing cycle (TLS enumeration + Observatory fetch + grading input) for N Ingress hosts
 * served by a local nginx, at a given concurrency, then the heap after a GC. Run {@code bench/cycle.sh N CONCURRENCY}.
 */
public final class BaselineCycleBenchmark {

    public static void main(String[] args) throws Exception {
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        Path dir = Files.createTempDirectory("vigil-cycle");
        TestPki pki = new TestPki();
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < services; i++) {
            hosts.add("svc-" + i + ".bench.test");
        }
        Path ca = TestPki.writePem(dir.resolve("ca.pem"), pki.ca());
        try (NginxServer nginx = new NginxServer(dir)) {
            nginx.start(List.of(TestSites.wildcard(dir, pki, "bench.test")));
            // nginx listens on 127.0.0.1, which the operator never probes: exempted here as the test profile does.
            ServiceProbe prober = new ServiceProbe(new ServiceProbe.Config(Trust.readPem(ca), AddressPolicy.of(
                    new AddressPolicy.Settings(List.of(), List.of(), List.of("127.0.0.0/8"), List.of()))));
            ServiceGrader grader = new ServiceGrader(HstsPreloadList.empty());
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            long start = System.nanoTime();
            List<Future<ServiceFindings>> results = new ArrayList<>();
            for (String host : hosts) {
                ServiceEndpoint target = new ServiceEndpoint(host, 443, "/", Optional.of("127.0.0.1"), nginx.httpsPort(),
                        nginx.httpPort(), new AddressSource(AddressOrigin.INGRESS, false));
                results.add(pool.submit(() -> prober.probe(target, Duration.ofSeconds(30))));
            }
            int graded = 0;
            for (Future<ServiceFindings> f : results) {
                ServiceFindings findings = f.get();
                if (grader.grade(findings, GradePolicy.defaults(), List.of(), findings.http().get().host(), java.time.Instant.now())
                        .grade().isPresent()) {
                    graded++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf("services=%d concurrency=%d graded=%d cycle=%.2fs per-service=%.1fms heap-after-gc=%.1fMiB%n",
                    services, concurrency, graded, seconds, seconds * 1000 / services, heap / 1048576.0);
            results.clear();
        }
        System.exit(0);
    }
}
