package dev.vigil.bench;

import dev.vigil.sops.SopsDecryptor;
import dev.vigil.sops.SopsEncryptor;
import dev.vigil.sops.SopsFormat;
import dev.vigil.sops.SopsKeyring;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decryption throughput per store format, and for a 1 MiB YAML document with 10,000 values.
 * Not a test: run {@code bench/sops.sh}, which prints documents/s and MB/s.
 */
public final class SopsBenchmark {

    record Case(String label, String file, SopsFormat format, String key) {
    }

    static final List<Case> CASES = List.of(
            new Case("yaml (age)", "cases/g01-yaml-age-basic/secret.enc.yaml", SopsFormat.YAML, "keys/age-dev.txt"),
            new Case("json (age)", "cases/g02-json-age-basic/secret.enc.json", SopsFormat.JSON, "keys/age-dev.txt"),
            new Case("dotenv (age)", "cases/g03-dotenv-age-basic/secret.enc.env", SopsFormat.DOTENV, "keys/age-dev.txt"),
            new Case("ini (age)", "cases/g04-ini-age-basic/secret.enc.ini", SopsFormat.INI, "keys/age-dev.txt"),
            new Case("binary (age)", "cases/g05-binary-age-text/secret.enc.bin.json", SopsFormat.BINARY, "keys/age-dev.txt"),
            new Case("yaml (pgp rsa3072)", "cases/g07-yaml-pgp-rsa/secret.enc.yaml", SopsFormat.YAML, "keys/pgp-dev-rsa.sec.asc"));

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        System.out.printf("%-22s %10s %12s %10s%n", "document", "bytes", "docs/s", "MB/s");
        for (Case c : CASES) {
            byte[] doc = resource(c.file());
            SopsKeyring keys = SopsKeyring.empty().withKeyFile(new String(resource(c.key()), StandardCharsets.UTF_8), c.key());
            report(c.label(), doc, c.format(), keys, seconds);
        }
        SopsKeyring age = SopsKeyring.empty().withKeyFile(new String(resource("keys/age-dev.txt"), StandardCharsets.UTF_8), "age");
        byte[] big = bigDocument();
        report("yaml 1 MiB, 10k values", big, SopsFormat.YAML, age, seconds);
    }

    static void report(String label, byte[] doc, SopsFormat format, SopsKeyring keys, double seconds) throws Exception {
        for (int i = 0; i < 20; i++) {
            SopsDecryptor.decrypt(doc, format, keys);
        }
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        int n = 0;
        while (System.nanoTime() < deadline) {
            SopsDecryptor.decrypt(doc, format, keys);
            n++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("%-22s %10d %12.1f %10.2f%n", label, doc.length, n / elapsed, n * (double) doc.length / elapsed / 1e6);
    }

    static byte[] bigDocument() throws Exception {
        Map<String, Object> tree = new LinkedHashMap<>();
        String filler = "x".repeat(80);
        for (int i = 0; i < 10_000; i++) {
            tree.put("key_" + i, filler + i);
        }
        return SopsEncryptor.encryptYaml(tree, List.of("age1s8rzd46thnhta5dul2swfkdyggey2xkydqf6v8xuh2q6jp5vng9qu8zgf5"),
                List.of(), ".*", Clock.systemUTC()).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] resource(String path) throws Exception {
        try (InputStream in = SopsBenchmark.class.getResourceAsStream("/sops/" + path)) {
            return in.readAllBytes();
        }
    }
}
