package dev.vigil.grade.observatory;

/** A fix per failing test: the header to send, and the ingress-nginx annotation that sends it. */
final class Remediations {

    private Remediations() {
    }

    static String forTest(String test, String result) {
        return switch (test) {
            case "content-security-policy" -> header("Content-Security-Policy",
                    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
                            + "font-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'");
            case "cookies" -> "set cookies with Secure; HttpOnly; SameSite=Lax (ingress-nginx: "
                    + "nginx.ingress.kubernetes.io/proxy-cookie-flags: \"~ secure httponly samesite=lax\")";
            case "cross-origin-resource-sharing" -> "answer CORS preflights with a fixed allow-list instead of reflecting the "
                    + "Origin (ingress-nginx: nginx.ingress.kubernetes.io/cors-allow-origin: \"https://app.example.com\")";
            case "redirection" -> result.equals("redirection-invalid-cert")
                    ? "serve a certificate that verifies for the host"
                    : "redirect http:// to https:// on the same host first (ingress-nginx: "
                            + "nginx.ingress.kubernetes.io/ssl-redirect: \"true\", force-ssl-redirect: \"true\")";
            case "referrer-policy" -> header("Referrer-Policy", "strict-origin-when-cross-origin");
            case "strict-transport-security" -> result.equals("hsts-invalid-cert")
                    ? "serve a certificate that verifies for the host, then send HSTS"
                    : "Strict-Transport-Security: max-age=63072000; includeSubDomains (ingress-nginx ConfigMap: "
                            + "hsts: \"true\", hsts-max-age: \"63072000\", hsts-include-subdomains: \"true\")";
            case "subresource-integrity" -> "load third-party scripts over https with an integrity=\"sha384-…\" attribute "
                    + "and crossorigin=\"anonymous\"";
            case "x-content-type-options" -> header("X-Content-Type-Options", "nosniff");
            case "x-frame-options" -> header("Content-Security-Policy", "frame-ancestors 'none'")
                    + " or " + header("X-Frame-Options", "DENY");
            case "cross-origin-resource-policy" -> header("Cross-Origin-Resource-Policy", "same-origin");
            case "cross-origin-opener-policy" -> header("Cross-Origin-Opener-Policy", "same-origin");
            case "cross-origin-embedder-policy" -> header("Cross-Origin-Embedder-Policy", "require-corp");
            default -> "";
        };
    }

    private static String header(String name, String value) {
        return name + ": " + value + " (ingress-nginx: nginx.ingress.kubernetes.io/configuration-snippet: "
                + "more_set_headers \"" + name + ": " + value.replace("\"", "\\\"") + "\";)";
    }
}
