package dev.vigil.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vigil.grade.observatory.HstsPreloadList;
import dev.vigil.grade.observatory.Observatory;
import dev.vigil.grade.observatory.ObservatoryAlgorithm;
import dev.vigil.probe.http.Headers;
import dev.vigil.probe.http.HttpFindings;
import dev.vigil.probe.http.Response;
import dev.vigil.probe.http.Session;
import dev.vigil.probe.tls.ServerFlight;
import dev.vigil.sops.SopsDecryptor;
import dev.vigil.sops.SopsException;
import dev.vigil.sops.SopsFormat;
import dev.vigil.sops.SopsKeyring;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fuzz targets for every parser that reads hostile input. In a normal {@code ./mvnw verify} each runs
 * its regression corpus (src/test/resources/dev/vigil/fuzz/ParserFuzzTestInputs/…); to fuzz for real:
 * {@code JAZZER_FUZZ=1 ./mvnw test -Dtest=ParserFuzzTest#sopsYaml -Djazzer.max_duration=60s}.
 * Anything but the component's own typed error is a bug.
 */
class ParserFuzzTest {

    private static final SopsKeyring KEYS = keys();

    private static SopsKeyring keys() {
        try (InputStream in = ParserFuzzTest.class.getResourceAsStream("/sops/keys/age-dev.txt")) {
            return SopsKeyring.empty().withAgeIdentities(new String(in.readAllBytes(), StandardCharsets.UTF_8), "fuzz");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void decrypt(byte[] input, SopsFormat format) {
        try {
            SopsDecryptor.decrypt(input, format, KEYS);
        } catch (SopsException expected) {
            // the engine's typed error: fine
        }
    }

    @FuzzTest(maxDuration = "30s")
    void sopsYaml(byte[] input) {
        decrypt(input, SopsFormat.YAML);
    }

    @FuzzTest(maxDuration = "30s")
    void sopsJson(byte[] input) {
        decrypt(input, SopsFormat.JSON);
    }

    @FuzzTest(maxDuration = "30s")
    void sopsDotenv(byte[] input) {
        decrypt(input, SopsFormat.DOTENV);
    }

    @FuzzTest(maxDuration = "30s")
    void sopsIni(byte[] input) {
        decrypt(input, SopsFormat.INI);
    }

    @FuzzTest(maxDuration = "30s")
    void sopsBinary(byte[] input) {
        decrypt(input, SopsFormat.BINARY);
    }

    /** CSP, cookies and every header test: arbitrary header lines and body through the Observatory. */
    @FuzzTest(maxDuration = "30s")
    void observatoryHeaders(FuzzedDataProvider data) {
        List<Map.Entry<String, String>> lines = new ArrayList<>();
        String[] names = {"Content-Security-Policy", "Set-Cookie", "Strict-Transport-Security", "Referrer-Policy",
                "X-Frame-Options", "X-Content-Type-Options", "Cross-Origin-Resource-Policy", "Content-Type",
                "Cross-Origin-Opener-Policy", "Access-Control-Allow-Origin"};
        int count = data.consumeInt(0, 12);
        for (int i = 0; i < count; i++) {
            lines.add(new AbstractMap.SimpleImmutableEntry<>(data.pickValue(names), data.consumeString(300)));
        }
        byte[] body = data.consumeRemainingAsBytes();
        Response response = new Response("https://fuzz.test/", 200, new Headers(lines), body);
        Session session = new Session("https://fuzz.test/", List.of(response), data.remainingBytes() % 2 == 0);
        HttpFindings findings = new HttpFindings("fuzz.test", Optional.of(session), Optional.of(session), Optional.of(response),
                List.of(), Duration.ZERO);
        Observatory.grade(findings, ObservatoryAlgorithm.V4, HstsPreloadList.empty());
        Observatory.grade(findings, ObservatoryAlgorithm.V6, HstsPreloadList.empty());
    }

    /** The TLS prober's reading of a server's first flight. */
    @FuzzTest(maxDuration = "30s")
    void tlsServerFlight(byte[] input) {
        try {
            ServerFlight.read(new ByteArrayInputStream(input));
        } catch (IOException expected) {
            // malformed flight: the prober's typed outcome
        }
    }
}
