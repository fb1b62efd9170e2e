package dev.vigil.probe.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.grade.Grade;
import dev.vigil.grade.observatory.HstsPreloadList;
import dev.vigil.grade.service.ControlResult;
import dev.vigil.grade.service.GradePolicy;
import dev.vigil.grade.service.ServiceGrade;
import dev.vigil.grade.service.ServiceGrader;
import dev.vigil.probe.AddressOrigin;
import dev.vigil.probe.AddressPolicy;
import dev.vigil.probe.AddressSource;
import dev.vigil.testsupport.Findings;
import dev.vigil.testsupport.TestPki;
import dev.vigil.testsupport.TlsEndpoints;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Missing intermediates fetched from the leaf's AIA caIssuers URL: real nginx serving only the leaf, the JDK's HTTP
 * server serving the intermediate (and a 1 MiB answer, and one that never comes). Off by default; through the address
 * policy as a redirect (the server's choice); bounded in bytes and time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AiaFetchTest {

    static final Duration HANG_GUARD = Duration.ofSeconds(60);
    static final AddressPolicy LOOPBACK_ALLOWED = AddressPolicy.of(new AddressPolicy.Settings(List.of(), List.of(),
            List.of("127.0.0.0/8"), List.of()));

    TestPki pki;
    TlsEndpoints nginx;
    HttpServer http;
    final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    final Map<String, Integer> ports = new ConcurrentHashMap<>();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        pki = new TestPki();
        Instant now = Instant.now();
        TestPki.Issued intermediate = pki.issue("AIA Intermediate", List.of(), "RSA", 2048, now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(365)), null, true, null);
        http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        byte[] der = intermediate.certificate().getEncoded();
        http.createContext("/intermediate.der", exchange -> {
            count("/intermediate.der");
            exchange.sendResponseHeaders(200, der.length);
            exchange.getResponseBody().write(der);
            exchange.close();
        });
        http.createContext("/huge", exchange -> {
            count("/huge");
            exchange.sendResponseHeaders(200, 0); // chunked, no length announced: the reader must stop by itself
            byte[] chunk = new byte[64 * 1024];
            try {
                for (int i = 0; i < 16; i++) {
                    exchange.getResponseBody().write(chunk);
                }
            } catch (java.io.IOException e) {
                // the fetcher hung up at its limit
            }
            exchange.close();
        });
        http.createContext("/slow", exchange -> {
            count("/slow");
            try {
                Thread.sleep(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        }));
        http.start();
        String base = "http://127.0.0.1:" + http.getAddress().getPort();
        nginx = new TlsEndpoints(dir);
        for (String path : List.of("/intermediate.der", "/huge", "/slow")) {
            TestPki.Issued leaf = pki.issue("site.test", List.of("site.test"), "RSA", 2048, now.minus(Duration.ofDays(1)),
                    now.plus(Duration.ofDays(60)), intermediate, false, base + path);
            String name = path.substring(1).replace(".der", "");
            ports.put(path, nginx.add(name, "site.test", TestPki.writePem(dir.resolve(name + ".crt"), leaf.certificate()),
                    TestPki.writePem(dir.resolve(name + ".key"), leaf.key()), "    ssl_protocols TLSv1.2 TLSv1.3;").port());
        }
        nginx.start();
    }

    void count(String path) {
        requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    }

    int requested(String path) {
        return requests.getOrDefault(path, new AtomicInteger()).get();
    }

    @AfterAll
    void stop() throws Exception {
        nginx.close();
        http.stop(0);
    }

    TlsScanResult scan(String path, AiaFetcher.Settings aia, AddressSource source) throws Exception {
        TlsScanner scanner = new TlsScanner(TlsScanner.Config.defaults().withExtraCas(List.of(pki.ca())).withAia(aia));
        return assertTimeoutPreemptively(HANG_GUARD, () -> scanner.scan(new TlsTarget("site.test", ports.get(path),
                Optional.of(InetAddress.getByName("127.0.0.1")), source)));
    }

    @Test
    void offByDefaultTheIncompleteChainIsUntrustedAndNothingIsFetched() throws Exception {
        int before = requested("/intermediate.der");
        CertificateFacts c = scan("/intermediate.der", AiaFetcher.Settings.OFF, AddressSource.USER).certificate();
        assertThat(c.chainComplete()).isFalse();
        assertThat(c.trusted()).isFalse();
        assertThat(c.completedViaAia()).isFalse();
        assertThat(requested("/intermediate.der")).isEqualTo(before);
    }

    @Test
    void optedInTheIntermediateIsFetchedAndTheChainIsCompleteViaAia() throws Exception {
        int before = requested("/intermediate.der");
        TlsScanResult scan = scan("/intermediate.der", AiaFetcher.Settings.on(LOOPBACK_ALLOWED), AddressSource.USER);
        CertificateFacts c = scan.certificate();
        assertThat(c.trusted()).isTrue();
        assertThat(c.chainComplete()).as("the server still does not send it").isFalse();
        assertThat(c.completedViaAia()).isTrue();
        assertThat(requested("/intermediate.der") - before).as("fetched once per chain").isBetween(1, 2);

        Instant now = Instant.now();
        ServiceGrade grade = new ServiceGrader(HstsPreloadList.empty()).grade(
                Findings.service(now, scan, Findings.https("site.test", Findings.PERFECT_HEADERS)), GradePolicy.defaults(), List.of(),
                "site.test", now);
        assertThat(grade.controls()).filteredOn(r -> r.control().equals("certificate-trust")).singleElement()
                .satisfies(r -> assertThat(r.detail()).isEqualTo("chain trusted (complete via AIA)"));
        ControlResult chain = grade.controls().stream().filter(r -> r.control().equals("certificate-chain")).findFirst().orElseThrow();
        assertThat(chain.failing()).isTrue();
        assertThat(chain.detail()).contains("complete via AIA");
        assertThat(grade.grade()).contains(Grade.B);
    }

    @Test
    void aTenantsServerCannotAimTheFetchInward() throws Exception {
        int before = requested("/intermediate.der");
        // Loopback is always denied: the URL in the certificate is the probed server's choice, never the user's.
        CertificateFacts denied = scan("/intermediate.der", AiaFetcher.Settings.on(AddressPolicy.defaults()), AddressSource.USER)
                .certificate();
        assertThat(denied.trusted()).isFalse();
        assertThat(denied.trustProblem()).hasValueSatisfying(p -> assertThat(p).contains("refused to probe 127.0.0.1: Loopback"));
        // An untrusted baseline's probe may not be redirected to private space even where loopback is exempted.
        CertificateFacts untrusted = scan("/intermediate.der", AiaFetcher.Settings.on(LOOPBACK_ALLOWED),
                new AddressSource(AddressOrigin.NAMED_BY_BASELINE, false)).certificate();
        assertThat(untrusted.trusted()).isFalse();
        assertThat(untrusted.trustProblem()).hasValueSatisfying(p -> assertThat(p).contains("PrivateNotAllowed"));
        assertThat(requested("/intermediate.der")).as("no connection was made").isEqualTo(before);
    }

    @Test
    void fetchesAreBoundedInBytesAndTime() throws Exception {
        CertificateFacts huge = scan("/huge", AiaFetcher.Settings.on(LOOPBACK_ALLOWED), AddressSource.USER).certificate();
        assertThat(huge.trusted()).isFalse();
        assertThat(huge.trustProblem()).hasValueSatisfying(p -> assertThat(p).contains("over the 32768-byte limit"));

        AiaFetcher.Settings quick = new AiaFetcher.Settings(true, LOOPBACK_ALLOWED, 32 * 1024, Duration.ofSeconds(1), 3);
        CertificateFacts slow = scan("/slow", quick, AddressSource.USER).certificate();
        assertThat(requested("/slow")).isPositive();
        assertThat(slow.trusted()).isFalse();
        assertThat(slow.trustProblem()).hasValueSatisfying(p -> assertThat(p).contains("timed out"));
    }
}
