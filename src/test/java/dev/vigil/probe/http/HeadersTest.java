package dev.vigil.probe.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Header lines as Node's HTTP parser shows them to the Observatory (scoring spec §3, "Header value rules"). */
class HeadersTest {

    static Headers headers(String... nameValue) {
        List<Map.Entry<String, String>> lines = new java.util.ArrayList<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            lines.add(new AbstractMap.SimpleImmutableEntry<>(nameValue[i], nameValue[i + 1]));
        }
        return new Headers(lines);
    }

    @Test
    void repeatedLinesJoinWithCommaSpaceInOrder() {
        Headers h = headers("X-Content-Type-Options", "nosniff", "Server", "nginx", "x-content-type-options", "nosniff");
        assertThat(h.joined("X-CONTENT-TYPE-OPTIONS")).contains("nosniff, nosniff");
        assertThat(h.all("x-content-type-options")).containsExactly("nosniff", "nosniff");
        assertThat(h.joined("Server")).contains("nginx");
        assertThat(h.joined("Strict-Transport-Security")).isEmpty();
        assertThat(h.all("Strict-Transport-Security")).isEmpty();
    }

    @Test
    void singleValuedHeadersKeepTheFirstLine() {
        Headers h = headers("Content-Type", "text/html", "content-type", "application/json");
        assertThat(h.first("CONTENT-TYPE")).contains("text/html");
        assertThat(h.first("Location")).isEmpty();
    }

    @Test
    void presenceIgnoresCaseAndEmptyValuesStillCount() {
        Headers h = headers("Content-Security-Policy-Report-Only", "");
        assertThat(h.has("content-security-policy-report-only")).isTrue();
        assertThat(h.has("Content-Security-Policy")).isFalse();
        assertThat(h.joined("content-security-policy-report-only")).contains("");
    }

    @Test
    void theAutoSessionIsHttpsWhenItAnswered() {
        Response page = new Response("https://a.test/", 200, headers(), new byte[0]);
        Session https = new Session("https://a.test/", List.of(new Response("https://a.test/", 301, headers("Location", "/x"),
                new byte[0]), page), false);
        Session http = new Session("http://a.test/", List.of(new Response("http://a.test/", 200, headers(), new byte[0])), true);
        HttpFindings both = new HttpFindings("a.test", Optional.of(http), Optional.of(https), Optional.empty(), List.of(), Duration.ZERO);
        assertThat(both.autoSession()).contains(https);
        HttpFindings httpOnly = new HttpFindings("a.test", Optional.of(http), Optional.empty(), Optional.empty(), List.of(),
                Duration.ZERO);
        assertThat(httpOnly.autoSession()).contains(http);
        assertThat(new HttpFindings("a.test", Optional.empty(), Optional.empty(), Optional.empty(), List.of("refused"),
                Duration.ZERO).autoSession()).isEmpty();
        assertThat(https.finalResponse()).isSameAs(page);
        assertThat(https.route()).containsExactly("https://a.test/", "https://a.test/");
    }
}
