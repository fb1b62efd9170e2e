package dev.vigil.probe.tls;

import dev.vigil.probe.AddressPolicy;
import dev.vigil.probe.AddressSource;
import dev.vigil.probe.ConnectionDeadline;
import dev.vigil.probe.HostResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;

/**
 * Fetches an intermediate a server fails to send from its child's AIA {@code caIssuers} URL (RFC 5280 4.2.2.1), as
 * Chrome, Safari and Android do. Opt-in ({@code vigil.baselines.aia-fetch}, {@code scan --aia-fetch}): the URL is the
 * probed server's choice, so it is treated like a redirect to another host — resolved once, checked against the
 * address policy as {@link dev.vigil.probe.AddressOrigin#REDIRECT}, and connected to at that very address. Plain
 * {@code http://} only (as certificates publish it), no redirects followed, every fetch bounded in bytes and time.
 */
public final class AiaFetcher {

    /**
     * @param enabled off by default: fetching is a connection to a host the server names
     * @param maxBytes largest answer read (a certificate is 1–2 KiB, a PKCS#7 bundle a few)
     * @param timeout the whole of one fetch, connection to last byte
     * @param maxFetches certificates fetched for one chain (an intermediate may itself miss its issuer)
     */
    public record Settings(boolean enabled, AddressPolicy policy, int maxBytes, Duration timeout, int maxFetches) {
        public static final Settings OFF = new Settings(false, AddressPolicy.defaults(), 32 * 1024, Duration.ofSeconds(3), 3);

        public static Settings on(AddressPolicy policy) {
            return new Settings(true, policy, OFF.maxBytes, OFF.timeout, OFF.maxFetches);
        }
    }

    /** What fetching gave: the certificates, and one line per fetch that failed (no secret is ever in it). */
    public record Fetched(List<X509Certificate> certificates, List<String> problems) {
    }

    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private AiaFetcher() {
    }

    /** The caIssuers URLs of a certificate, http:// ones first. */
    static List<String> caIssuers(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (ext == null) {
            return List.of();
        }
        List<String> urls = new ArrayList<>();
        try {
            AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(
                    ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(ext).getOctets()));
            for (AccessDescription d : aia.getAccessDescriptions()) {
                if (d.getAccessMethod().equals(AccessDescription.id_ad_caIssuers)
                        && d.getAccessLocation().getTagNo() == GeneralName.uniformResourceIdentifier) {
                    urls.add(d.getAccessLocation().getName().toString());
                }
            }
        } catch (Exception e) {
            return List.of();
        }
        return urls;
    }

    /**
     * The issuer of {@code child} from its AIA URL, within {@code deadlineNanos} ({@link System#nanoTime()} scale).
     * Empty (with the reason in {@code problems}) when there is no usable URL, the policy refuses the address, or the
     * answer is not a certificate.
     */
    static Optional<X509Certificate> fetchIssuer(X509Certificate child, Settings settings, AddressSource source,
            long deadlineNanos, List<String> problems) {
        List<String> urls = caIssuers(child);
        if (urls.isEmpty()) {
            problems.add("no AIA caIssuers URL in " + child.getSubjectX500Principal().getName());
            return Optional.empty();
        }
        for (String url : urls) {
            Optional<List<X509Certificate>> got = fetch(url, settings, source, deadlineNanos, problems);
            if (got.isPresent()) {
                for (X509Certificate candidate : got.get()) {
                    if (candidate.getSubjectX500Principal().equals(child.getIssuerX500Principal())) {
                        return Optional.of(candidate);
                    }
                }
                problems.add("AIA " + url + " served no certificate named " + child.getIssuerX500Principal().getName());
            }
        }
        return Optional.empty();
    }

    private static Optional<List<X509Certificate>> fetch(String url, Settings settings, AddressSource source, long deadlineNanos,
            List<String> problems) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            problems.add("AIA URL is not a URL");
            return Optional.empty();
        }
        if (!"http".equals(uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT)) || uri.getHost() == null) {
            problems.add("AIA " + url + ": only http:// URLs are fetched");
            return Optional.empty();
        }
        long deadline = Math.min(deadlineNanos, System.nanoTime() + settings.timeout().toNanos());
        InetAddress address;
        try {
            address = HostResolver.resolve(uri.getHost());
        } catch (IOException | SecurityException e) {
            problems.add("AIA " + url + ": cannot resolve " + uri.getHost());
            return Optional.empty();
        }
        // The server chose this URL: checked as a redirect to another host during this probe.
        AddressPolicy.Decision decision = settings.policy().check(address, source.redirected());
        if (!decision.allowed()) {
            problems.add("AIA " + url + ": " + decision.message(address));
            return Optional.empty();
        }
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        Socket socket = new Socket();
        try (ConnectionDeadline limit = ConnectionDeadline.closeAt(socket, deadline)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                problems.add("AIA " + url + ": no time left");
                return Optional.empty();
            }
            socket.connect(new InetSocketAddress(address, port), (int) left);
            socket.setSoTimeout((int) Math.max(1, left));
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String request = "GET " + path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " HTTP/1.0\r\nHost: "
                    + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + port) + "\r\nUser-Agent: vigil\r\nAccept: */*\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] body = readResponse(socket.getInputStream(), settings.maxBytes());
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certs = new ArrayList<>();
            for (Certificate c : factory.generateCertificates(new ByteArrayInputStream(body))) {
                if (c instanceof X509Certificate x && certs.size() < 8) {
                    certs.add(x);
                }
            }
            return certs.isEmpty() ? Optional.empty() : Optional.of(certs);
        } catch (AiaException e) {
            problems.add("AIA " + url + ": " + e.getMessage());
        } catch (IOException e) {
            problems.add("AIA " + url + ": " + (System.nanoTime() >= deadline ? "timed out" : "connection failed"));
        } catch (java.security.cert.CertificateException e) {
            problems.add("AIA " + url + ": not a certificate");
        }
        return Optional.empty();
    }

    /** The body of a 200 answer, at most {@code maxBytes}: a longer one is refused, not truncated. */
    private static byte[] readResponse(InputStream in, int maxBytes) throws IOException {
        // HTTP/1.0 asked, so the body is never chunked: it ends at Content-Length or when the server closes.
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() > MAX_HEADER_BYTES) {
                throw new AiaException("headers over " + MAX_HEADER_BYTES + " bytes");
            }
            int n = head.length();
            if (c == '\n' && (n >= 2 && head.charAt(n - 2) == '\n' || n >= 4 && head.charAt(n - 3) == '\n' && head.charAt(n - 2) == '\r')) {
                break;
            }
        }
        String[] lines = head.toString().split("\r?\n");
        if (lines.length == 0 || !lines[0].matches("HTTP/1\\.[01] 200( .*)?")) {
            throw new AiaException("answered " + (lines.length == 0 ? "nothing" : lines[0].length() > 40 ? lines[0].substring(0, 40) : lines[0]));
        }
        long length = -1;
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                try {
                    length = Long.parseLong(line.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    throw new AiaException("bad Content-Length");
                }
            }
        }
        if (length > maxBytes) {
            throw new AiaException("answer of " + length + " bytes, over the " + maxBytes + "-byte limit");
        }
        byte[] body = in.readNBytes(length >= 0 ? (int) length : maxBytes + 1);
        if (body.length > maxBytes) {
            throw new AiaException("answer over the " + maxBytes + "-byte limit");
        }
        return body;
    }

    /** A fetch refused for a reason worth saying (size, status). */
    private static final class AiaException extends IOException {
        AiaException(String message) {
            super(message);
        }
    }
}
