package dev.vigil.probe.tls;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.tls.CipherSuite;

/**
 * The IANA cipher-suite registry, read from Bouncy Castle's {@link CipherSuite} constants rather
 * than typed by hand, with the properties the grade needs (RC4, 3DES, NULL, EXPORT, anonymous …).
 */
public final class CipherSuites {

    private static final Map<Integer, String> NAMES = load();
    private static final List<Integer> TLS13 = List.of(0x1301, 0x1302, 0x1303, 0x1304, 0x1305);
    private static final List<Integer> LEGACY = NAMES.keySet().stream().filter(c -> !TLS13.contains(c) && c < 0xFF00).toList();
    private static final List<Integer> ECDHE = LEGACY.stream().filter(c -> name(c).contains("ECDHE")).toList();
    private static final List<Integer> BEFORE_TLS12 = LEGACY.stream().filter(c -> !tls12Only(name(c))).toList();

    private CipherSuites() {
    }

    private static Map<Integer, String> load() {
        Map<Integer, String> names = new TreeMap<>();
        for (Field field : CipherSuite.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class && field.getName().startsWith("TLS_")) {
                try {
                    names.putIfAbsent(field.getInt(null), field.getName());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        names.remove(0x00FF); // TLS_EMPTY_RENEGOTIATION_INFO_SCSV
        names.remove(0x5600); // TLS_FALLBACK_SCSV
        names.remove(0x0000); // TLS_NULL_WITH_NULL_NULL must never be negotiated: a server "choosing" it is garbage
        return Collections.unmodifiableMap(names);
    }

    public static String name(int code) {
        return NAMES.getOrDefault(code, String.format("0x%04X", code));
    }

    /** Every suite usable below TLS 1.3 (the registry minus TLS 1.3 suites and signalling values). */
    public static List<Integer> legacyCatalogue() {
        return LEGACY;
    }

    public static List<Integer> ecdheCatalogue() {
        return ECDHE;
    }

    /**
     * What a hello for this protocol offers: TLS 1.3's own suites, or the legacy catalogue without the suites
     * that only TLS 1.2 defines (AEAD ciphers, SHA-256/384 MACs) when asking for SSLv3–TLS 1.1.
     */
    public static List<Integer> catalogue(TlsProtocol protocol) {
        return switch (protocol) {
            case TLSv1_3 -> TLS13;
            case TLSv1_2 -> LEGACY;
            default -> BEFORE_TLS12;
        };
    }

    static boolean tls12Only(String name) {
        return name.contains("_GCM") || name.contains("_CCM") || name.contains("CHACHA20") || name.contains("KUZNYECHIK")
                || name.contains("MAGMA") || !name.contains("PSK") && (name.endsWith("_SHA256") || name.endsWith("_SHA384"));
    }

    public static List<Integer> tls13Catalogue() {
        return TLS13;
    }

    public static boolean rc4(String name) {
        return name.contains("_RC4_");
    }

    public static boolean tripleDes(String name) {
        return name.contains("3DES");
    }

    public static boolean nullExportOrAnonymous(String name) {
        return name.contains("_NULL_") || name.endsWith("_NULL") || name.contains("EXPORT") || name.contains("_anon_")
                || name.contains("_WITH_NULL");
    }

    /** DES, RC2 and other ciphers under 112 bits. */
    public static boolean under112Bits(String name) {
        return name.contains("_DES_CBC_") || name.contains("DES40") || name.contains("RC2") || name.contains("_DES_");
    }
}
