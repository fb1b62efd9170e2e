package dev.vigil.cli;

import dev.vigil.grade.tls.TlsConfigGenerator;
import dev.vigil.grade.tls.TlsConfiguration;
import dev.vigil.grade.tls.TlsServer;
import java.util.LinkedHashMap;
import java.util.Map;

/** A generated TLS configuration as {@code tls-config} and {@code scan} print it: every server's text, or JSON. */
final class TlsConfigReport {

    private TlsConfigReport() {
    }

    /** Every server's configuration, one after the other (each starts with its own comment header). */
    static String text(TlsConfiguration config) {
        StringBuilder out = new StringBuilder();
        for (TlsServer server : TlsServer.values()) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(TlsConfigGenerator.render(config, server));
        }
        return out.toString();
    }

    static Map<String, Object> json(TlsConfiguration config) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("guidelines", config.guidelines());
        doc.put("level", config.level().label());
        doc.put("openssl", config.openssl().label());
        doc.put("protocols", config.protocols());
        doc.put("tls13Suites", config.tls13Suites());
        doc.put("ciphers", config.ciphers());
        doc.put("groups", config.groups());
        if (!config.groupsLeftOut().isEmpty()) {
            doc.put("groupsLeftOut", config.groupsLeftOut());
        }
        doc.put("serverPreferredOrder", config.serverPreferredOrder());
        config.dhParamSize().filter(b -> config.usesDhe()).ifPresent(b -> doc.put("dhParamSize", b));
        config.hstsMaxAge().ifPresent(a -> doc.put("hstsMaxAge", a));
        doc.put("ocspStaple", config.ocspStaple());
        doc.put("notes", config.notes());
        doc.put("ingressNginx", TlsConfigGenerator.ingressNginxKeys(config));
        Map<String, String> servers = new LinkedHashMap<>();
        for (TlsServer server : TlsServer.values()) {
            servers.put(server.label(), TlsConfigGenerator.render(config, server));
        }
        doc.put("configurations", servers);
        return doc;
    }
}
