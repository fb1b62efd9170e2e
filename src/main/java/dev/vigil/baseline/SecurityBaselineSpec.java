package dev.vigil.baseline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.List;

public class SecurityBaselineSpec {

    @JsonPropertyDescription("Ingresses covered, by label, in this baseline's namespace (or in the namespaces of namespaceSelector). Absent: none; empty: all.")
    public LabelSelector selector;

    @JsonPropertyDescription("Namespaces whose Ingresses are covered too; honoured only for baselines in a namespace the operator trusts for this.")
    public LabelSelector namespaceSelector;

    @JsonPropertyDescription("Services without an Ingress, probed by URL.")
    public List<ProbeTarget> targets = new ArrayList<>();

    @JsonPropertyDescription("Address (host:port or IP:port) to connect to instead of the Ingress's load balancer, e.g. the ingress controller's Service. SNI and Host stay the rule's host.")
    public String connectAddress;

    public Requirements requirements = new Requirements();

    public Schedule schedule = new Schedule();

    @JsonPropertyDescription("Accepted risks: a failing control on the listed hosts counts as accepted until it expires.")
    public List<RiskException> exceptions = new ArrayList<>();
}
