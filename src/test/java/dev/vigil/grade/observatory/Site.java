package dev.vigil.grade.observatory;

import dev.vigil.probe.http.Headers;
import dev.vigil.probe.http.HttpFindings;
import dev.vigil.probe.http.Response;
import dev.vigil.probe.http.Session;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scanned site built in a test, the way the header probe would have seen it: an HTTPS session answering with the
 * given headers and body, and an HTTP session that redirects to it. No network.
 */
record Site(String host, Headers headers, String body) {

    static Headers headers(String... nameValue) {
        List<Map.Entry<String, String>> lines = new ArrayList<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            lines.add(new AbstractMap.SimpleImmutableEntry<>(nameValue[i], nameValue[i + 1]));
        }
        return new Headers(lines);
    }

    static Site of(String... nameValue) {
        return new Site("site.test", headers(nameValue), "");
    }

    Site withHeader(String name, String value) {
        List<Map.Entry<String, String>> lines = new ArrayList<>(headers.lines());
        lines.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
        return new Site(host, new Headers(lines), body);
    }

    Site body(String html) {
        return new Site(host, headers, html);
    }

    Response page() {
        return new Response("https://" + host + "/", 200, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    HttpFindings findings() {
        Response page = page();
        Session https = new Session("https://" + host + "/", List.of(page), true);
        Session http = new Session("http://" + host + "/", List.of(new Response("http://" + host + "/", 301,
                headers("Location", "https://" + host + "/"), new byte[0]), page), true);
        return new HttpFindings(host, Optional.of(http), Optional.of(https), Optional.empty(), List.of(), Duration.ZERO);
    }

    ObservatoryResult grade(ObservatoryAlgorithm algorithm) {
        return Observatory.grade(findings(), algorithm, HstsPreloadList.empty());
    }

    TestResult test(String name, ObservatoryAlgorithm algorithm) {
        return grade(algorithm).tests().get(name);
    }

    String result(String test, ObservatoryAlgorithm algorithm) {
        return test(test, algorithm).result();
    }
}
