package dev.vigil.baseline;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** The security baseline a platform team sets for the services it covers, and their grades. */
@Group("vigil.dev")
@Version("v1alpha1")
@ShortNames("sbl")
@Categories("vigil")
@AdditionalPrinterColumn(name = "Services", jsonPath = ".status.summary.services", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Below-Min", jsonPath = ".status.summary.belowMinimum", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Worst", jsonPath = ".status.summary.worstGrade", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Compliant", jsonPath = ".status.conditions[?(@.type==\"Compliant\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class SecurityBaseline extends CustomResource<SecurityBaselineSpec, SecurityBaselineStatus> implements Namespaced {

    @Override
    protected SecurityBaselineStatus initStatus() {
        return new SecurityBaselineStatus();
    }
}
