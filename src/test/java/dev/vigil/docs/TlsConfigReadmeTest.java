package dev.vigil.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.Cli;
import dev.vigil.grade.observatory.HstsPreloadList;
import dev.vigil.grade.service.ControlCatalog;
import dev.vigil.grade.service.GradePolicy;
import dev.vigil.grade.service.ServiceGrader;
import dev.vigil.probe.tls.TlsProtocol;
import dev.vigil.testsupport.Findings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's TLS configuration section is real: the commands between the tls-config markers are run again and
 * must print what the README shows, and the tls-level remediation it quotes is the one the grader writes.
 */
class TlsConfigReadmeTest {

    @Test
    void readmeShowsRealRuns() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String block = readme.substring(readme.indexOf("<!-- tls-config:begin -->"), readme.indexOf("<!-- tls-config:end -->"));
        List<String> lines = block.lines().filter(l -> !l.startsWith("<!--") && !l.startsWith("```")).toList();
        int lastCode = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith("$ ")) {
                continue;
            }
            int next = i + 1;
            while (next < lines.size() && !lines.get(next).startsWith("$ ")) {
                next++;
            }
            List<String> shown = lines.subList(i + 1, next);
            if (line.equals("$ echo $?")) {
                assertThat(shown).containsExactly(String.valueOf(lastCode));
                continue;
            }
            assertThat(line).startsWith("$ vigil ");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            lastCode = Cli.run(line.substring("$ vigil ".length()).split(" "), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(out.toString(StandardCharsets.UTF_8).lines().toList()).as("README's output of " + line + "; paste the real one")
                    .isEqualTo(new ArrayList<>(shown));
        }
        assertThat(lastCode).as("the block ran commands").isNotEqualTo(-1);
    }

    @Test
    void readmeQuotesTheRemediationTheGraderWrites() throws Exception {
        Instant now = Instant.parse("2026-11-23T00:00:00Z");
        String host = "shop.example.com";
        var findings = Findings.service(now, Findings.tls(host, now, b -> b.offering(TlsProtocol.TLSv1).offering(TlsProtocol.TLSv1_1)),
                Findings.https(host, Findings.PERFECT_HEADERS));
        var grade = new ServiceGrader(HstsPreloadList.empty()).grade(findings, GradePolicy.defaults(), List.of(), host, now);
        String remediation = grade.failing().stream().filter(c -> c.control().equals(ControlCatalog.TLS_LEVEL)).findFirst()
                .orElseThrow().remediation();
        assertThat(Files.readString(Path.of("README.md"))).contains("\ntls-level: " + remediation + "\n");
    }
}
