package dev.vigil.probe.http;

import dev.vigil.probe.AddressPolicy;
import dev.vigil.probe.AddressSource;
import dev.vigil.probe.HostResolver;
import dev.vigil.probe.ConnectionDeadline;
import dev.vigil.probe.Trust;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Fetches a site the way the HTTP Observatory does: an http:// and an https:// session, each
 * following up to 10 redirects itself, falling back once to unverified TLS on a certificate error,
 * plus a CORS preflight. Every request has a timeout, the whole probe a budget, bodies and headers
 * are bounded, and no connection goes to an address the policy denies.
 */
public final class HttpProber implements AutoCloseable {

    static final String ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:129.0) Gecko/20100101 Firefox/129.0 Vigil Observatory/129.0";
    public static final String PREFLIGHT_ORIGIN = "https://http-observatory.security.mozilla.org";

    /**
     * The TLS engine of the probe's handshakes: BoringSSL (netty-tcnative) where its native library loads, else the
     * JDK's. A JDK handshake costs more CPU (it makes a P-256 key share beside the X25519 one on every ClientHello, in
     * Java: the largest item of a warm probe's profile) and its code needs hundreds of probes to be compiled; BoringSSL
     * offers one key share, as browsers and MDN's scanner (Node's OpenSSL) do. Certificates are still judged by the JDK
     * trust manager ({@link Trust}), so both engines decide trust and host names alike. BoringSSL has dropped what some
     * servers still need (finite-field DHE suites, P-521): a handshake it cannot make is made again with the JDK's
     * engine, so a site is reachable whenever the JDK reaches it, as it was before BoringSSL.
     */
    public static final String TLS_ENGINE = OpenSSLEngineOptions.isAvailable() ? "boringssl" : "jdk";

    public record Config(Duration requestTimeout, int maxRedirects, int maxBodyBytes, List<X509Certificate> extraCas,
            AddressPolicy addressPolicy) {
        public static Config defaults() {
            return new Config(Duration.ofSeconds(9), 10, 256 * 1024, List.of(), AddressPolicy.defaults());
        }

        public Config withExtraCas(List<X509Certificate> cas) {
            return new Config(requestTimeout, maxRedirects, maxBodyBytes, cas, addressPolicy);
        }

        public Config withAddressPolicy(AddressPolicy policy) {
            return new Config(requestTimeout, maxRedirects, maxBodyBytes, extraCas, policy);
        }
    }

    private final Config config;
    private final Vertx vertx;
    private final HttpClientOptions verifiedOptions;
    private final HttpClientOptions unverifiedOptions;
    /** The same with the JDK's engine, for origins whose handshake BoringSSL could not make. */
    private final HttpClientOptions jdkVerifiedOptions;
    private final HttpClientOptions jdkUnverifiedOptions;
    private final ExecutorService sessions = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vigil-http-session");
        t.setDaemon(true);
        return t;
    });

    public HttpProber(Config config) {
        this.config = config;
        this.vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(2).setEventLoopPoolSize(2));
        HttpClientOptions base = new HttpClientOptions()
                .setMaxHeaderSize(32 * 1024)
                .setMaxInitialLineLength(8 * 1024)
                // Kept alive only for the few requests of one probe (redirects, the CORS preflight), never across probes.
                .setKeepAlive(true)
                .setKeepAliveTimeout(2)
                .setConnectTimeout((int) config.requestTimeout().toMillis())
                .setForceSni(true)
                .setSslEngineOptions(engine());
        this.verifiedOptions = new HttpClientOptions(base)
                .setVerifyHost(true)
                .setTrustOptions(TrustOptions.wrap(Trust.systemPlus(config.extraCas())));
        this.unverifiedOptions = new HttpClientOptions(base).setTrustAll(true).setVerifyHost(false);
        this.jdkVerifiedOptions = new HttpClientOptions(verifiedOptions).setSslEngineOptions(new JdkSSLEngineOptions());
        this.jdkUnverifiedOptions = new HttpClientOptions(unverifiedOptions).setSslEngineOptions(new JdkSSLEngineOptions());
    }

    private static SSLEngineOptions engine() {
        return "boringssl".equals(TLS_ENGINE) ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions();
    }

    private record Origin(HttpClient client, boolean nativeEngine) {
    }

    /** One connection per origin: the redirect to https and the preflight wait for it rather than pay another handshake. */
    private static final PoolOptions ONE_CONNECTION = new PoolOptions().setHttp1MaxSize(1);

    /**
     * One probe's HTTP clients, one per origin and trust mode: connections are reused between the probe's own
     * requests to an origin (redirect hops, the CORS preflight) and closed with it, so no probe ever rides on a
     * connection an earlier one opened. Every established connection is closed at the probe's deadline whatever
     * the server still sends (a trickling server resets idle timeouts forever). A connection still in its TLS
     * handshake is not visible yet, so the handshake timeout ends it: each origin's client is built right before
     * its first request with the time then left, so a handshake ends by the deadline plus the TCP connect time.
     */
    private final class Clients implements AutoCloseable {
        private final long deadline;
        private final List<ConnectionDeadline> connections = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, HttpClient> byOrigin = new java.util.HashMap<>();
        /** Origins whose handshake the native engine could not make: the rest of the probe uses the JDK's there. */
        private final Set<SocketAddress> jdkOrigins = new HashSet<>();

        Clients(long deadline) {
            this.deadline = deadline;
        }

        /** The client for an origin, and whether its handshakes are the native engine's. */
        synchronized Origin get(boolean verify, boolean tls, SocketAddress server) {
            boolean jdk = !"boringssl".equals(TLS_ENGINE) || jdkOrigins.contains(server);
            String origin = verify + "|" + tls + "|" + server + "|" + jdk;
            return new Origin(byOrigin.computeIfAbsent(origin, o -> build(jdk ? (verify ? jdkVerifiedOptions : jdkUnverifiedOptions)
                    : verify ? verifiedOptions : unverifiedOptions)), !jdk);
        }

        /** From now on the probe's handshakes with this origin are the JDK's. */
        synchronized void useJdk(SocketAddress server) {
            jdkOrigins.add(server);
        }

        private HttpClient build(HttpClientOptions shared) {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            HttpClientOptions options = new HttpClientOptions(shared)
                    .setSslHandshakeTimeout(left)
                    .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
                    .setConnectTimeout((int) Math.min(shared.getConnectTimeout(), left));
            return vertx.httpClientBuilder().with(options).with(ONE_CONNECTION)
                    .withConnectHandler(connection -> connections.add(ConnectionDeadline.closeAt(connection::close, deadline)))
                    .build();
        }

        @Override
        public synchronized void close() {
            synchronized (connections) {
                connections.forEach(ConnectionDeadline::close);
            }
            byOrigin.values().forEach(HttpClient::close);
        }
    }

    public HttpFindings probe(HttpTarget target, Duration budget) {
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        try (Clients clients = new Clients(deadline)) {
            return probe(target, start, deadline, clients);
        }
    }

    private HttpFindings probe(HttpTarget target, long start, long deadline, Clients clients) {
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Optional<Session>> https = CompletableFuture.supplyAsync(
                () -> session(target.httpsUrl(), target, clients, deadline, errors), sessions);
        CompletableFuture<Optional<Session>> http = CompletableFuture.supplyAsync(
                () -> session(target.httpUrl(), target, clients, deadline, errors), sessions);
        Optional<Session> httpsSession = await(https, deadline).flatMap(s -> s);
        Optional<Session> httpSession = await(http, deadline).flatMap(s -> s);
        Optional<Session> auto = httpsSession.isPresent() ? httpsSession : httpSession;
        Optional<Response> preflight = auto.flatMap(s -> preflight(s.finalResponse().url(), target, clients, s.verified(), deadline, errors));
        return new HttpFindings(target.host(), httpSession, httpsSession, preflight, List.copyOf(errors),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * One session, verified first and unverified after a certificate problem, as the Observatory does; a handshake the
     * native engine could not make is made again with the JDK's. Each retry changes one thing for good (an origin's
     * engine, or verification off), so a session makes a few attempts at most, all within the probe's deadline.
     */
    private Optional<Session> session(String startUrl, HttpTarget target, Clients clients, long deadline, List<String> errors) {
        boolean verify = true;
        Set<SocketAddress> switched = new HashSet<>();
        while (true) {
            try {
                return Optional.of(new Session(startUrl, chain(startUrl, target, clients, verify, deadline), verify));
            } catch (HandshakeRefused e) {
                if (!switched.add(e.server)) {
                    errors.add(startUrl + ": " + describe(e.getCause()));
                    return Optional.empty();
                }
                clients.useJdk(e.server);
            } catch (CertificateProblem e) {
                if (!verify) {
                    errors.add(startUrl + ": " + describe(e));
                    return Optional.empty();
                }
                verify = false;
            } catch (Exception e) {
                errors.add(startUrl + ": " + describe(e));
                return Optional.empty();
            }
        }
    }

    private List<Response> chain(String startUrl, HttpTarget target, Clients clients, boolean verify, long deadline) throws Exception {
        List<Response> responses = new ArrayList<>();
        String url = startUrl;
        for (int hop = 0; hop <= config.maxRedirects(); hop++) {
            Response response = fetch(clients, verify, HttpMethod.GET, url, target, deadline, Map.of());
            responses.add(response);
            if (!response.redirect()) {
                break;
            }
            url = URI.create(url).resolve(response.headers().first("Location").orElseThrow().trim()).toString();
        }
        return responses;
    }

    private Optional<Response> preflight(String url, HttpTarget target, Clients clients, boolean verify, long deadline,
            List<String> errors) {
        Map<String, String> headers = Map.of("Origin", PREFLIGHT_ORIGIN, "Access-Control-Request-Method", "GET");
        try {
            String current = url;
            for (int hop = 0; hop <= config.maxRedirects(); hop++) {
                Response response = fetch(clients, verify, HttpMethod.OPTIONS, current, target, deadline, headers);
                if (!response.redirect()) {
                    return response.status() >= 200 && response.status() < 300 ? Optional.of(response) : Optional.empty();
                }
                current = URI.create(current).resolve(response.headers().first("Location").orElseThrow().trim()).toString();
            }
        } catch (Exception e) {
            errors.add("CORS preflight " + url + ": " + describe(e));
        }
        return Optional.empty();
    }

    private Response fetch(Clients clients, boolean verify, HttpMethod method, String url, HttpTarget target, long deadline,
            Map<String, String> extraHeaders) throws Exception {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new TimeoutException("probe budget spent");
        }
        URI uri = URI.create(url);
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        if (!tls && !"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("unsupported scheme in " + url);
        }
        Authority authority = Authority.of(uri, tls ? 443 : 80);
        String host = authority.host();
        int port = authority.port();
        SocketAddress server = server(host, port, tls, target);
        String pathAndQuery = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        long timeout = Math.min(config.requestTimeout().toMillis(), TimeUnit.NANOSECONDS.toMillis(remaining));
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setHost(host)
                .setPort(port)
                .setURI(pathAndQuery)
                .setSsl(tls)
                .setServer(server)
                .setFollowRedirects(false)
                .setConnectTimeout(timeout)
                .setIdleTimeout(timeout)
                .putHeader("Accept", ACCEPT)
                .putHeader("User-Agent", USER_AGENT);
        extraHeaders.forEach(options::putHeader);
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        Origin origin = clients.get(verify, tls, server);
        Future<Response> future = origin.client().request(options)
                .compose(request -> {
                    sent.set(request);
                    // Handlers go on the response inside the request's own callback: there it runs on the
                    // connection's context before the body arrives. An outer compose runs later, on another
                    // thread, when a short response may have ended already (vert.x#3748).
                    return request.send().compose(response -> read(url, response));
                });
        try {
            return future.toCompletionStage().toCompletableFuture().get(Math.max(1, timeout), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (certificateProblem(cause)) {
                throw new CertificateProblem(cause);
            }
            if (tls && origin.nativeEngine() && cause instanceof SSLHandshakeException) {
                throw new HandshakeRefused(server, cause);
            }
            throw cause instanceof Exception ex ? ex : e;
        } catch (TimeoutException e) {
            // Never reused: a connection whose answer did not arrive in time is dropped at once.
            Optional.ofNullable(sent.get()).ifPresent(HttpClientRequest::reset);
            throw new TimeoutException("no complete answer from " + url + " within " + timeout + " ms");
        }
    }

    /** A URL's host and port (the scheme's default when absent). */
    record Authority(String host, int port) {

        /**
         * java.net.URI leaves host and port unset for hosts such as {@code 127.2} (a numeric last label is not a
         * registry name to it), which browsers and the WHATWG URL standard read as IPv4: read from the authority then.
         */
        static Authority of(URI uri, int defaultPort) throws UnknownHostException {
            if (uri.getHost() != null) {
                return new Authority(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : defaultPort);
            }
            String authority = uri.getRawAuthority();
            if (authority == null || authority.isEmpty()) {
                throw new UnknownHostException("no host in " + uri);
            }
            String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
            int colon = hostPort.lastIndexOf(':');
            if (colon < 0 || hostPort.endsWith("]")) {
                return new Authority(hostPort, defaultPort);
            }
            try {
                return new Authority(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new UnknownHostException("bad port in " + uri);
            }
        }
    }

    /**
     * Where a hop connects: the target's own address for its host (already resolved and checked by the caller, and
     * checked again here), else the hop's host resolved once. Every hop is checked against the address policy
     * before any connection, and the connection goes to the address checked. A hop to another host is the
     * server's choice ({@link AddressSource#redirected()}), whoever started the probe.
     */
    private SocketAddress server(String host, int port, boolean tls, HttpTarget target) throws UnknownHostException {
        boolean sameHost = host.equalsIgnoreCase(target.host());
        AddressSource source = sameHost ? target.source() : target.source().redirected();
        InetAddress address;
        int physical = port;
        if (sameHost && target.connectTo().isPresent()) {
            address = target.connectTo().get();
            physical = tls && port == target.httpsPort() ? target.httpsConnectPort()
                    : !tls && port == target.httpPort() ? target.httpConnectPort() : port;
        } else {
            address = HostResolver.resolve(host);
        }
        AddressPolicy.Decision decision = config.addressPolicy().check(address, source);
        if (!decision.allowed()) {
            throw new UnknownHostException(decision.message(address));
        }
        return SocketAddress.inetSocketAddress(physical, address.getHostAddress());
    }

    private Future<Response> read(String url, HttpClientResponse response) {
        Promise<Response> promise = Promise.promise();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<Map.Entry<String, String>> lines = new ArrayList<>();
        response.headers().forEach(e -> lines.add(new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue())));
        Headers headers = new Headers(List.copyOf(lines));
        response.handler(buffer -> {
            int room = config.maxBodyBytes() - body.size();
            if (room > 0) {
                byte[] bytes = buffer.getBytes();
                body.write(bytes, 0, Math.min(room, bytes.length));
            } else if (promise.tryComplete(new Response(url, response.statusCode(), headers, body.toByteArray()))) {
                response.request().reset(); // enough of the body: stop an endless one
            }
        });
        response.exceptionHandler(e -> promise.tryComplete(new Response(url, response.statusCode(), headers, body.toByteArray())));
        response.endHandler(v -> promise.tryComplete(new Response(url, response.statusCode(), headers, body.toByteArray())));
        return promise.future();
    }

    private static boolean certificateProblem(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof CertificateException || c instanceof CertPathValidatorException) {
                return true;
            }
            if (c instanceof SSLHandshakeException && c.getMessage() != null
                    && (c.getMessage().contains("certificate") || c.getMessage().contains("PKIX")
                            || c.getMessage().contains("subject alternative"))) {
                return true;
            }
        }
        return false;
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (root instanceof SSLException && !(root instanceof SSLHandshakeException)) {
            message = "TLS error: " + message;
        }
        return message.length() > 200 ? message.substring(0, 200) : message;
    }

    private static <T> Optional<T> await(CompletableFuture<T> future, long deadline) {
        try {
            return Optional.ofNullable(future.get(Math.max(1, deadline - System.nanoTime()) + 1_000_000_000L, TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        }
    }

    /** The native engine could not make a handshake (no suite or group in common, say) that the JDK's may. */
    private static final class HandshakeRefused extends Exception {
        private final transient SocketAddress server;

        HandshakeRefused(SocketAddress server, Throwable cause) {
            super(cause);
            this.server = server;
        }
    }

    private static final class CertificateProblem extends Exception {
        CertificateProblem(Throwable cause) {
            super(cause);
        }
    }

    @Override
    public void close() {
        sessions.shutdownNow();
        vertx.close();
    }
}
