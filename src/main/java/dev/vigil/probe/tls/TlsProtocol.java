package dev.vigil.probe.tls;

/** Protocol versions the enumerator asks for, with their wire numbers and usual names. */
public enum TlsProtocol {
    SSLv3(0x0300, "SSLv3"), TLSv1(0x0301, "TLSv1"), TLSv1_1(0x0302, "TLSv1.1"), TLSv1_2(0x0303, "TLSv1.2"),
    TLSv1_3(0x0304, "TLSv1.3");

    private final int wire;
    private final String label;

    TlsProtocol(int wire, String label) {
        this.wire = wire;
        this.label = label;
    }

    public int wire() {
        return wire;
    }

    public String label() {
        return label;
    }

    public static java.util.Optional<TlsProtocol> fromWire(int wire) {
        for (TlsProtocol p : values()) {
            if (p.wire == wire) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }

    public static TlsProtocol ofLabel(String label) {
        for (TlsProtocol p : values()) {
            if (p.label.equals(label)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown protocol " + label);
    }
}
