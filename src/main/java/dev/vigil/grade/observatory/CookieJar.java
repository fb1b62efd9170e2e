package dev.vigil.grade.observatory;

import dev.vigil.probe.http.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The cookie jar of one session as tough-cookie keeps it: cookies from every hop, later ones with
 * the same name/domain/path replacing earlier ones; expired cookies kept; foreign domains and
 * broken __Secure-/__Host- prefixes silently dropped.
 */
final class CookieJar {

    record Cookie(String name, String domain, String path, boolean secure, boolean httpOnly, Optional<String> sameSite) {
    }

    private CookieJar() {
    }

    static List<Cookie> of(List<Response> hops) {
        Map<String, Cookie> jar = new LinkedHashMap<>();
        for (Response hop : hops) {
            String host = URI.create(hop.url()).getHost().toLowerCase(Locale.ROOT);
            for (String line : hop.headers().all("Set-Cookie")) {
                parse(line, host).ifPresent(c -> jar.put(c.name() + "\n" + c.domain() + "\n" + c.path(), c));
            }
        }
        return new ArrayList<>(jar.values());
    }

    static Optional<Cookie> parse(String line, String host) {
        String[] parts = line.split(";", -1);
        int eq = parts[0].indexOf('=');
        if (eq <= 0) {
            return Optional.empty();
        }
        String name = parts[0].substring(0, eq).trim();
        if (name.isEmpty() || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.empty();
        }
        String domain = host;
        boolean domainAttribute = false;
        String path = "/";
        boolean secure = false;
        boolean httpOnly = false;
        Optional<String> sameSite = Optional.empty();
        for (int i = 1; i < parts.length; i++) {
            String attribute = parts[i].trim();
            int e = attribute.indexOf('=');
            String key = (e < 0 ? attribute : attribute.substring(0, e)).trim().toLowerCase(Locale.ROOT);
            String value = e < 0 ? "" : attribute.substring(e + 1).trim();
            switch (key) {
                case "domain" -> {
                    String d = value.startsWith(".") ? value.substring(1) : value;
                    d = d.toLowerCase(Locale.ROOT);
                    if (!d.isEmpty()) {
                        if (!(host.equals(d) || host.endsWith("." + d)) || !d.contains(".")) {
                            return Optional.empty();
                        }
                        domain = d;
                        domainAttribute = true;
                    }
                }
                case "path" -> path = value.startsWith("/") ? value : "/";
                case "secure" -> secure = true;
                case "httponly" -> httpOnly = true;
                case "samesite" -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    sameSite = v.equals("strict") || v.equals("lax") || v.equals("none") ? Optional.of(v) : Optional.empty();
                }
                default -> {
                }
            }
        }
        if (name.startsWith("__Secure-") && !secure) {
            return Optional.empty();
        }
        if (name.startsWith("__Host-") && (!secure || domainAttribute || !path.equals("/"))) {
            return Optional.empty();
        }
        return Optional.of(new Cookie(name, domain, path, secure, httpOnly, sameSite));
    }
}
