package dev.vigil.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's {@code vigil admission check} run is real: the command between the admission-check markers is
 * run again on the same fixtures, and its output and exit code must be what the README shows.
 */
class AdmissionReadmeTest {

    static final Path MANIFESTS = Path.of("src/test/resources/admission/manifests");

    @Test
    void readmeShowsARealRun() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String block = readme.substring(readme.indexOf("<!-- admission-check:begin -->"), readme.indexOf("<!-- admission-check:end -->"));
        List<String> lines = block.lines().toList();
        int command = lines.stream().filter(l -> l.startsWith("$ vigil admission check ")).findFirst().map(lines::indexOf).orElseThrow();
        int echo = lines.indexOf("$ echo $?");
        List<String> args = new ArrayList<>();
        for (String word : Arrays.asList(lines.get(command).substring("$ vigil ".length()).split(" "))) {
            args.add(word.endsWith(".yaml") ? MANIFESTS.resolve(word).toString() : word);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Cli.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8).lines().toList())
                .as("README's admission check output; paste the real one").isEqualTo(lines.subList(command + 1, echo));
        assertThat(String.valueOf(code)).isEqualTo(lines.get(echo + 1));
    }
}
