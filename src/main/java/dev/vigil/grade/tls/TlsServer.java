package dev.vigil.grade.tls;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The servers {@code vigil tls-config} writes a configuration for; the label is what {@code --server} takes. */
public enum TlsServer {
    INGRESS_NGINX("ingress-nginx"),
    NGINX("nginx"),
    HAPROXY("haproxy"),
    ENVOY("envoy");

    private final String label;

    TlsServer(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static List<String> labels() {
        return Arrays.stream(values()).map(TlsServer::label).toList();
    }

    public static Optional<TlsServer> parse(String label) {
        return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst();
    }
}
