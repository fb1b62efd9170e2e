package dev.vigil.baseline;

import dev.vigil.testsupport.NginxSitesResource;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.function.Consumer;

/** The SecurityBaseline the operator tests start from: Ingresses labelled tier=web, probed on the test nginx every 3 s. */
final class NginxBaselines {

    private NginxBaselines() {
    }

    /** Made with the changes already applied: an update after the create would race the operator's status writes. */
    static SecurityBaseline of(String namespace, String name, Consumer<SecurityBaselineSpec> changes) {
        SecurityBaseline b = new SecurityBaseline();
        b.getMetadata().setName(name);
        b.getMetadata().setNamespace(namespace);
        SecurityBaselineSpec spec = new SecurityBaselineSpec();
        spec.selector = new LabelSelectorBuilder().addToMatchLabels("tier", "web").build();
        spec.connect = new Connect();
        spec.connect.httpsPort = NginxSitesResource.nginx.httpsPort();
        spec.connect.httpPort = NginxSitesResource.nginx.httpPort();
        spec.requirements = new Requirements();
        spec.schedule = new Schedule();
        spec.schedule.interval = "3s";
        spec.schedule.timeout = "5s";
        changes.accept(spec);
        b.setSpec(spec);
        return b;
    }
}
