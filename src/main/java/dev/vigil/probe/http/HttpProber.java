package dev.vigil.probe.http;

import dev.vigil.probe.AddressPolicy;
import dev.vigil.probe.Trust;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
                .setForceSni(true);
        this.verifiedOptions = new HttpClientOptions(base)
                .setVerifyHost(true)
                .setTrustOptions(TrustOptions.wrap(Trust.systemPlus(config.extraCas())));
        this.unverifiedOptions = new HttpClientOptions(base).setTrustAll(true).setVerifyHost(false);
    }

    /** One connection per origin: the redirect to https and the preflight wait for it rather than pay another handshake. */
    private static final PoolOptions ONE_CONNECTION = new PoolOptions().setHttp1MaxSize(1);

    /**
     * One probe's HTTP clients: connections are reused between its own requests (redirect hops, the CORS
     * preflight) and closed with it, so no probe ever rides on a connection an earlier one opened.
     */
    private final class Clients implements AutoCloseable {
        final HttpClient verified = vertx.createHttpClient(verifiedOptions, ONE_CONNECTION);
        private volatile HttpClient unverified;

        HttpClient get(boolean verify) {
            if (verify) {
                return verified;
            }
            synchronized (this) {
                if (unverified == null) {
                    unverified = vertx.createHttpClient(unverifiedOptions, ONE_CONNECTION);
                }
                return unverified;
            }
        }

        @Override
        public void close() {
            verified.close();
            if (unverified != null) {
                unverified.close();
            }
        }
    }

    public HttpFindings probe(HttpTarget target, Duration budget) {
        try (Clients clients = new Clients()) {
            return probe(target, budget, clients);
        }
    }

    private HttpFindings probe(HttpTarget target, Duration budget, Clients clients) {
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Optional<Session>> https = CompletableFuture.supplyAsync(
                () -> session(target.httpsUrl(), target, clients, deadline, errors), sessions);
        CompletableFuture<Optional<Session>> http = CompletableFuture.supplyAsync(
                () -> session(target.httpUrl(), target, clients, deadline, errors), sessions);
        Optional<Session> httpsSession = await(https, deadline).flatMap(s -> s);
        Optional<Session> httpSession = await(http, deadline).flatMap(s -> s);
        Optional<Session> auto = httpsSession.isPresent() ? httpsSession : httpSession;
        Optional<Response> preflight = auto.flatMap(s -> preflight(s.finalResponse().url(), target, clients.get(s.verified()), deadline, errors));
        return new HttpFindings(target.host(), httpSession, httpsSession, preflight, List.copyOf(errors),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private Optional<Session> session(String startUrl, HttpTarget target, Clients clients, long deadline, List<String> errors) {
        try {
            return Optional.of(new Session(startUrl, chain(startUrl, target, clients.get(true), deadline), true));
        } catch (CertificateProblem e) {
            try {
                return Optional.of(new Session(startUrl, chain(startUrl, target, clients.get(false), deadline), false));
            } catch (Exception again) {
                errors.add(startUrl + ": " + describe(again));
                return Optional.empty();
            }
        } catch (Exception e) {
            errors.add(startUrl + ": " + describe(e));
            return Optional.empty();
        }
    }

    private List<Response> chain(String startUrl, HttpTarget target, HttpClient client, long deadline) throws Exception {
        List<Response> responses = new ArrayList<>();
        String url = startUrl;
        for (int hop = 0; hop <= config.maxRedirects(); hop++) {
            Response response = fetch(client, HttpMethod.GET, url, target, deadline, Map.of());
            responses.add(response);
            if (!response.redirect()) {
                break;
            }
            url = URI.create(url).resolve(response.headers().first("Location").orElseThrow().trim()).toString();
        }
        return responses;
    }

    private Optional<Response> preflight(String url, HttpTarget target, HttpClient client, long deadline, List<String> errors) {
        Map<String, String> headers = Map.of("Origin", PREFLIGHT_ORIGIN, "Access-Control-Request-Method", "GET");
        try {
            String current = url;
            for (int hop = 0; hop <= config.maxRedirects(); hop++) {
                Response response = fetch(client, HttpMethod.OPTIONS, current, target, deadline, headers);
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

    private Response fetch(HttpClient client, HttpMethod method, String url, HttpTarget target, long deadline,
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
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        SocketAddress server = server(uri.getHost(), port, tls, target);
        String pathAndQuery = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        long timeout = Math.min(config.requestTimeout().toMillis(), TimeUnit.NANOSECONDS.toMillis(remaining));
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setHost(uri.getHost())
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
        Future<Response> future = client.request(options)
                .compose(request -> request.send())
                .compose(response -> read(url, response));
        try {
            return future.toCompletionStage().toCompletableFuture().get(Math.max(1, timeout), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (certificateProblem(cause)) {
                throw new CertificateProblem(cause);
            }
            throw cause instanceof Exception ex ? ex : e;
        } catch (TimeoutException e) {
            throw new TimeoutException("no complete answer from " + url + " within " + timeout + " ms");
        }
    }

    private SocketAddress server(String host, int port, boolean tls, HttpTarget target) throws UnknownHostException {
        if (host.equalsIgnoreCase(target.host()) && target.connectTo().isPresent()) {
            int physical = tls && port == target.httpsPort() ? target.httpsConnectPort()
                    : !tls && port == target.httpPort() ? target.httpConnectPort() : port;
            return SocketAddress.inetSocketAddress(physical, target.connectTo().get().getHostAddress());
        }
        InetAddress address = InetAddress.getByName(host);
        Optional<String> denied = config.addressPolicy().deniedRange(address);
        if (denied.isPresent()) {
            throw new UnknownHostException("refused to connect to " + address.getHostAddress() + " (" + denied.get() + ")");
        }
        return SocketAddress.inetSocketAddress(port, address.getHostAddress());
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
