package dev.vigil.bench;

import dev.vigil.sops.SopsDecryptor;
import dev.vigil.sops.SopsEncryptor;
import dev.vigil.sops.SopsFormat;
import dev.vigil.sops.SopsKeyring;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decryption throughput per store format, and for a 1 MiB YAML document with 10,000 values; with
 * the npm peer installed (bench/sops.sh does it), the same age-encrypted files through sops-age,
 * which reads YAML, JSON and dotenv only and does not verify the MAC (Vigil always does).
 * Not a test: run {@code bench/sops.sh}, which prints documents/s and MB/s.
 */
public final class SopsBenchmark {

    record Case(String label, String file, SopsFormat format, String key) {
        /** The sops-age file type, when it reads this format with an age key. */
        Optional<String> peerType() {
            if (!key.contains("age")) {
                return Optional.empty();
            }
            return switch (format) {
                case YAML -> Optional.of("yaml");
                case JSON -> Optional.of("json");
                case DOTENV -> Optional.of("env");
                default -> Optional.empty();
            };
        }
    }

    record PeerFigures(double docsPerSec, double mbPerSec, int keys, String error) {
    }

    static final List<Case> CASES = List.of(
            new Case("yaml (age)", "cases/g01-yaml-age-basic/secret.enc.yaml", SopsFormat.YAML, "keys/age-dev.txt"),
            new Case("yaml k8s Secret (age)", "cases/g11-yaml-k8s-tls-encrypted-regex/secret.enc.yaml", SopsFormat.YAML,
                    "keys/age-dev.txt"),
            new Case("json (age)", "cases/g02-json-age-basic/secret.enc.json", SopsFormat.JSON, "keys/age-dev.txt"),
            new Case("dotenv (age)", "cases/g03-dotenv-age-basic/secret.enc.env", SopsFormat.DOTENV, "keys/age-dev.txt"),
            new Case("ini (age)", "cases/g04-ini-age-basic/secret.enc.ini", SopsFormat.INI, "keys/age-dev.txt"),
            new Case("binary (age)", "cases/g05-binary-age-text/secret.enc.bin.json", SopsFormat.BINARY, "keys/age-dev.txt"),
            new Case("yaml (pgp rsa3072)", "cases/g07-yaml-pgp-rsa/secret.enc.yaml", SopsFormat.YAML, "keys/pgp-dev-rsa.sec.asc"));

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        Path peer = args.length > 1 ? Path.of(args[1]) : null;
        boolean withPeer = peer != null && Files.exists(peer.resolve("sops-age.mjs"));
        Path dir = Files.createTempDirectory("vigil-sops-bench");
        Path ageKey = Files.write(dir.resolve("age-dev.txt"), resource("keys/age-dev.txt"));
        Map<String, byte[]> docs = new LinkedHashMap<>();
        List<String> peerCases = new ArrayList<>();
        for (Case c : CASES) {
            docs.put(c.label(), resource(c.file()));
            c.peerType().ifPresent(type -> peerCases.add(c.label() + "=" + write(dir, c.label(), docs.get(c.label())) + "=" + type));
        }
        byte[] big = bigDocument();
        String bigLabel = "yaml 1 MiB, 10k values";
        peerCases.add(bigLabel + "=" + write(dir, bigLabel, big) + "=yaml");
        Map<String, PeerFigures> peerFigures = withPeer ? sopsAge(peer, seconds, ageKey, peerCases) : Map.of();

        System.out.printf("%-24s %9s %10s %8s", "document", "bytes", "docs/s", "MB/s");
        System.out.println(withPeer ? String.format(" %14s %12s %7s", "sops-age doc/s", "sops-age MB/s", "ratio") : "");
        for (Case c : CASES) {
            SopsKeyring keys = SopsKeyring.empty().withKeyFile(new String(resource(c.key()), StandardCharsets.UTF_8), c.key());
            report(c.label(), docs.get(c.label()), c.format(), keys, seconds, peerFigures.get(c.label()));
        }
        SopsKeyring age = SopsKeyring.empty().withKeyFile(new String(resource("keys/age-dev.txt"), StandardCharsets.UTF_8), "age");
        report(bigLabel, big, SopsFormat.YAML, age, seconds, peerFigures.get(bigLabel));
        if (withPeer) {
            System.out.println("(sops-age reads yaml, json and dotenv with age keys only, and skips the MAC check Vigil makes)");
        }
        hostileValues(dir, ageKey, age, withPeer ? peer : null);
    }

    /** A backtracking parser of ENC[...] took ~90 s for a 6 KB value; the figures show how long rejecting one takes. */
    static final int[] HOSTILE_SIZES = {770, 6 * 1024, 64 * 1024, 1024 * 1024};
    static final double OLD_PARSER_CAP_SECONDS = 20;

    static void hostileValues(Path dir, Path ageKey, SopsKeyring keys, Path peer) throws Exception {
        System.out.println();
        System.out.printf("%-28s %14s %22s%s%n", "crafted ENC[...] value", "Vigil reject", "java.util.regex (old)",
                peer == null ? "" : String.format(" %22s", "sops-age (npm) reject"));
        String g01 = new String(resource("cases/g01-yaml-age-basic/secret.enc.yaml"), StandardCharsets.UTF_8);
        Pattern old = Pattern.compile("^ENC\\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\\]");
        for (int size : HOSTILE_SIZES) {
            String crafted = crafted(size);
            byte[] doc = g01.replaceFirst("password: ENC\\[[^\\]]+\\]", Matcher.quoteReplacement("password: " + crafted))
                    .getBytes(StandardCharsets.UTF_8);
            List<Double> vigil = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                long start = System.nanoTime();
                try {
                    SopsDecryptor.decrypt(doc, SopsFormat.YAML, keys);
                    throw new IllegalStateException("a crafted value was accepted");
                } catch (dev.vigil.sops.SopsException expected) {
                    vigil.add((System.nanoTime() - start) / 1e6);
                }
            }
            vigil.sort(null);
            String oldFigure = oldParser(old, crafted);
            String peerFigure = peer == null ? "" : String.format(" %22s", sopsAgeOnce(peer, ageKey, write(dir, "hostile-" + size, doc)));
            System.out.printf("%-28s %11.1f ms %22s%s%n", String.format("%,d bytes in a YAML value", crafted.length()),
                    vigil.get(vigil.size() / 2), oldFigure, peerFigure);
        }
    }

    /** Fields that never close: every way of splitting them is a candidate for a backtracking matcher. */
    static String crafted(int size) {
        String prefix = "ENC[AES256_GCM,data:";
        return prefix + "A,iv:A,tag:A,type:A".repeat((size - prefix.length()) / 19);
    }

    /** The old parser's time, read through a CharSequence that gives up at the cap (java.util.regex has no timeout). */
    static String oldParser(Pattern pattern, String value) {
        long deadline = System.nanoTime() + (long) (OLD_PARSER_CAP_SECONDS * 1e9);
        long start = System.nanoTime();
        try {
            pattern.matcher(new Deadline(value, deadline)).find();
            return String.format("%.1f ms", (System.nanoTime() - start) / 1e6);
        } catch (Deadline.Passed e) {
            return String.format("> %.0f s (stopped)", OLD_PARSER_CAP_SECONDS);
        }
    }

    record Deadline(String text, long deadlineNanos) implements CharSequence {
        static final class Passed extends RuntimeException {
        }

        @Override
        public char charAt(int index) {
            if ((index & 0xff) == 0 && System.nanoTime() > deadlineNanos) {
                throw new Passed();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Deadline(text.substring(start, end), deadlineNanos);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    static String sopsAgeOnce(Path peer, Path key, String file) throws Exception {
        Process p = new ProcessBuilder("node", "sops-age-once.mjs", key.toString(), file, "yaml").directory(peer.toFile())
                .redirectErrorStream(true).start();
        if (!p.waitFor((long) OLD_PARSER_CAP_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.format("> %.0f s (killed)", OLD_PARSER_CAP_SECONDS);
        }
        Matcher m = Pattern.compile("\\{\"ms\":([0-9.e+-]+),\"outcome\":\"(\\w+)\"\\}")
                .matcher(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        return m.find() ? String.format("%.1f ms (%s)", Double.parseDouble(m.group(1)), m.group(2)) : "no answer";
    }

    static String write(Path dir, String label, byte[] doc) {
        try {
            return Files.write(dir.resolve(label.replaceAll("[^A-Za-z0-9]+", "-") + ".enc"), doc).toAbsolutePath().toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Map<String, PeerFigures> sopsAge(Path peer, double seconds, Path key, List<String> cases) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", "sops-age.mjs", String.valueOf(seconds), key.toString()));
        command.addAll(cases);
        Process p = new ProcessBuilder(command).directory(peer.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Map<String, PeerFigures> figures = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\\{\"label\":\"([^\"]+)\",\"bytes\":\\d+,\"docsPerSec\":([0-9.e+-]+),"
                + "\"mbPerSec\":([0-9.e+-]+),\"keys\":(\\d+)\\}").matcher(out);
        while (m.find()) {
            figures.put(m.group(1), new PeerFigures(Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                    Integer.parseInt(m.group(4)), null));
        }
        Matcher failed = Pattern.compile("\\{\"label\":\"([^\"]+)\",\"error\":\"((?:[^\"\\\\]|\\\\.)*)\"\\}").matcher(out);
        while (failed.find()) {
            figures.put(failed.group(1), new PeerFigures(0, 0, 0, failed.group(2)));
        }
        if (figures.size() < cases.size()) {
            System.out.println("sops-age did not finish every document:\n" + out);
        }
        return figures;
    }

    static void report(String label, byte[] doc, SopsFormat format, SopsKeyring keys, double seconds, PeerFigures peer)
            throws Exception {
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
        System.out.printf("%-24s %9d %10.1f %8.2f", label, doc.length, n / elapsed, n * (double) doc.length / elapsed / 1e6);
        if (peer == null) {
            System.out.println();
        } else if (peer.error() != null) {
            System.out.println("   sops-age fails: " + peer.error());
        } else {
            System.out.printf(" %14.1f %12.2f %6.1fx%n", peer.docsPerSec(), peer.mbPerSec(), n / elapsed / peer.docsPerSec());
        }
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
