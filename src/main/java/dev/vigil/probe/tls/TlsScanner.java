package dev.vigil.probe.tls;

import dev.vigil.probe.ConnectionDeadline;
import dev.vigil.probe.HostResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.tls.NamedGroup;

/**
 * Enumerates protocols, cipher suites, order and key-exchange groups with hand-built ClientHellos,
 * offering the whole IANA catalogue and removing the suite the server picks until it refuses (the
 * method of testssl.sh, sslscan and nmap); then one full handshake for the certificate chain.
 * Bounded by per-handshake timeouts, a total budget, a handshake cap and a few parallel
 * connections per target. The budget is hard: every connection is closed at the scan's deadline
 * whatever the server keeps sending, and {@link #scan} returns with no thread or socket of its own
 * left behind (the one exception, the chain handshake retried after an over-budget scan, has its own
 * hard deadline of {@link #retryAllowance}).
 */
public final class TlsScanner {

    /** @param aia whether and how intermediates a server does not send are fetched from AIA URLs (off by default) */
    public record Config(Duration connectTimeout, Duration readTimeout, Duration budget, int maxHandshakes, int parallel,
            List<X509Certificate> extraCas, AiaFetcher.Settings aia) {
        public static Config defaults() {
            return new Config(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(30), 600, 4, List.of(),
                    AiaFetcher.Settings.OFF);
        }

        public Config withExtraCas(List<X509Certificate> cas) {
            return new Config(connectTimeout, readTimeout, budget, maxHandshakes, parallel, cas, aia);
        }

        public Config withBudget(Duration b) {
            return new Config(connectTimeout, readTimeout, b, maxHandshakes, parallel, extraCas, aia);
        }

        public Config withAia(AiaFetcher.Settings settings) {
            return new Config(connectTimeout, readTimeout, budget, maxHandshakes, parallel, extraCas, settings);
        }
    }

    static final int CHUNK = 128;

    private final Config config;

    public TlsScanner(Config config) {
        this.config = config;
    }

    public TlsScanResult scan(TlsTarget target) {
        long start = System.nanoTime();
        Run run = new Run(target, start + config.budget().toNanos());
        InetSocketAddress address;
        try {
            InetAddress ip = target.connectTo().isPresent() ? target.connectTo().get() : HostResolver.resolve(target.host());
            address = new InetSocketAddress(ip, target.port());
        } catch (IOException e) {
            return new TlsScanResult(target.host(), target.port(), false, Map.of(), CertificateFacts.none(), 0,
                    Duration.ofNanos(System.nanoTime() - start), List.of("cannot resolve " + target.host()));
        }
        run.address = address;
        // One offer first, alone: the TLS 1.2 enumeration's own first hello. A closed port, a plain-HTTP server or any
        // other protocol ends the scan after this one connection; the answer's version also rules out older protocols.
        List<Integer> tls12 = CipherSuites.catalogue(TlsProtocol.TLSv1_2);
        Optional<ServerFlight> opening = run.hello(TlsProtocol.TLSv1_2, tls12, ClientHello.GROUPS, true);
        Optional<Integer> openingAlert = opening.flatMap(ServerFlight::alert);
        if (openingAlert.isPresent() && NOT_TLS.contains(openingAlert.get())) {
            int alert = openingAlert.get();
            String why = alert == ServerFlight.PLAIN_HTTP ? "the port answered in plain HTTP, not TLS"
                    : alert == ServerFlight.NO_CONNECTION ? "cannot connect to " + address.getAddress().getHostAddress() + ":" + target.port()
                    : "the port speaks another protocol, not TLS";
            return new TlsScanResult(target.host(), target.port(), false, Map.of(), CertificateFacts.none(), run.handshakes.get(),
                    Duration.ofNanos(System.nanoTime() - start), List.of(why), List.of(), false, alert == ServerFlight.PLAIN_HTTP);
        }
        int highestUpTo12 = opening.filter(ServerFlight::accepted).map(ServerFlight::version).orElse(TlsProtocol.TLSv1_2.wire());
        Map<TlsProtocol, Found> found = Collections.synchronizedMap(new EnumMap<>(TlsProtocol.class));
        Map<TlsProtocol, Set<Integer>> groups = Collections.synchronizedMap(new EnumMap<>(TlsProtocol.class));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(config.parallel(), 5)), r -> {
            Thread t = new Thread(r, "vigil-tls-enum");
            t.setDaemon(true);
            return t;
        });
        Future<List<CertificateInspector.Seen>> chains = null;
        // A TLS ≤ 1.2 answer carries the chain (and staple) in clear, and the enumeration's flights show every
        // certificate its suites select: full handshakes are needed only when the first answer carried none (TLS 1.3).
        boolean chainInClear = opening.filter(f -> f.accepted() && !f.certificates().isEmpty()).isPresent();
        Future<Boolean> sslv2;
        try {
            // Longest chains of dependent handshakes first; groups need no suite results, so they run alongside.
            List<Future<?>> jobs = new ArrayList<>();
            jobs.add(pool.submit(() -> enumerate(run, TlsProtocol.TLSv1_2, opening).ifPresent(f -> found.put(TlsProtocol.TLSv1_2, f))));
            jobs.add(pool.submit(() -> enumerate(run, TlsProtocol.TLSv1_3, Optional.empty()).ifPresent(f -> found.put(TlsProtocol.TLSv1_3, f))));
            jobs.add(pool.submit(() -> enumerateGroups(run, TlsProtocol.TLSv1_3, groups)));
            if (!chainInClear) {
                chains = pool.submit(() -> chainHandshakes(target, address, run.deadline));
            }
            if (highestUpTo12 >= TlsProtocol.TLSv1.wire()) {
                jobs.add(pool.submit(() -> enumerateGroups(run, TlsProtocol.TLSv1_2, groups)));
            }
            for (TlsProtocol protocol : List.of(TlsProtocol.TLSv1_1, TlsProtocol.TLSv1, TlsProtocol.SSLv3)) {
                // A server answers a TLS 1.2 offer with its best version up to 1.2: nothing between that and 1.2 exists.
                if (protocol.wire() <= highestUpTo12) {
                    jobs.add(pool.submit(() -> enumerate(run, protocol, Optional.empty()).ifPresent(f -> found.put(protocol, f))));
                }
            }
            sslv2 = pool.submit(() -> SslV2.offered(address, config, run.deadline, run.handshakes));
            if (chains != null) {
                jobs.add(chains);
            }
            jobs.add(sslv2);
            for (Future<?> job : jobs) {
                try {
                    job.get(Math.max(1, run.deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    job.cancel(true);
                    run.errors.add("enumeration stopped: " + e.getClass().getSimpleName());
                }
            }
        } finally {
            pool.shutdownNow();
            awaitQuietly(pool);
        }
        Map<TlsProtocol, ProtocolSupport> protocols = new EnumMap<>(TlsProtocol.class);
        found.forEach((protocol, f) -> protocols.put(protocol, f.support(groups.getOrDefault(protocol, Set.of()))));
        List<CertificateFacts> certificates = List.of();
        if (!protocols.isEmpty()) {
            List<CertificateInspector.Seen> seen = new ArrayList<>(done(chains));
            if (seen.stream().allMatch(s -> s.chain().isEmpty()) && run.rawChains.isEmpty()) {
                // The handshakes did not finish within the budget (an overloaded server) and no raw flight carried a
                // chain: one more try, as the chain decides several controls.
                seen = List.of(CertificateInspector.handshake(target, address, config, System.nanoTime() + retryAllowance().toNanos(),
                        CertificateInspector.Signatures.ANY));
            }
            // As a browser would be served: an ECDSA certificate before an RSA one.
            List<CertificateInspector.Seen> raw = new ArrayList<>(run.rawChains);
            raw.sort(java.util.Comparator.comparing(r -> !(r.chain().get(0).getPublicKey() instanceof java.security.interfaces.ECPublicKey)));
            certificates = CertificateInspector.inspect(target, seen, raw, run.stapled, config,
                    System.nanoTime() + retryAllowance().toNanos(), Instant.now());
        }
        CertificateFacts primary = certificates.isEmpty() ? CertificateFacts.none() : certificates.get(0);
        List<CertificateFacts> others = certificates.size() > 1 ? certificates.subList(1, certificates.size()) : List.of();
        return new TlsScanResult(target.host(), target.port(), !protocols.isEmpty(), protocols, primary, run.handshakes.get(),
                Duration.ofNanos(System.nanoTime() - start), List.copyOf(run.errors), List.copyOf(others), answered(sslv2), false);
    }

    /** First answers that end a scan at once: nothing listens, or something that is not TLS does. */
    private static final Set<Integer> NOT_TLS = Set.of(ServerFlight.PLAIN_HTTP, ServerFlight.OTHER_PROTOCOL, ServerFlight.NO_CONNECTION);

    /** The retried chain handshake's own hard deadline: one read timeout, never more than the budget. */
    Duration retryAllowance() {
        return config.readTimeout().compareTo(config.budget()) < 0 ? config.readTimeout() : config.budget();
    }

    /** Every connection was closed at the deadline, so the workers end at once; waiting makes "nothing left running" true. */
    private static void awaitQuietly(ExecutorService pool) {
        try {
            pool.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<CertificateInspector.Seen> done(Future<List<CertificateInspector.Seen>> handshakes) {
        try {
            return handshakes != null && handshakes.isDone() && !handshakes.isCancelled() ? handshakes.get() : List.of();
        } catch (Exception e) {
            return List.of();
        }
    }

    /**
     * The chain as a browser gets it (every signature algorithm, ECDSA first), then — unless that one is already RSA —
     * with RSA signatures only, which makes a server with an ECDSA and an RSA certificate show the RSA one.
     */
    private List<CertificateInspector.Seen> chainHandshakes(TlsTarget target, InetSocketAddress address, long deadline) {
        List<CertificateInspector.Seen> seen = new ArrayList<>();
        CertificateInspector.Seen any = CertificateInspector.handshake(target, address, config, deadline, CertificateInspector.Signatures.ANY);
        seen.add(any);
        if (any.chain().isEmpty() || !(any.chain().get(0).getPublicKey() instanceof java.security.interfaces.RSAPublicKey)) {
            seen.add(CertificateInspector.handshake(target, address, config, deadline, CertificateInspector.Signatures.RSA_ONLY));
        }
        return seen;
    }

    private static boolean answered(Future<Boolean> probe) {
        try {
            return probe.isDone() && !probe.isCancelled() && probe.get();
        } catch (Exception e) {
            return false;
        }
    }

    /** One protocol's accepted suites (in the server's order when it has one) and what the flights showed. */
    private record Found(TlsProtocol protocol, List<Integer> suites, String order, Set<Integer> groupsSeen,
            Optional<Integer> minDh) {
        ProtocolSupport support(Set<Integer> enumerated) {
            Set<Integer> all = new LinkedHashSet<>(enumerated);
            all.addAll(groupsSeen);
            return new ProtocolSupport(protocol, suites.stream().map(CipherSuites::name).toList(), order,
                    all.stream().map(TlsScanner::groupName).toList(), minDh);
        }
    }

    /**
     * The suites found offering {@code chunk} at a time; {@code chunks} counts the offers that yielded any; {@code order}
     * is "server" or "client" when discovery itself showed it.
     */
    private record Discovery(List<Integer> accepted, int chunks, Set<Integer> groups, Optional<Integer> minDh,
            boolean helloRejected, Optional<String> order) {
    }

    /**
     * @param first the answer to this protocol's first offer (the whole catalogue) when it was already sent
     */
    private Optional<Found> enumerate(Run run, TlsProtocol protocol, Optional<ServerFlight> first) {
        List<Integer> catalogue = CipherSuites.catalogue(protocol);
        Discovery d = discover(run, protocol, catalogue, catalogue.size(), first);
        if (d.helloRejected()) {
            // No answer at all to the whole catalogue in one hello: some servers drop large hellos, so offer less at a time.
            d = discover(run, protocol, catalogue, CHUNK, Optional.empty());
        }
        if (d.accepted().isEmpty()) {
            return Optional.empty();
        }
        List<Integer> accepted = d.accepted();
        String order = "n/a";
        if (accepted.size() > 1 && d.order().isPresent()) {
            // Decided during discovery: the second offer repeated the first pick, reversed (see discover).
            order = d.order().get();
        } else if (accepted.size() > 1 && d.chunks() == 1) {
            // Every pick came from one offer holding all the others, so a server that decides picked its own order;
            // offered in reverse, such a server still picks its first, a client-order server the last.
            int firstPick = accepted.get(0);
            Optional<ServerFlight> reversed = run.hello(protocol, reversed(accepted), ClientHello.GROUPS, keyShare(protocol));
            order = reversed.filter(f -> f.accepted() && f.suite() == firstPick).isPresent() ? "server" : "client";
        } else if (accepted.size() > 1) {
            Optional<ServerFlight> forward = run.hello(protocol, accepted, ClientHello.GROUPS, keyShare(protocol));
            Optional<ServerFlight> backward = run.hello(protocol, reversed(accepted), ClientHello.GROUPS, keyShare(protocol));
            boolean server = forward.isPresent() && backward.isPresent() && forward.get().accepted() && backward.get().accepted()
                    && forward.get().suite() == backward.get().suite();
            order = server ? "server" : "client";
            if (server) {
                accepted = preferenceOrder(run, protocol, accepted);
            }
        }
        return Optional.of(new Found(protocol, accepted, order, d.groups(), d.minDh()));
    }

    /**
     * TLS 1.3 offers carry no key share: the server answers with a HelloRetryRequest naming the suite it chose, which
     * costs it no key generation and no signature (a full TLS 1.3 flight costs both).
     */
    private static boolean keyShare(TlsProtocol protocol) {
        return protocol != TlsProtocol.TLSv1_3;
    }

    private Discovery discover(Run run, TlsProtocol protocol, List<Integer> catalogue, int chunk, Optional<ServerFlight> first) {
        List<Integer> accepted = new ArrayList<>();
        Optional<Integer> minDh = Optional.empty();
        Set<Integer> groups = new LinkedHashSet<>();
        int chunks = 0;
        boolean rejected = false;
        Optional<String> order = Optional.empty();
        boolean whole = chunk >= catalogue.size();
        for (int from = 0; from < catalogue.size(); from += chunk) {
            List<Integer> offer = new ArrayList<>(catalogue.subList(from, Math.min(catalogue.size(), from + chunk)));
            boolean yielded = false;
            int step = 0;
            while (!offer.isEmpty()) {
                // The second offer is the first one reversed, the first pick included: a server that decides picks the
                // same suite again, a client-order server the last one it accepts (a new suite). That answers the order
                // without a handshake of its own for client-order servers.
                boolean repeat = whole && step == 1 && accepted.size() == 1;
                List<Integer> sent = repeat ? reversedWith(offer, accepted.get(0)) : offer;
                Optional<ServerFlight> flight = from == 0 && !yielded && first.isPresent() ? first
                        : run.hello(protocol, sent, ClientHello.GROUPS, keyShare(protocol));
                step++;
                if (flight.isEmpty() || !flight.get().accepted() || flight.get().version() != protocol.wire()
                        || !sent.contains(flight.get().suite())) {
                    if (repeat) {
                        continue; // no evidence from the repeat: carry on with the plain offer
                    }
                    rejected |= from == 0 && !yielded && flight.isPresent() && flight.get().alert().equals(Optional.of(-1));
                    break;
                }
                yielded = true;
                ServerFlight f = flight.get();
                if (repeat) {
                    boolean samePick = f.suite() == accepted.get(0);
                    order = Optional.of(samePick ? "server" : "client");
                    if (samePick) {
                        continue;
                    }
                }
                accepted.add(f.suite());
                offer.remove(Integer.valueOf(f.suite()));
                f.group().ifPresent(groups::add);
                if (f.dhBits().isPresent()) {
                    minDh = Optional.of(Math.min(minDh.orElse(Integer.MAX_VALUE), f.dhBits().get()));
                }
                if (!f.certificates().isEmpty()) {
                    run.sawChain(f.certificates(), f.ocspResponse());
                }
                run.stapled |= f.ocspStapled();
            }
            chunks += yielded ? 1 : 0;
        }
        return new Discovery(accepted, chunks, groups, minDh, rejected && chunk >= catalogue.size() && catalogue.size() > CHUNK,
                order);
    }

    /**
     * {@code offer} plus {@code pick} at its head, all reversed: the first offer again, backwards, except that ChaCha20
     * suites go last. A server-order OpenSSL with PRIORITIZE_CHACHA (HAProxy's default) picks ChaCha20 whenever the
     * client lists it first, which would read as client order.
     */
    private static List<Integer> reversedWith(List<Integer> offer, int pick) {
        List<Integer> all = new ArrayList<>(offer.size() + 1);
        all.add(pick);
        all.addAll(offer);
        List<Integer> backwards = reversed(all);
        List<Integer> chacha = backwards.stream().filter(s -> CipherSuites.name(s).contains("CHACHA20")).toList();
        backwards.removeAll(chacha);
        backwards.addAll(chacha);
        return backwards;
    }

    private static List<Integer> reversed(List<Integer> suites) {
        List<Integer> reversed = new ArrayList<>(suites);
        Collections.reverse(reversed);
        return reversed;
    }

    /** The server's order over suites found in different offers: offer them all, take the chosen one out, repeat. */
    private List<Integer> preferenceOrder(Run run, TlsProtocol protocol, List<Integer> accepted) {
        List<Integer> remaining = new ArrayList<>(accepted);
        List<Integer> ordered = new ArrayList<>();
        while (remaining.size() > 1) {
            Optional<ServerFlight> flight = run.hello(protocol, remaining, ClientHello.GROUPS, keyShare(protocol));
            if (flight.isEmpty() || !flight.get().accepted() || !remaining.contains(flight.get().suite())) {
                break;
            }
            ordered.add(flight.get().suite());
            remaining.remove(Integer.valueOf(flight.get().suite()));
        }
        ordered.addAll(remaining);
        return ordered;
    }

    /**
     * Key-exchange groups by the same remove-the-chosen method: once over TLS 1.3, and once over the highest
     * protocol up to TLS 1.2 (offered as TLS 1.2 with every ECDHE suite; the server answers with its best legacy
     * version). Lower legacy versions list the groups their own handshakes showed.
     */
    private void enumerateGroups(Run run, TlsProtocol protocol, Map<TlsProtocol, Set<Integer>> into) {
        boolean tls13 = protocol == TlsProtocol.TLSv1_3;
        List<Integer> suites = tls13 ? CipherSuites.tls13Catalogue()
                : CipherSuites.ecdheCatalogue();
        List<Integer> offer = new ArrayList<>();
        for (int g : ClientHello.GROUPS) {
            if (tls13 || !ClientHello.tls13Only(g) && (g < 0x0100 || g > 0x0104)) {
                offer.add(g);
            }
        }
        while (!offer.isEmpty()) {
            int[] groups = offer.stream().mapToInt(Integer::intValue).toArray();
            Optional<ServerFlight> flight = run.hello(protocol, suites, groups, false);
            if (flight.isEmpty() || !flight.get().accepted() || flight.get().group().isEmpty()
                    || !offer.contains(flight.get().group().get())) {
                return;
            }
            Optional<TlsProtocol> answered = TlsProtocol.fromWire(flight.get().version());
            if (answered.isEmpty() || (tls13 != (answered.get() == TlsProtocol.TLSv1_3))) {
                return;
            }
            into.computeIfAbsent(answered.get(), p -> Collections.synchronizedSet(new LinkedHashSet<>())).add(flight.get().group().get());
            offer.remove(flight.get().group().get());
        }
    }

    static String groupName(int group) {
        switch (group) {
            case 0x11eb:
                return "SecP256r1MLKEM768";
            case 0x11ec:
                return "X25519MLKEM768";
            case 0x11ed:
                return "SecP384r1MLKEM1024";
            default:
                break;
        }
        String name = NamedGroup.getName(group);
        return name == null ? String.format("0x%04X", group) : name;
    }

    /** One scan's shared state: address, budget, handshake count, chain seen. */
    private final class Run {
        final TlsTarget target;
        final long deadline;
        final AtomicInteger handshakes = new AtomicInteger();
        final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        volatile InetSocketAddress address;
        /** Distinct chains the raw flights carried (by leaf), first seen first: a dual-certificate server shows both. */
        final List<CertificateInspector.Seen> rawChains = Collections.synchronizedList(new ArrayList<>());
        volatile boolean stapled;

        Run(TlsTarget target, long deadline) {
            this.target = target;
            this.deadline = deadline;
        }

        void sawChain(List<X509Certificate> chain, Optional<byte[]> staple) {
            synchronized (rawChains) {
                if (rawChains.size() < 4 && rawChains.stream().noneMatch(c -> c.chain().get(0).equals(chain.get(0)))) {
                    rawChains.add(new CertificateInspector.Seen(chain, staple));
                }
            }
        }

        Optional<ServerFlight> hello(TlsProtocol protocol, List<Integer> suites, int[] groups, boolean keyShare) {
            if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
                return Optional.empty();
            }
            if (handshakes.incrementAndGet() > config.maxHandshakes()) {
                if (handshakes.get() == config.maxHandshakes() + 1) {
                    errors.add("handshake cap of " + config.maxHandshakes() + " reached");
                }
                return Optional.empty();
            }
            Socket socket = new Socket();
            // Closed at the scan's deadline whatever the server sends: a read timeout alone is reset by every byte.
            try (ConnectionDeadline limit = ConnectionDeadline.closeAt(socket, deadline)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                try {
                    socket.connect(address, (int) Math.max(1, Math.min(config.connectTimeout().toMillis(), left)));
                } catch (IOException e) {
                    return Optional.of(ServerFlight.refused(ServerFlight.NO_CONNECTION));
                }
                left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                socket.setSoTimeout((int) Math.max(1, Math.min(config.readTimeout().toMillis(), left)));
                OutputStream out = socket.getOutputStream();
                out.write(ClientHello.build(protocol, suites, target.host(), groups, keyShare));
                out.flush();
                InputStream in = socket.getInputStream();
                return Optional.of(ServerFlight.read(in));
            } catch (SocketTimeoutException e) {
                return Optional.of(ServerFlight.refused(-2));
            } catch (IOException e) {
                // reset mid-handshake, refused connection, malformed answer: this offer got no usable answer
                return Optional.of(ServerFlight.refused(-1));
            }
        }
    }
}
