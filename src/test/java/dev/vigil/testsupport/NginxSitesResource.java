package dev.vigil.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Starts the test nginx sites before the operator, and tells the operator to trust the test CA. */
public class NginxSitesResource implements QuarkusTestResourceLifecycleManager {

    public static NginxServer nginx;
    public static List<NginxServer.Site> sites;
    public static Path caFile;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("vigil-sites");
            TestPki pki = new TestPki();
            Path ca = TestPki.writePem(dir.resolve("ca.pem"), pki.ca());
            caFile = ca;
            sites = TestSites.sites(dir, pki);
            nginx = new NginxServer(dir);
            nginx.start(sites);
            return Map.of("vigil.baselines.ca-bundles", ca.toString());
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test nginx", e);
        }
    }

    @Override
    public void stop() {
        try {
            if (nginx != null) {
                nginx.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
