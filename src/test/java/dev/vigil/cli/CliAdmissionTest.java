package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.CliSopsTest.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil admission check} on the admission fixtures, through the same entry point as the packaged jar. */
class CliAdmissionTest {

    static final Path MANIFESTS = Path.of("src/test/resources/admission/manifests");

    @TempDir
    Path dir;

    static String m(String file) {
        return MANIFESTS.resolve(file).toString();
    }

    Path baselineIn(String mode) throws IOException {
        Path file = dir.resolve("baseline-" + mode + ".yaml");
        Files.writeString(file, Files.readString(MANIFESTS.resolve("baseline-deny.yaml")).replace("mode: Deny", "mode: " + mode));
        return file;
    }

    @Test
    void denyModePrintsOneLinePerObjectAndFails() {
        Result r = CliSopsTest.run("admission", "check", "--baseline", m("baseline-deny.yaml"), m("secret-by-hand.yaml"),
                m("ingress-tls.yaml"), m("ingress-admin-without-tls.yaml"), m("secret-helm-release.yaml"));
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.out().lines().toList()).hasSize(4);
        assertThat(r.out().lines().toList().get(0)).startsWith("Secret shop/db-credentials: deny: Secret db-credentials must come"
                + " from git: SecurityBaseline web (vigil rule secrets-from-git, mode Deny)");
        assertThat(r.out()).contains("Ingress shop/storefront: allow\n")
                .contains("Ingress shop/admin: deny: Ingress admin serves admin.shop.example.com without TLS")
                .contains("Secret shop/sh.helm.release.v1.storefront.v3: allow\n")
                .doesNotContain("aHVudGVyMg==");
    }

    @Test
    void warnAndAuditModesLetEverythingThrough() throws IOException {
        Result warn = CliSopsTest.run("admission", "check", "--baseline", baselineIn("Warn").toString(), m("ingress-ssl-redirect-off.yaml"));
        assertThat(warn.code()).isZero();
        assertThat(warn.out()).startsWith("Ingress shop/checkout: warn: Ingress checkout turns off the HTTPS redirect");
        Result audit = CliSopsTest.run("admission", "check", "--baseline", baselineIn("Audit").toString(), m("secret-by-hand.yaml"));
        assertThat(audit.code()).isZero();
        assertThat(audit.out()).startsWith("Secret shop/db-credentials: audit: ");
    }

    @Test
    void theUserAndTheExceptionsCount() throws IOException {
        Result vigil = CliSopsTest.run("admission", "check", "--baseline", m("baseline-deny.yaml"),
                "--user", "system:serviceaccount:vigil-system:vigil", m("secret-by-hand.yaml"));
        assertThat(vigil.out()).isEqualTo("Secret shop/db-credentials: allow\n");
        assertThat(vigil.code()).isZero();
        Result otherInstall = CliSopsTest.run("admission", "check", "--baseline", m("baseline-deny.yaml"),
                "--vigil-service-account", "security/guard", "--user", "system:serviceaccount:security:guard", m("secret-by-hand.yaml"));
        assertThat(otherInstall.out()).isEqualTo("Secret shop/db-credentials: allow\n");

        // The fixture baseline accepts plain HTTP on legacy.shop.example until 2099, on old.shop.example until 2020.
        String ingress = Files.readString(MANIFESTS.resolve("ingress-admin-without-tls.yaml"));
        Path legacy = dir.resolve("legacy.yaml");
        Files.writeString(legacy, ingress.replace("admin.shop.example.com", "legacy.shop.example"));
        Path old = dir.resolve("old.yaml");
        Files.writeString(old, ingress.replace("admin.shop.example.com", "old.shop.example").replace("name: admin", "name: old"));
        Result r = CliSopsTest.run("admission", "check", "--baseline", m("baseline-deny.yaml"), legacy.toString(), old.toString());
        assertThat(r.out()).contains("Ingress shop/admin: allow\n").contains("Ingress shop/old: deny: Ingress old serves old.shop.example");
    }

    @Test
    void badInputIsAnErrorNotAnAllow() throws IOException {
        Path unquoted = dir.resolve("unquoted.yaml");
        Files.writeString(unquoted, Files.readString(MANIFESTS.resolve("ingress-ssl-redirect-off.yaml")).replace("\"false\"", "false"));
        Result r = CliSopsTest.run("admission", "check", "--baseline", m("baseline-deny.yaml"), unquoted.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("Ingress shop/checkout: error: metadata.annotations.nginx.ingress.kubernetes.io/ssl-redirect"
                + " must be a string");
        assertThat(CliSopsTest.run("admission", "check", m("secret-by-hand.yaml")).code()).isEqualTo(2);
        assertThat(CliSopsTest.run("admission", "check", "--baseline", m("secret-by-hand.yaml"), m("secret-by-hand.yaml")).code())
                .isEqualTo(2);
        Path notYaml = dir.resolve("broken.yaml");
        Files.writeString(notYaml, "kind: [");
        Result broken = CliSopsTest.run("admission", "check", "--baseline", m("baseline-deny.yaml"), notYaml.toString());
        assertThat(broken.code()).isEqualTo(1);
        assertThat(broken.err()).startsWith("error: " + notYaml);
    }
}
