package dev.vigil.it;

import dev.vigil.baseline.Connect;
import dev.vigil.baseline.Requirements;
import dev.vigil.baseline.Schedule;
import dev.vigil.baseline.SecurityBaseline;
import dev.vigil.baseline.SecurityBaselineSpec;
import dev.vigil.kube.Conditions;
import dev.vigil.secrets.SealedSecret;
import dev.vigil.testsupport.Fixtures;
import dev.vigil.testsupport.NginxServer;
import dev.vigil.testsupport.TestPki;
import dev.vigil.testsupport.TestSites;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The packaged operator at scale on the CRUD mock API server: N Ingresses (hosts served by a local
 * nginx) graded by one SecurityBaseline at each given probe concurrency, a fresh operator process
 * each time, then N SealedSecrets turned into Secrets. Prints the cycle time, the heap after a full
 * GC, the process RSS, and SealedSecret-to-Secret latency percentiles.
 * Run {@code bench/operator.sh [N] [concurrency...]}.
 */
public final class OperatorScaleBenchmark {

    static final Logger QUIET = Logger.getLogger("io.fabric8.mockwebserver");

    public static void main(String[] args) throws Exception {
        QUIET.setLevel(Level.WARNING);
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        List<Integer> concurrencies = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            concurrencies.add(Integer.parseInt(args[i]));
        }
        if (concurrencies.isEmpty()) {
            concurrencies = List.of(16, 64, 256);
        }
        Path dir = OperatorProcess.logDirectory("scale");
        TestPki pki = new TestPki();
        Path ca = TestPki.writePem(dir.resolve("ca.pem"), pki.ca());
        try (NginxServer nginx = new NginxServer(dir); ApiServer api = new ApiServer()) {
            nginx.start(List.of(TestSites.wildcard(dir, pki, "scale.test")));
            Cluster cluster = new Cluster(api.client());
            cluster.namespace("scale");
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                ingress(cluster.client(), "svc-" + i);
            }
            System.out.printf("%d Ingresses created in %.1f s%n%n", n, (System.nanoTime() - t) / 1e9);
            System.out.printf("%-12s %12s %14s %10s %12s %9s%n", "concurrency", "cycle s", "heap after GC", "RSS", "status bytes",
                    "graded");
            for (int concurrency : concurrencies) {
                try (OperatorProcess operator = OperatorProcess.start("operator-c" + concurrency, api.port(), dir,
                        Map.of("vigil.baselines.concurrency", String.valueOf(concurrency), "vigil.baselines.ca-bundles", ca.toString()))) {
                    long start = System.nanoTime();
                    baseline(cluster.client(), "scale-c" + concurrency, nginx);
                    SecurityBaseline done = awaitGraded(cluster.client(), "scale-c" + concurrency, n);
                    double cycle = (System.nanoTime() - start) / 1e9;
                    int statusBytes = done == null ? 0
                            : io.fabric8.kubernetes.client.utils.Serialization.asJson(done.getStatus()).length();
                    System.out.printf("%-12d %12.1f %14s %10s %12d %9s%n", concurrency, cycle, mib(operator.heapAfterGc()),
                            mib(operator.rssBytes()), statusBytes, done == null ? "timeout" : done.getStatus().summary.byGrade());
                    if (done != null) {
                        // the worst rows come first: say why a host graded below the rest
                        done.getStatus().services.stream().filter(r -> !"A+".equals(r.grade())).limit(3).forEach(r ->
                                System.out.println("    " + r.host() + " " + r.grade() + ": " + (r.error() != null ? r.error()
                                        : r.failing().stream().map(c -> c.control()).toList())));
                    }
                    cluster.client().resources(SecurityBaseline.class).inNamespace("scale").withName("scale-c" + concurrency).delete();
                }
            }
            // VIGIL_BENCH_SECRETS=0 skips the SealedSecret half (whose time at 10,000 is the mock API server's)
            int secrets = Integer.parseInt(System.getenv().getOrDefault("VIGIL_BENCH_SECRETS", String.valueOf(n)));
            if (secrets > 0) {
                sealedSecrets(cluster, api, dir, secrets);
            }
        }
        System.exit(0); // the mock server's and Vert.x's threads would keep the JVM up
    }

    static void sealedSecrets(Cluster cluster, ApiServer api, Path dir, int n) throws Exception {
        List<String> documents = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            documents.add(Fixtures.sealedManifest("scale", "s-" + i, Map.of("password", "pw-" + i)));
        }
        Map<String, Long> created = new ConcurrentHashMap<>();
        Map<String, Long> arrived = new ConcurrentHashMap<>();
        KubernetesClient client = cluster.client();
        try (OperatorProcess operator = OperatorProcess.start("operator-secrets", api.port(), dir, Map.of());
                var watch = client.secrets().inNamespace("scale").watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Secret secret) {
                        arrived.putIfAbsent(secret.getMetadata().getName(), System.nanoTime());
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                })) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                created.put("s-" + i, System.nanoTime());
                client.resource(Fixtures.sealedSecret("scale", "s-" + i, documents.get(i))).create();
            }
            double createSeconds = (System.nanoTime() - start) / 1e9;
            long deadline = System.nanoTime() + 300_000_000_000L;
            while (arrived.size() < n && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            double allSeconds = (System.nanoTime() - start) / 1e9;
            List<Double> latencies = new ArrayList<>();
            created.forEach((name, at) -> {
                Long seen = arrived.get(name);
                if (seen != null) {
                    latencies.add((seen - at) / 1e6);
                }
            });
            Collections.sort(latencies);
            System.out.printf("%n%d SealedSecrets created in %.1f s; %d Secrets arrived within %.1f s of the first create%n", n,
                    createSeconds, latencies.size(), allSeconds);
            System.out.printf("SealedSecret-to-Secret latency: p50 %.0f ms, p99 %.0f ms, max %.0f ms; heap after GC %s, RSS %s%n",
                    percentile(latencies, 50), percentile(latencies, 99), latencies.get(latencies.size() - 1),
                    mib(operator.heapAfterGc()), mib(operator.rssBytes()));
        }
    }

    static void ingress(KubernetesClient client, String name) {
        String host = name + ".scale.test";
        Ingress ingress = new IngressBuilder().withNewMetadata().withName(name).withNamespace("scale").addToLabels("tier", "web")
                .endMetadata().withNewSpec().addNewRule().withHost(host).endRule().addNewTl().addToHosts(host).endTl().endSpec().build();
        Ingress created = client.resource(ingress).create();
        created.setStatus(new IngressStatusBuilder().withNewLoadBalancer().addNewIngress().withIp("127.0.0.1").endIngress()
                .endLoadBalancer().build());
        client.resource(created).updateStatus();
    }

    static void baseline(KubernetesClient client, String name, NginxServer nginx) {
        SecurityBaseline b = new SecurityBaseline();
        b.getMetadata().setName(name);
        b.getMetadata().setNamespace("scale");
        SecurityBaselineSpec spec = new SecurityBaselineSpec();
        spec.selector = new LabelSelectorBuilder().addToMatchLabels("tier", "web").build();
        spec.connect = new Connect();
        spec.connect.httpsPort = nginx.httpsPort();
        spec.connect.httpPort = nginx.httpPort();
        spec.requirements = new Requirements();
        spec.schedule = new Schedule();
        spec.schedule.interval = "1h";
        b.setSpec(spec);
        client.resource(b).create();
    }

    /** Waits until the baseline's status counts every service as graded (Ready), or 10 minutes. */
    static SecurityBaseline awaitGraded(KubernetesClient client, String name, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Long.getLong("vigil.bench.timeout-seconds", 600) * 1_000_000_000L;
        SecurityBaseline b = null;
        while (System.nanoTime() < deadline) {
            b = client.resources(SecurityBaseline.class).inNamespace("scale").withName(name).get();
            if (b != null && b.getStatus() != null && b.getStatus().summary != null && b.getStatus().summary.services() == n
                    && Conditions.isTrue(b.getStatus().conditions, "Ready")) {
                return b;
            }
            Thread.sleep(100);
        }
        System.out.println("not graded in time; last status: " + (b == null || b.getStatus() == null ? "none"
                : b.getStatus().conditions + " " + b.getStatus().summary));
        return null;
    }

    static double percentile(List<Double> sorted, int p) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }

}
