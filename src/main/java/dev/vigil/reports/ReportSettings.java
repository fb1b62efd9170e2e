package dev.vigil.reports;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "vigil.reports")
public interface ReportSettings {

    /** Which report API to write: {@code wgpolicyk8s} (PolicyReport), {@code openreports} (Report) or {@code off}. */
    @WithDefault("wgpolicyk8s")
    ReportApi api();

    /** Results kept per namespace report (worst first); the summary counts all of them. */
    @WithDefault("500")
    int maxResults();

    /** While the report CRD is not served, how often the API server is asked again whether it is now. */
    @WithDefault("5m")
    Duration discoveryInterval();
}
