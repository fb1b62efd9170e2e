package dev.vigil.baseline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.List;

public class SecurityBaselineSpec {

    @JsonPropertyDescription("Ingresses covered, by label, in this baseline's namespace (or in the namespaces of namespaceSelector). Absent: none; empty: all.")
    public LabelSelector selector;

    @JsonPropertyDescription("Namespaces whose Ingresses are covered too; honoured only for baselines in a namespace the operator trusts for this.")
    public LabelSelector namespaceSelector;

    @JsonPropertyDescription("Gateway API HTTPRoutes covered, by label, in this baseline's namespace (or in the namespaces of namespaceSelector); each host a route shares with a listener of a Gateway that accepted it is one service. Absent: none; empty: all. Independent of selector.")
    public LabelSelector routeSelector;

    @JsonPropertyDescription("Only the Gateways this selector matches lead to services of the covered HTTPRoutes. Absent: every Gateway that accepted a covered route.")
    public LabelSelector gatewaySelector;

    @Size(max = 100)
    @JsonPropertyDescription("Services without an Ingress, probed by URL.")
    public List<ProbeTarget> targets = new ArrayList<>();

    @JsonPropertyDescription("How to reach covered services; SNI and Host are always the rule's host.")
    public Connect connect = new Connect();

    public Requirements requirements = new Requirements();

    public Schedule schedule = new Schedule();

    @JsonPropertyDescription("Accepted risks: a failing control on the listed hosts counts as accepted until it expires.")
    @Size(max = 200)
    public List<AcceptedRiskSpec> exceptions = new ArrayList<>();

    @JsonPropertyDescription("Admission enforcement in this namespace (needs the chart's admission.enabled).")
    public Enforcement enforcement;
}
