package dev.vigil.cli;

import dev.vigil.grade.tls.GuidelinesVersion;
import dev.vigil.grade.tls.MozillaLevel;
import dev.vigil.grade.tls.OpenSslVersion;
import dev.vigil.grade.tls.TlsConfigGenerator;
import dev.vigil.grade.tls.TlsConfiguration;
import dev.vigil.grade.tls.TlsServer;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * {@code tls-config --level L}: the server configuration that meets a Mozilla level under a guidelines version —
 * the ingress-nginx ConfigMap, nginx, HAProxy and Envoy — from the guideline JSON Vigil ships, the same generator the
 * {@code tls-level} control's remediation and {@code scan} use.
 */
final class TlsConfigCommand implements Command {

    @Override
    public String name() {
        return "tls-config";
    }

    @Override
    public String usage() {
        return "tls-config --level modern|intermediate|old [--guidelines " + String.join("|", GuidelinesVersion.labels())
                + "] [--server " + String.join("|", TlsServer.labels()) + "] [--openssl VERSION] [--json]";
    }

    @Override
    public String summary() {
        return "print the server configuration that meets a Mozilla TLS level (ingress-nginx, nginx, HAProxy, Envoy)";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("--level", "L", "modern, intermediate or old (required)"),
                Option.valued("--guidelines", String.join("|", GuidelinesVersion.labels()),
                        "Mozilla guidelines version (default " + GuidelinesVersion.DEFAULT.label() + ")"),
                Option.valued("--server", String.join("|", TlsServer.labels()), "only this server's configuration"),
                Option.valued("--openssl", "VERSION", "the OpenSSL the server links (default " + OpenSslVersion.DEFAULT + "): decides ML-KEM groups and SECLEVEL"),
                Option.flag("--json", "print the configuration as JSON"));
    }

    @Override
    public String details() {
        return "Example: vigil tls-config --level intermediate --server ingress-nginx --openssl 3.0";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Args.UsageException {
        TlsConfiguration config;
        Optional<TlsServer> server;
        boolean json;
        try {
            Args args = Args.parse(argv, options());
            if (!args.positionals.isEmpty()) {
                throw new Args.UsageException("unexpected argument " + args.positionals.get(0));
            }
            if (args.one("--level") == null) {
                throw new Args.UsageException("--level is required (modern, intermediate or old)");
            }
            MozillaLevel level = MozillaLevel.parse(args.one("--level"))
                    .orElseThrow(() -> new Args.UsageException("--level must be modern, intermediate or old, not " + args.one("--level")));
            String version = args.one("--guidelines") == null ? GuidelinesVersion.DEFAULT.label() : args.one("--guidelines");
            if (GuidelinesVersion.parse(version).isEmpty()) {
                throw new Args.UsageException("unknown guidelines version " + version + " (known: " + String.join(", ", GuidelinesVersion.labels())
                        + "; see README, \"Guideline data\", to add one)");
            }
            server = args.one("--server") == null ? Optional.empty()
                    : Optional.of(TlsServer.parse(args.one("--server")).orElseThrow(() -> new Args.UsageException(
                            "--server must be one of " + String.join(", ", TlsServer.labels()) + ", not " + args.one("--server"))));
            OpenSslVersion openssl = args.one("--openssl") == null ? OpenSslVersion.DEFAULT
                    : OpenSslVersion.parse(args.one("--openssl")).orElseThrow(() -> new Args.UsageException(
                            "--openssl takes a version such as 3.0 or 3.5.1, not " + args.one("--openssl")));
            json = args.flag("--json");
            config = TlsConfiguration.of(version, level, openssl);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        if (json) {
            out.println(ScanCommand.write(TlsConfigReport.json(config)));
        } else {
            out.print(server.map(s -> TlsConfigGenerator.render(config, s)).orElseGet(() -> TlsConfigReport.text(config)));
        }
        return EXIT_OK;
    }
}
