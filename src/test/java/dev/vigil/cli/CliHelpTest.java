package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Help, usage errors and exit codes of every command, through the same entry point as the packaged
 * jar: what people who install operators type first ({@code --help}, {@code -h}, {@code help scan},
 * {@code --version}) answers, and every mistake says what was wrong, shows the usage and exits 2.
 */
class CliHelpTest {

    /** Every command the dispatcher knows, as {@code vigil --help} lists them. */
    static final List<String> COMMANDS = List.of("decrypt", "verify", "seal", "scan", "help");

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everySpellingOfHelpPrintsTheOverview() {
        Result help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.err()).isEmpty();
        assertThat(help.out()).contains("usage: vigil COMMAND").contains("with no arguments: run the operator")
                .contains("--version").contains("vigil help COMMAND").contains("Exit codes:");
        for (String name : COMMANDS) {
            Command command = command(name);
            assertThat(help.out()).as(name).containsPattern("(?m)^  " + name + " +" + Pattern.quote(command.summary()) + "$");
            assertThat(command.summary()).as(name + " has a summary").isNotBlank();
        }
        assertThat(run("-h")).isEqualTo(help);
        assertThat(run("help")).isEqualTo(help);
        assertThat(run(new String[0])).isEqualTo(help);
    }

    @Test
    void everyCommandAnswersHelpTheSameThreeWays() {
        for (String name : COMMANDS) {
            Command command = command(name);
            Result help = run("help", name);
            assertThat(help.code()).as(name).isZero();
            assertThat(help.err()).as(name).isEmpty();
            assertThat(help.out()).as(name).startsWith("usage: vigil " + name).contains("Options:").contains("-h");
            for (Option option : command.options()) {
                assertThat(help.out()).as(name + " lists " + option.name())
                        .containsPattern("(?m)^  " + Pattern.quote(option.label()) + " +" + Pattern.quote(option.help()));
            }
            assertThat(run(name, "--help")).as(name + " --help").isEqualTo(help);
            assertThat(run(name, "-h")).as(name + " -h").isEqualTo(help);
        }
        // help wins wherever an option may stand, even after other arguments
        assertThat(run("scan", "https://example.test/", "--json", "--help")).isEqualTo(run("help", "scan"));
        assertThat(run("scan", "--help").out()).contains("--connect-to ADDR[:PORT]").contains("--min-grade G")
                .contains("--ca FILE").contains("(repeatable)").contains("vigil scan http://localhost:8080/");
    }

    @Test
    void anUnknownOptionIsAUsageErrorForEveryCommand() {
        for (String name : List.of("decrypt", "verify", "seal", "scan")) {
            Result r = run(name, "--bogus", "x");
            assertThat(r.code()).as(name).isEqualTo(2);
            assertThat(r.out()).as(name).isEmpty();
            List<String> lines = r.err().lines().toList();
            assertThat(lines.get(0)).as(name).isEqualTo("usage error: unknown option --bogus");
            assertThat(lines.get(1)).as(name).isEqualTo("usage: vigil " + command(name).usage());
            assertThat(lines.get(2)).as(name).isEqualTo("Run 'vigil " + name + " --help' for the options.");
        }
    }

    @Test
    void usageErrorsSayWhatIsMissing() {
        assertUsageError(run("decrypt", "doc.yaml"), "no key: give --key FILE", "decrypt");
        assertUsageError(run("decrypt", "--key", "k.txt"), "missing DOCUMENT", "decrypt");
        assertUsageError(run("verify", "--key", "k.txt", "a.yaml", "b.yaml"), "expected one DOCUMENT, got 2", "verify");
        assertUsageError(run("decrypt", "--key"), "--key needs a value (FILE)", "decrypt");
        assertUsageError(run("decrypt", "--key", "k", "--format", "toml", "d.yaml"), "toml", "decrypt");
        assertUsageError(run("decrypt", "--json=yes", "--key", "k", "d"), "--json takes no value", "decrypt");
        assertUsageError(run("seal", "--name", "db", "--namespace", "shop", "s.yaml"), "cannot read s.yaml", "seal");
        assertUsageError(run("seal", "--recipient", "age1x", "--name", "db", "s.yaml"), "missing --namespace NS", "seal");
        assertUsageError(run("seal", "--recipient", "age1x", "--name", "a", "--name", "b", "--namespace", "n", "s.yaml"),
                "--name given twice", "seal");
        assertUsageError(run("scan"), "missing URL", "scan");
        assertUsageError(run("scan", "ftp://example.test/"), "expected http(s)://host[:port][/path], got ftp://example.test/", "scan");
        assertUsageError(run("scan", "https://example.test/", "--algorithm", "five"), "--algorithm must be 4|5|6, got five", "scan");
        assertUsageError(run("scan", "https://example.test/", "--min-grade", "Z"), "unknown grade Z", "scan");
        assertUsageError(run("scan", "https://example.test/", "--connect-to", "127.0.0.1:99999"),
                "--connect-to port must be a port number (1-65535), got 99999", "scan");
        assertUsageError(run("help", "nope"), "unknown command 'nope'", "help");
    }

    @Test
    void typosGetTheNearestName() {
        Result command = run("scna", "https://example.test/");
        assertThat(command.code()).isEqualTo(2);
        assertThat(command.out()).isEmpty();
        assertThat(command.err()).startsWith("usage error: unknown command 'scna' (did you mean 'scan'?)\n")
                .contains("commands: decrypt, verify, seal, rekey, scan, admission, tls-config, report, help");
        assertThat(run("scan", "https://example.test/", "--min-grde", "B").err())
                .startsWith("usage error: unknown option --min-grde (did you mean --min-grade?)\n");
        assertThat(run("decrypt", "-k", "key.txt", "doc.yaml").err()).startsWith("usage error: unknown option -k\n");
        assertThat(run("help", "decrpyt").err()).contains("(did you mean 'decrypt'?)");
    }

    @Test
    void aHelpWordThatIsAValueOrFollowsDoubleDashIsNotHelp(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // --key takes the next word as its value, even "--help": then the file "--help" cannot be read
        Result asValue = run("decrypt", "--key", "--help", dir.resolve("doc.yaml").toString());
        assertThat(asValue.code()).isEqualTo(2);
        assertThat(asValue.err()).startsWith("usage error: cannot read ").doesNotContain("Options:");
        // after "--" everything is a positional: a document named "-h"
        Path key = dir.resolve("age.txt");
        try (var in = getClass().getResourceAsStream("/sops/keys/age-dev.txt")) {
            Files.write(key, in.readAllBytes());
        }
        Result afterDashes = run("decrypt", "--key", key.toString(), "--", "-h.yaml");
        assertThat(afterDashes.code()).isEqualTo(2);
        assertThat(afterDashes.err()).startsWith("usage error: cannot read -h.yaml");
    }

    @Test
    void versionIsThePomsVersion() throws Exception {
        Matcher m = Pattern.compile("<artifactId>vigil</artifactId>\\s*<version>([^<]+)</version>").matcher(Files.readString(Path.of("pom.xml")));
        assertThat(m.find()).isTrue();
        Result version = run("--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).isEqualTo("vigil " + m.group(1) + "\n");
        assertThat(run("--help").out()).startsWith("Vigil " + m.group(1) + ":");
    }

    @Test
    void anyArgumentIsACommandLineAndNoneStartsTheOperator() {
        assertThat(Cli.isCommandLine(new String[0])).isFalse();
        assertThat(Cli.isCommandLine(new String[] {"scna"})).as("a typo is a usage error, not an operator start").isTrue();
        assertThat(Cli.isCommandLine(new String[] {"--version"})).isTrue();
    }

    private static void assertUsageError(Result r, String message, String command) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        List<String> lines = r.err().lines().toList();
        assertThat(lines.get(0)).startsWith("usage error: ").contains(message);
        assertThat(lines).contains("usage: vigil " + command(command).usage());
    }

    private static Command command(String name) {
        Result help = run("help", name);
        assertThat(help.code()).as("help " + name).isZero();
        return switch (name) {
            case "decrypt" -> DecryptCommand.decrypt();
            case "verify" -> DecryptCommand.verify();
            case "seal" -> new SealCommand();
            case "scan" -> new ScanCommand();
            case "help" -> new Cli.HelpCommand();
            default -> throw new IllegalArgumentException(name);
        };
    }
}
