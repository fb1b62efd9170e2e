package dev.vigil.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.baseline.SecurityBaseline;
import dev.vigil.secrets.SealedSecret;
import io.fabric8.crdv2.generator.CRDGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checked-in CRDs ({@code crds/} and the chart's copy) must be what the Fabric8 generator makes
 * of the Java types today. Refresh both with {@code ./mvnw test -Dtest=CrdsAreCurrentTest -Dvigil.crds.update=true}.
 */
class CrdsAreCurrentTest {

    static final List<Path> CHECKED_IN = List.of(Path.of("crds"), Path.of("helm/vigil/crds"));

    @Test
    void checkedInCrdsMatchTheJavaTypes(@TempDir Path generated) throws IOException {
        new CRDGenerator()
                .inOutputDir(generated.toFile())
                .forCRDVersions("v1")
                .customResourceClasses(SealedSecret.class, SecurityBaseline.class)
                .generate();
        List<Path> files;
        try (Stream<Path> list = Files.list(generated)) {
            files = list.sorted().toList();
        }
        assertEquals(2, files.size(), "one CRD per custom resource");
        for (Path dir : CHECKED_IN) {
            if (Boolean.getBoolean("vigil.crds.update")) {
                Files.createDirectories(dir);
                for (Path file : files) {
                    Files.copy(file, dir.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            for (Path file : files) {
                Path checkedIn = dir.resolve(file.getFileName());
                assertTrue(Files.exists(checkedIn), checkedIn + " is missing; regenerate with -Dvigil.crds.update=true");
                assertEquals(Files.readString(file), Files.readString(checkedIn),
                        checkedIn + " is stale; regenerate with -Dvigil.crds.update=true");
            }
        }
    }
}
