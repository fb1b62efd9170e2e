package dev.vigil.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Header set-ups from bare to A+, served by one nginx, with the score and grade the Observatory
 * scoring spec (algorithm 4, npm 1.4.8) gives each; worked out by hand from the spec's tables.
 */
public final class TestSites {

    public record Expected(String host, Integer score, String grade, String httpBody, String httpsBody, boolean wrongCertificate) {
    }

    static final String REDIRECT = "    location / { return 301 https://$host$request_uri; }";
    static final String PAGE = "<!doctype html><html><head><title>t</title></head><body>hello</body></html>";

    private static String page(String headers, String html) {
        return headers + "\n    location / { return 200 '" + html.replace("'", "\\'") + "'; }";
    }

    private static String ok(String headers) {
        return page(headers, PAGE);
    }

    private static final String HSTS = "Strict-Transport-Security";
    private static final String YEAR = "max-age=63072000";

    public static final List<Expected> ALL = List.of(
            // CSP -25, redirection missing -20, HSTS -20, XCTO -5, XFO -20: 100-90 = 10
            new Expected("bare.test", 10, "F", ok(""), ok(""), false),
            // +10 CSP default-src none, +5 XFO via frame-ancestors, +5 referrer, +10 CORP: 130
            new Expected("aplus.test", 130, "A+", REDIRECT, ok(NginxServer.headers(
                    "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'", HSTS, YEAR,
                    "X-Content-Type-Options", "nosniff", "Referrer-Policy", "no-referrer",
                    "Cross-Origin-Resource-Policy", "same-origin", "X-Frame-Options", "DENY")), false),
            // session cookie without HttpOnly/Secure behind HSTS: -30, no bonus: 70
            new Expected("cookies.test", 70, "B", REDIRECT, ok(NginxServer.headers(
                    "Content-Security-Policy", "default-src 'self'", HSTS, YEAR, "X-Content-Type-Options", "nosniff",
                    "X-Frame-Options", "DENY", "Set-Cookie", "sessionid=abc123; Path=/")), false),
            // HSTS below six months -10 keeps the +5 bonus (uncurved 90): 95
            new Expected("hsts-short.test", 95, "A", REDIRECT, ok(NginxServer.headers(
                    "Content-Security-Policy", "default-src 'self'", HSTS, "max-age=300",
                    "X-Content-Type-Options", "nosniff", "X-Frame-Options", "SAMEORIGIN")), false),
            // script-src 'unsafe-inline' -20: 80
            new Expected("unsafe-inline.test", 80, "B+", REDIRECT, ok(NginxServer.headers(
                    "Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'", HSTS, YEAR,
                    "X-Content-Type-Options", "nosniff", "X-Frame-Options", "DENY")), false),
            // port 80 serves the page without redirecting: redirection-missing -20, bonuses lost: 80
            new Expected("noredirect.test", 80, "B+", ok(""), ok(NginxServer.headers(
                    "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'", HSTS, YEAR,
                    "X-Content-Type-Options", "nosniff", "Referrer-Policy", "no-referrer")), false),
            // public CORS is fine; +5 CSP: 105
            new Expected("cors.test", 105, "A+", REDIRECT, ok(NginxServer.headers(
                    "Content-Security-Policy", "default-src 'self'", HSTS, YEAR, "X-Content-Type-Options", "nosniff",
                    "X-Frame-Options", "DENY", "Access-Control-Allow-Origin", "*")), false),
            // a foreign script over http:// without integrity -50: 50
            new Expected("sri.test", 50, "C", REDIRECT, page(NginxServer.headers(
                    "Content-Security-Policy", "default-src 'self'", HSTS, YEAR, "X-Content-Type-Options", "nosniff",
                    "X-Frame-Options", "DENY"),
                    "<!doctype html><html><head><script src=\"http://cdn.elsewhere.example/lib.js\"></script></head><body></body></html>"), false),
            // two XCTO lines (-5) and two HSTS lines (-20) are invalid once joined; bonus lost: 75
            new Expected("dup-headers.test", 75, "B", REDIRECT, ok(NginxServer.headers(
                    "Content-Security-Policy", "default-src 'none'", HSTS, YEAR, HSTS, YEAR,
                    "X-Content-Type-Options", "nosniff", "X-Content-Type-Options", "nosniff", "X-Frame-Options", "DENY")), false),
            // CSP only in <meta> (+10), its frame-ancestors still earns XFO +5, meta referrer +5: 120
            new Expected("meta-csp.test", 120, "A+", REDIRECT, page(NginxServer.headers(HSTS, YEAR, "X-Content-Type-Options", "nosniff"),
                    "<!doctype html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; frame-ancestors 'none'\">"
                            + "<meta name=\"referrer\" content=\"no-referrer\"></head><body></body></html>"), false),
            // certificate for another name: hsts-invalid-cert -20, redirection-invalid-cert -20: 60
            new Expected("wrong-cert.test", 60, "C+", REDIRECT, ok(NginxServer.headers(
                    "Content-Security-Policy", "default-src 'none'", HSTS, YEAR, "X-Content-Type-Options", "nosniff",
                    "X-Frame-Options", "DENY")), true),
            // 404 is not graded at all
            new Expected("not-found.test", null, null, REDIRECT, "    location / { return 404; }", false));

    /**
     * Perfect headers (those of aplus.test) behind an expired certificate: the Observatory alone would still pass
     * most tests; the certificate caps the service at F. Not in {@link #ALL}, whose sites the header benchmark
     * compares with MDN's scanner.
     */
    public static final String EXPIRED = "expired.test";

    private TestSites() {
    }

    /** Starts one nginx serving every site: a shared certificate for the good names, another for wrong-cert.test. */
    public static NginxServer start(Path dir, TestPki pki) throws Exception {
        NginxServer nginx = new NginxServer(dir);
        nginx.start(sites(dir, pki));
        return nginx;
    }

    /** One site for every host under *.domain: http redirects to https, which sends a good set of headers (A+). */
    public static NginxServer.Site wildcard(Path dir, TestPki pki, String domain) throws Exception {
        TestPki.Issued cert = pki.leaf(List.of("*." + domain));
        Path crt = TestPki.writePem(dir.resolve(domain + ".crt"), cert.certificate());
        Path key = TestPki.writePem(dir.resolve(domain + ".key"), cert.key());
        String headers = NginxServer.headers("Content-Security-Policy", "default-src 'self'", "Strict-Transport-Security",
                "max-age=63072000", "X-Content-Type-Options", "nosniff", "X-Frame-Options", "DENY");
        return new NginxServer.Site("*." + domain, crt, key, REDIRECT, headers + "\n    location / { return 200 'ok'; }");
    }

    /** The nginx sites for {@link #ALL}, writing their certificates into {@code dir}. */
    public static List<NginxServer.Site> sites(Path dir, TestPki pki) throws Exception {
        List<String> names = ALL.stream().filter(s -> !s.wrongCertificate()).map(Expected::host).toList();
        TestPki.Issued good = pki.leaf(names);
        TestPki.Issued wrong = pki.leaf(List.of("somebody-else.test"));
        Path goodCert = TestPki.writePem(dir.resolve("good.crt"), good.certificate());
        Path goodKey = TestPki.writePem(dir.resolve("good.key"), good.key());
        Path wrongCert = TestPki.writePem(dir.resolve("wrong.crt"), wrong.certificate());
        Path wrongKey = TestPki.writePem(dir.resolve("wrong.key"), wrong.key());
        List<NginxServer.Site> sites = new ArrayList<>();
        for (Expected e : ALL) {
            sites.add(new NginxServer.Site(e.host(), e.wrongCertificate() ? wrongCert : goodCert,
                    e.wrongCertificate() ? wrongKey : goodKey, e.httpBody(), e.httpsBody()));
        }
        TestPki.Issued expired = pki.leaf(List.of(EXPIRED), java.time.Instant.now().minus(java.time.Duration.ofDays(100)),
                java.time.Instant.now().minus(java.time.Duration.ofDays(10)));
        Expected perfect = ALL.stream().filter(e -> e.host().equals("aplus.test")).findFirst().orElseThrow();
        sites.add(new NginxServer.Site(EXPIRED, TestPki.writePem(dir.resolve("expired.crt"), expired.certificate()),
                TestPki.writePem(dir.resolve("expired.key"), expired.key()), perfect.httpBody(), perfect.httpsBody()));
        return sites;
    }

    /** The same sites with {@code host} serving what {@code like} serves (to make a site better or worse). */
    public static List<NginxServer.Site> replacing(List<NginxServer.Site> sites, String host, String like) {
        NginxServer.Site model = sites.stream().filter(s -> s.host().equals(like)).findFirst().orElseThrow();
        return sites.stream().map(s -> s.host().equals(host)
                ? new NginxServer.Site(host, s.certificate(), s.key(), model.httpBody(), model.httpsBody()) : s).toList();
    }
}
