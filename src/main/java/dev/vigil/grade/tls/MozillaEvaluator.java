package dev.vigil.grade.tls;

import dev.vigil.probe.tls.CertificateFacts;
import dev.vigil.probe.tls.CipherSuites;
import dev.vigil.probe.tls.ProtocolSupport;
import dev.vigil.probe.tls.TlsProtocol;
import dev.vigil.probe.tls.TlsScanResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Judges a TLS scan against Mozilla's guidelines: anything offered outside a level's lists fails
 * that level, anything allowed but missing is advice; server order is required only where the
 * level says so; key, curve, signature, DH/ECDH sizes and lifespan are checked. Certificate trust
 * and dates are not Mozilla criteria (they cap the service grade instead).
 */
public final class MozillaEvaluator {

    private static final List<String> STRICTEST_FIRST = List.of("modern", "intermediate", "old");

    private MozillaEvaluator() {
    }

    public static MozillaEvaluation evaluate(TlsScanResult scan, String guidelinesVersion) {
        Guidelines guidelines = Guidelines.load(guidelinesVersion);
        Map<String, MozillaEvaluation.Verdict> verdicts = new LinkedHashMap<>();
        for (Guidelines.Level level : guidelines.levels().values()) {
            verdicts.put(level.name(), judge(scan, level));
        }
        List<String> insecure = insecure(scan);
        String level = "non-compliant";
        if (scan.tlsAvailable() && insecure.isEmpty()) {
            for (String name : STRICTEST_FIRST) {
                MozillaEvaluation.Verdict v = verdicts.get(name);
                if (v != null && v.compliant()) {
                    level = name;
                    break;
                }
            }
        }
        return new MozillaEvaluation(guidelinesVersion, level, verdicts, insecure);
    }

    static MozillaEvaluation.Verdict judge(TlsScanResult scan, Guidelines.Level level) {
        List<String> failures = new ArrayList<>();
        List<String> advice = new ArrayList<>();
        if (!scan.tlsAvailable()) {
            return new MozillaEvaluation.Verdict(false, List.of("enable TLS"), List.of());
        }
        Set<String> offered = new LinkedHashSet<>();
        scan.protocols().keySet().forEach(p -> offered.add(p.label()));
        List<String> extraProtocols = offered.stream().filter(p -> !level.tlsVersions().contains(p)).toList();
        if (!extraProtocols.isEmpty()) {
            failures.add("remove protocols " + String.join(", ", extraProtocols));
        }
        List<String> missingProtocols = level.tlsVersions().stream().filter(p -> !offered.contains(p)).toList();
        if (!missingProtocols.isEmpty()) {
            advice.add("consider enabling protocols " + String.join(", ", missingProtocols));
        }
        Set<String> suites = new LinkedHashSet<>();
        Set<String> tls13 = new LinkedHashSet<>();
        boolean clientOrder = false;
        Set<String> groups = new LinkedHashSet<>();
        int minDh = Integer.MAX_VALUE;
        for (ProtocolSupport support : scan.protocols().values()) {
            (support.protocol() == TlsProtocol.TLSv1_3 ? tls13 : suites).addAll(support.suites());
            // Server order is judged where the level's choice of suites matters: TLS 1.2 and older. Every TLS 1.3 suite is
            // an AEAD, and servers commonly honour a client's ChaCha20 preference there (HAProxy always sets OpenSSL's
            // PRIORITIZE_CHACHA), so Mozilla's own HAProxy "old" configuration would otherwise never meet old; TLS
            // Observatory, whose scans stop at TLS 1.2, never judged TLS 1.3 order either.
            clientOrder |= support.protocol() != TlsProtocol.TLSv1_3 && "client".equals(support.cipherOrder());
            support.groups().forEach(g -> groups.add(mozillaGroup(g)));
            if (support.minDhBits().isPresent()) {
                minDh = Math.min(minDh, support.minDhBits().get());
            }
        }
        List<String> extraSuites = new ArrayList<>();
        suites.stream().filter(s -> !level.ciphers().contains(s)).forEach(extraSuites::add);
        tls13.stream().filter(s -> !level.ciphersuites().contains(s)).forEach(extraSuites::add);
        if (!extraSuites.isEmpty()) {
            failures.add("remove ciphersuites " + String.join(", ", extraSuites));
        }
        List<String> missingSuites = new ArrayList<>();
        if (scan.protocols().keySet().stream().anyMatch(p -> p != TlsProtocol.TLSv1_3)) {
            level.ciphers().stream().filter(s -> !suites.contains(s)).forEach(missingSuites::add);
        }
        if (scan.protocols().containsKey(TlsProtocol.TLSv1_3)) {
            level.ciphersuites().stream().filter(s -> !tls13.contains(s)).forEach(missingSuites::add);
        }
        if (!missingSuites.isEmpty()) {
            advice.add("consider adding ciphers " + String.join(", ", missingSuites));
        }
        if (level.serverPreferredOrder() && clientOrder) {
            failures.add("enforce server side ordering");
        }
        List<String> extraGroups = groups.stream().filter(g -> !level.tlsCurves().contains(g) && !g.startsWith("ffdhe")).toList();
        if (!extraGroups.isEmpty()) {
            failures.add("remove key exchange groups " + String.join(", ", extraGroups));
        }
        // Guidelines 5.8 and later list a post-quantum hybrid first: advised where TLS 1.3 is offered without it.
        List<String> missingHybrids = level.tlsCurves().stream().filter(MozillaEvaluator::postQuantumHybrid)
                .filter(g -> !groups.contains(g)).toList();
        if (!missingHybrids.isEmpty() && scan.protocols().containsKey(TlsProtocol.TLSv1_3)) {
            advice.add("consider enabling the post-quantum hybrid group " + String.join(", ", missingHybrids)
                    + " (listed first by the guidelines; nginx with OpenSSL 3.5+: ssl_ecdh_curve " + String.join(":", level.tlsCurves()) + ")");
        }
        boolean dheOffered = minDh != Integer.MAX_VALUE || groups.stream().anyMatch(g -> g.startsWith("ffdhe"));
        if (dheOffered && level.dhParamSize().isEmpty()) {
            failures.add("enable Perfect Forward Secrecy with a curve of at least " + level.ecdhParamSize().orElse(256)
                    + "bits, don't use DHE");
        } else if (minDh != Integer.MAX_VALUE && level.dhParamSize().isPresent() && minDh < level.dhParamSize().get()) {
            failures.add("use DHE of at least " + level.dhParamSize().get() + "bits");
        }
        int smallestEcdh = groups.stream().mapToInt(MozillaEvaluator::ecdhBits).filter(b -> b > 0).min().orElse(Integer.MAX_VALUE);
        if (level.ecdhParamSize().isPresent() && smallestEcdh < level.ecdhParamSize().get()) {
            failures.add("use ECDHE of at least " + level.ecdhParamSize().get() + "bits");
        }
        // Every certificate the server presents must meet the level: the weaker one of a dual-certificate server counts.
        for (CertificateFacts cert : scan.certificates()) {
            List<String> own = new ArrayList<>();
            certificate(cert, level, own, advice);
            String prefix = scan.certificates().size() > 1 ? cert.label() + " certificate: " : "";
            own.stream().map(f -> prefix + f).filter(f -> !failures.contains(f)).forEach(failures::add);
        }
        List<String> distinctAdvice = advice.stream().distinct().toList();
        return new MozillaEvaluation.Verdict(failures.isEmpty(), failures, distinctAdvice);
    }

    private static void certificate(CertificateFacts cert, Guidelines.Level level, List<String> failures, List<String> advice) {
        if (!cert.present()) {
            return;
        }
        String type = "RSA".equals(cert.keyType()) ? "rsa" : "EC".equals(cert.keyType()) ? "ecdsa" : cert.keyType().toLowerCase(Locale.ROOT);
        if (!level.certificateTypes().contains(type)) {
            failures.add("use a certificate of type " + String.join(" or ", level.certificateTypes()) + ", not "
                    + cert.keyType());
        }
        if ("rsa".equals(type) && level.rsaKeySize().isPresent() && cert.keyBits() < level.rsaKeySize().get()) {
            failures.add("use a key size of at least " + level.rsaKeySize().get() + "bits");
        }
        if ("ecdsa".equals(type) && cert.curve().isPresent() && !level.certificateCurves().contains(cert.curve().get())) {
            failures.add("use a certificate curve of " + String.join(" or ", level.certificateCurves()));
        }
        String signature = openSslSignature(cert.signatureAlgorithm());
        if (!level.certificateSignatures().contains(signature)) {
            failures.add("use a certificate with a " + String.join(" or ", level.certificateSignatures()) + " signature, not "
                    + signature);
        }
        if (cert.lifespanDays() > level.maximumCertificateLifespan()) {
            failures.add("use a certificate with a lifespan of at most " + level.maximumCertificateLifespan()
                    + " days, not " + cert.lifespanDays());
        }
        if (level.ocspStaple() && !cert.ocspStapled()) {
            advice.add("consider enabling OCSP stapling");
        }
    }

    /** Things no level allows: SSLv3, RC4, NULL, EXPORT, anonymous and DES suites, MD5 signatures, RSA under 1024 bits. */
    static List<String> insecure(TlsScanResult scan) {
        List<String> problems = new ArrayList<>();
        if (scan.sslv2()) {
            problems.add("disable SSLv2");
        }
        if (scan.protocols().containsKey(TlsProtocol.SSLv3)) {
            problems.add("disable SSLv3");
        }
        for (String suite : scan.allSuites()) {
            if (CipherSuites.rc4(suite) || CipherSuites.nullExportOrAnonymous(suite) || CipherSuites.under112Bits(suite)) {
                problems.add("remove cipher " + suite);
            }
        }
        if (scan.certificates().stream().anyMatch(c -> c.present() && c.signatureAlgorithm().toUpperCase(Locale.ROOT).contains("MD5"))) {
            problems.add("use a certificate not signed with MD5");
        }
        return problems;
    }

    /** ML-KEM + ECDHE hybrids (draft-ietf-tls-ecdhe-mlkem): X25519MLKEM768, SecP256r1MLKEM768, SecP384r1MLKEM1024. */
    static boolean postQuantumHybrid(String group) {
        return group.contains("MLKEM");
    }

    static String mozillaGroup(String bcName) {
        return switch (bcName) {
            case "x25519" -> "X25519";
            case "x448" -> "X448";
            case "secp256r1" -> "prime256v1";
            default -> bcName;
        };
    }

    private static int ecdhBits(String group) {
        return switch (group) {
            case "X25519", "prime256v1", "brainpoolP256r1", "secp256k1", "X25519MLKEM768", "SecP256r1MLKEM768" -> 256;
            case "secp384r1", "brainpoolP384r1", "SecP384r1MLKEM1024" -> 384;
            case "secp521r1" -> 521;
            case "X448" -> 448;
            case "brainpoolP512r1" -> 512;
            case "secp224r1", "secp224k1" -> 224;
            case "secp192r1", "secp192k1" -> 192;
            case "secp160r1", "secp160r2", "secp160k1" -> 160;
            default -> 0;
        };
    }

    static String openSslSignature(String javaName) {
        String n = javaName.toUpperCase(Locale.ROOT).replace("-", "");
        if (n.endsWith("WITHECDSA")) {
            return "ecdsa-with-" + n.substring(0, n.indexOf("WITH")).replace("SHA", "SHA");
        }
        if (n.endsWith("WITHRSA")) {
            return n.substring(0, n.indexOf("WITH")).toLowerCase(Locale.ROOT) + "WithRSAEncryption";
        }
        if (n.contains("PSS")) {
            return "rsassaPss";
        }
        return javaName;
    }
}
