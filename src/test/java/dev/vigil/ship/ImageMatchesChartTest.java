package dev.vigil.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No registry or Docker is reachable here, so the image is never built in CI; what can drift is checked
 * instead. The image has two definitions — {@code src/main/docker/Dockerfile.jvm} and the Jib settings in
 * {@code application.properties} — and the chart runs it: user, port, entrypoint, JVM options, base image,
 * health paths, a read-only root with a writable {@code /tmp}, and the image name must agree across the three.
 */
class ImageMatchesChartTest {

    static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.jvm");
    static final Path PROPERTIES = Path.of("src/main/resources/application.properties");
    /** Quarkus's Jib step runs these base images through their run-java.sh, with JAVA_APP_JAR in the working directory. */
    static final String RUN_JAVA = "/opt/jboss/container/java/run/run-java.sh";
    static final Pattern RUN_JAVA_IMAGE = Pattern.compile("registry\\.access\\.redhat\\.com/ubi[89]/openjdk-(17|21)-runtime:[0-9.]+");

    /** The instructions of the Dockerfile: FROM, USER, EXPOSE, ENTRYPOINT, COPY (every destination) and ENV. */
    record Dockerfile(String from, String user, List<Integer> exposed, List<String> entrypoint, List<String> copiedTo,
            Map<String, String> env) {

        static Dockerfile read() throws IOException {
            String from = null;
            String user = null;
            List<Integer> exposed = new ArrayList<>();
            List<String> entrypoint = List.of();
            List<String> copiedTo = new ArrayList<>();
            Map<String, String> env = new LinkedHashMap<>();
            for (String line : Files.readAllLines(DOCKERFILE)) {
                String[] words = line.strip().split("\\s+", 2);
                if (line.startsWith("#") || words.length < 2) {
                    continue;
                }
                switch (words[0]) {
                    case "FROM" -> from = words[1];
                    case "USER" -> user = words[1];
                    case "EXPOSE" -> Arrays.stream(words[1].split("\\s+")).map(Integer::valueOf).forEach(exposed::add);
                    case "ENTRYPOINT" -> entrypoint = Arrays.stream(words[1].replaceAll("[\\[\\]]", "").split(","))
                            .map(s -> s.strip().replace("\"", "")).toList();
                    case "COPY" -> {
                        String[] parts = words[1].split("\\s+");
                        copiedTo.add(parts[parts.length - 1]);
                    }
                    case "ENV" -> {
                        Matcher m = Pattern.compile("(\\w+)=\"([^\"]*)\"|(\\w+)=(\\S+)").matcher(words[1]);
                        while (m.find()) {
                            env.put(m.group(1) != null ? m.group(1) : m.group(3), m.group(1) != null ? m.group(2) : m.group(4));
                        }
                    }
                    default -> {
                    }
                }
            }
            return new Dockerfile(from, user, exposed, entrypoint, copiedTo, env);
        }
    }

    static Properties properties() throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(PROPERTIES)));
        return p;
    }

    static List<String> list(Properties p, String key) {
        return Arrays.stream(p.getProperty(key, "").split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    @Test
    void dockerfileJibAndChartRunTheSameImageTheSameWay() throws Exception {
        Dockerfile docker = Dockerfile.read();
        Properties jib = properties();
        List<HasMetadata> chart = HelmChartTest.render();
        Deployment deployment = HelmChartTest.one(chart, Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);

        // base: a maintained OpenJDK runtime image, the same in both definitions, for the Java the build targets
        assertThat(docker.from()).matches(RUN_JAVA_IMAGE).isEqualTo(jib.getProperty("quarkus.jib.base-jvm-image"));
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher release = Pattern.compile("<maven.compiler.release>(\\d+)</maven.compiler.release>").matcher(pom);
        assertThat(release.find()).isTrue();
        assertThat(docker.from()).contains("openjdk-" + release.group(1) + "-runtime");

        // user: non-root 185 everywhere
        assertThat(docker.user()).isEqualTo("185").isEqualTo(jib.getProperty("quarkus.jib.user"));
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(Long.valueOf(docker.user()));
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();

        // port: what the image exposes, what Jib exposes, what the chart's container, probes and Service use
        assertThat(jib.getProperty("quarkus.http.port", "8080")).isEqualTo("8080");
        assertThat(docker.exposed()).containsExactly(8080);
        assertThat(list(jib, "quarkus.jib.ports")).containsExactly("8080");
        assertThat(container.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getContainerPort()).isEqualTo(8080);
            assertThat(p.getName()).isEqualTo("http");
        });
        assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        Service service = HelmChartTest.one(chart, Service.class);
        assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");

        // entrypoint: run-java.sh starting /deployments/quarkus-run.jar in both; the chart does not replace it
        String workdir = jib.getProperty("quarkus.jib.working-directory");
        assertThat(docker.entrypoint()).containsExactly(RUN_JAVA);
        assertThat(jib.getProperty("quarkus.jib.jvm-entrypoint")).as("Jib then uses the base image's run-java.sh").isNull();
        assertThat(docker.env()).containsEntry("JAVA_APP_JAR", workdir + "/quarkus-run.jar");
        assertThat(docker.copiedTo()).allMatch(d -> d.startsWith(workdir + "/"))
                .contains(workdir + "/lib/", workdir + "/app/", workdir + "/quarkus/", workdir + "/");
        assertThat(container.getCommand()).isEmpty();
        assertThat(container.getArgs()).as("no arguments: the artifact runs the operator").isEmpty();

        // JVM options: the image's JAVA_OPTS_APPEND is Jib's jvm-arguments; the chart's replaces it, so it repeats them
        List<String> imageOptions = List.of(docker.env().get("JAVA_OPTS_APPEND").split(" "));
        assertThat(imageOptions).isEqualTo(list(jib, "quarkus.jib.jvm-arguments"));
        String chartOptions = env(container, "JAVA_OPTS_APPEND");
        assertThat(List.of(chartOptions.split(" "))).containsSubsequence(imageOptions).anyMatch(o -> o.startsWith("-XX:MaxRAMPercentage="));
        assertThat(container.getResources().getLimits()).as("the heap follows this limit").containsKey("memory");

        // health: the chart probes the paths Quarkus serves (the default root, not moved by configuration)
        assertThat(jib.getProperty("quarkus.smallrye-health.root-path")).isNull();
        assertThat(jib.getProperty("quarkus.http.non-application-root-path")).isNull();
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");

        // read-only root, writable /tmp from an emptyDir: the JVM's and Vert.x's temporary files stay in /tmp
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        String tmpVolume = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst()
                .orElseThrow().getName();
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(tmpVolume)).findFirst().orElseThrow();
        assertThat(volume.getEmptyDir()).isNotNull();
        assertThat(chartOptions + docker.env()).doesNotContain("java.io.tmpdir");
        assertThat(jib.getProperty("quarkus.vertx.cache-directory")).isNull();
        assertThat(container.getVolumeMounts()).as("nothing else needs writing").hasSize(1);
    }

    @Test
    void theChartsDefaultImageIsTheOneTheBuildNames() throws Exception {
        Properties jib = properties();
        Container container = HelmChartTest.one(HelmChartTest.render(), Deployment.class).getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        String built = jib.getProperty("quarkus.container-image.name") + ":" + jib.getProperty("quarkus.container-image.tag");
        assertThat(jib.getProperty("quarkus.container-image.registry")).isEmpty();
        assertThat(jib.getProperty("quarkus.container-image.group")).isEmpty();
        assertThat(jib.getProperty("quarkus.container-image.build")).as("a plain package builds no image").isEqualTo("false");
        assertThat(container.getImage()).isEqualTo(built);
        assertThat(Files.readString(DOCKERFILE)).contains("-t " + built + " .");
        assertThat(Files.readString(Path.of("README.md"))).contains("-t " + built + " .").contains("kind load docker-image " + built)
                .contains("--set image.repository=");
        // a pushed image: the repository is the user's, the tag stays the build's
        Container pushed = HelmChartTest.one(HelmChartTest.render("image.repository", "registry.example.com/team/vigil"),
                Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(pushed.getImage()).isEqualTo("registry.example.com/team/vigil:" + jib.getProperty("quarkus.container-image.tag"));
    }

    @Test
    void dockerignoreSendsOnlyThePackagedApp() throws Exception {
        List<String> lines = Files.readAllLines(Path.of(".dockerignore")).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(lines.get(0)).isEqualTo("*");
        assertThat(lines).contains("!target/quarkus-app/*", "target/quarkus-app/cds");
    }

    static String env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElseThrow();
    }
}
