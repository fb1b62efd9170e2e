package dev.vigil.cli;

import dev.vigil.grade.tls.MozillaEvaluation;
import dev.vigil.probe.tls.CertificateFacts;
import dev.vigil.probe.tls.ProtocolSupport;
import dev.vigil.probe.tls.TlsScanResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The TLS part of the scan report: JSON section and text. */
final class TlsSection {

    private TlsSection() {
    }

    static Map<String, Object> json(TlsScanResult scan, MozillaEvaluation mozilla) {
        Map<String, Object> tls = new LinkedHashMap<>();
        if (!scan.tlsAvailable()) {
            tls.put("available", false);
            tls.put("plainHttp", scan.plainHttp());
            tls.put("sslv2", scan.sslv2());
            tls.put("errors", scan.errors());
            return tls;
        }
        tls.put("available", true);
        List<String> protocols = new ArrayList<>();
        Map<String, Object> ciphers = new LinkedHashMap<>();
        Map<String, Object> order = new LinkedHashMap<>();
        Map<String, Object> groups = new LinkedHashMap<>();
        for (ProtocolSupport p : scan.protocols().values()) {
            protocols.add(p.protocol().label());
            ciphers.put(p.protocol().label(), p.suites());
            order.put(p.protocol().label(), p.cipherOrder());
            groups.put(p.protocol().label(), p.groups());
        }
        tls.put("protocols", protocols);
        tls.put("ciphers", ciphers);
        tls.put("cipherOrder", order);
        tls.put("groups", groups);
        tls.put("sslv2", scan.sslv2());
        tls.put("certificate", certificate(scan.certificate()));
        tls.put("otherCertificates", scan.otherCertificates().stream().map(TlsSection::certificate).toList());
        Map<String, Object> moz = new LinkedHashMap<>();
        moz.put("guidelines", mozilla.guidelines());
        moz.put("level", mozilla.level());
        Map<String, Object> levels = new LinkedHashMap<>();
        mozilla.levels().forEach((name, v) -> {
            Map<String, Object> level = new LinkedHashMap<>();
            level.put("compliant", v.compliant());
            level.put("failures", v.failures());
            level.put("advice", v.advice());
            levels.put(name, level);
        });
        moz.put("levels", levels);
        if (!mozilla.insecure().isEmpty()) {
            moz.put("insecure", mozilla.insecure());
        }
        tls.put("mozilla", moz);
        tls.put("handshakes", scan.handshakes());
        tls.put("elapsedMillis", scan.elapsed().toMillis());
        return tls;
    }

    /** Every fact of one certificate; the stapled response in full when there is one. */
    static Map<String, Object> certificate(CertificateFacts c) {
        Map<String, Object> cert = new LinkedHashMap<>();
        cert.put("trusted", c.trusted());
        cert.put("chainComplete", c.chainComplete());
        cert.put("completedViaAia", c.completedViaAia());
        cert.put("expired", c.expired());
        cert.put("notYetValid", c.notYetValid());
        cert.put("hostnameMatches", c.hostnameMatches());
        cert.put("keyType", c.keyType());
        cert.put("keyBits", c.keyBits());
        cert.put("curve", c.curve().orElse(null));
        cert.put("signatureAlgorithm", c.signatureAlgorithm());
        cert.put("lifespanDays", c.lifespanDays());
        cert.put("notAfter", c.notAfter().map(Object::toString).orElse(null));
        cert.put("ocspStapled", c.ocspStapled());
        c.ocsp().ifPresent(o -> {
            Map<String, Object> ocsp = new LinkedHashMap<>();
            ocsp.put("status", o.status());
            ocsp.put("signature", o.signature());
            ocsp.put("producedAt", o.producedAt().map(Object::toString).orElse(null));
            ocsp.put("thisUpdate", o.thisUpdate().map(Object::toString).orElse(null));
            ocsp.put("nextUpdate", o.nextUpdate().map(Object::toString).orElse(null));
            o.revokedAt().ifPresent(at -> ocsp.put("revokedAt", at.toString()));
            o.revocationReason().ifPresent(r -> ocsp.put("revocationReason", r));
            ocsp.put("stale", o.stale());
            o.problem().ifPresent(p -> ocsp.put("problem", p));
            cert.put("ocsp", ocsp);
        });
        c.trustProblem().ifPresent(p -> cert.put("trustProblem", p));
        c.leafSha256().ifPresent(f -> cert.put("sha256", f));
        return cert;
    }

    static String text(TlsScanResult scan, MozillaEvaluation mozilla, String targetLevel) {
        StringBuilder out = new StringBuilder("\nTLS\n");
        if (!scan.tlsAvailable()) {
            out.append("  no TLS on ").append(scan.host()).append(':').append(scan.port())
                    .append(scan.plainHttp() ? " (the port answers in plain HTTP)" : "").append('\n');
            if (scan.sslv2()) {
                out.append("  SSLv2 offered\n");
            }
            return out.toString();
        }
        if (scan.sslv2()) {
            out.append("  SSLv2 offered\n");
        }
        for (ProtocolSupport p : scan.protocols().values()) {
            out.append("  ").append(p.protocol().label()).append(" (").append(p.cipherOrder()).append(" order; groups ")
                    .append(String.join(" ", p.groups())).append(")\n");
            p.suites().forEach(s -> out.append("    ").append(s).append('\n'));
        }
        for (CertificateFacts c : scan.certificates()) {
            out.append("  certificate: ").append(c.label())
                    .append(", ").append(c.signatureAlgorithm()).append(", ").append(c.lifespanDays()).append(" days, ")
                    .append(c.trusted() ? "trusted" : "NOT trusted").append(c.chainComplete() ? "" : ", chain incomplete")
                    .append(c.completedViaAia() ? " (complete via AIA)" : "")
                    .append(c.expired() ? ", EXPIRED" : "").append(c.notYetValid() ? ", NOT YET VALID" : "")
                    .append(c.hostnameMatches() ? "" : ", WRONG HOST")
                    .append(c.ocsp().map(o -> ", " + o.describe()).orElse(c.ocspStapled() ? ", OCSP stapled" : "")).append('\n');
        }
        out.append("  Mozilla evaluation (guidelines ").append(mozilla.guidelines()).append("): ").append(mozilla.level()).append('\n');
        mozilla.insecure().forEach(m -> out.append("  bad configuration: ").append(m).append('\n'));
        mozilla.adviceFor(targetLevel).forEach(m -> out.append("  ").append(m).append('\n'));
        out.append("  (").append(scan.handshakes()).append(" handshakes, ").append(scan.elapsed().toMillis()).append(" ms)\n");
        return out.toString();
    }
}
