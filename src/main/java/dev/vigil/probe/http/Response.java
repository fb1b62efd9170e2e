package dev.vigil.probe.http;

/** One HTTP response: the URL asked for, status, header lines and the first bytes of the body. */
public record Response(String url, int status, Headers headers, byte[] body) {

    public boolean redirect() {
        return (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
                && headers.first("Location").isPresent();
    }
}
