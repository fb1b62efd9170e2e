package dev.vigil.grade.service;

import dev.vigil.grade.tls.MozillaEvaluation;
import dev.vigil.grade.tls.MozillaEvaluator;
import dev.vigil.probe.tls.CertificateFacts;
import dev.vigil.probe.tls.CipherSuites;
import dev.vigil.probe.tls.ProtocolSupport;
import dev.vigil.probe.tls.TlsScanResult;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/** Turns a TLS scan into the facts the service grade is capped by, judged at the baseline's level. */
public final class TlsPostures {

    private TlsPostures() {
    }

    /** Evidence that judges the scan on demand, for whatever level and guidelines a baseline asks. */
    public static TlsEvidence evidence(TlsScanResult scan) {
        return (level, version) -> posture(scan, MozillaEvaluator.evaluate(scan, version), level);
    }

    public static TlsPosture posture(TlsScanResult scan, MozillaEvaluation mozilla, String requiredLevel) {
        if (!scan.tlsAvailable()) {
            return TlsPosture.unavailable();
        }
        Set<String> protocols = new LinkedHashSet<>();
        scan.protocols().keySet().forEach(p -> protocols.add(p.label()));
        List<String> suites = scan.allSuites();
        CertificateFacts cert = scan.certificate();
        int weakest = cert.present() && "RSA".equals(cert.keyType()) ? cert.keyBits() : Integer.MAX_VALUE;
        for (ProtocolSupport support : scan.protocols().values()) {
            if (support.minDhBits().isPresent()) {
                weakest = Math.min(weakest, support.minDhBits().get());
            }
        }
        boolean anonymousOrNull = suites.stream().anyMatch(CipherSuites::nullExportOrAnonymous);
        return new TlsPosture(true, protocols,
                suites.stream().anyMatch(CipherSuites::rc4), anonymousOrNull,
                suites.stream().anyMatch(CipherSuites::under112Bits),
                suites.stream().anyMatch(CipherSuites::tripleDes),
                weakest == Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of(weakest),
                cert.keyType(), cert.keyBits(), cert.present() && cert.trusted(),
                cert.present() && cert.chainComplete(), cert.expired(), cert.notYetValid(),
                cert.present() && cert.hostnameMatches(), cert.signatureAlgorithm(), cert.notAfter(),
                mozilla.level(), mozilla.adviceFor(requiredLevel).stream()
                        .filter(a -> !a.contains("consider")).toList());
    }
}
