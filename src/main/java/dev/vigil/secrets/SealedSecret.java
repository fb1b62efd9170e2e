package dev.vigil.secrets;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A Sops document committed to git that the operator decrypts into a Secret of the same name.
 * Short names avoid Bitnami's {@code sealedsecrets.bitnami.com} ({@code sealedsecret}, {@code ss}).
 */
@Group("vigil.dev")
@Version("v1alpha1")
@ShortNames({"vss", "vsealed"})
@Categories("vigil")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Secret", jsonPath = ".status.secretName", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
// -o wide: how old the document in git is (sops.lastmodified), and whether only a retiring key still opens it.
@AdditionalPrinterColumn(name = "Document", jsonPath = ".status.lastModified", type = AdditionalPrinterColumn.Type.DATE, priority = 1)
@AdditionalPrinterColumn(name = "Key-Retiring", jsonPath = ".status.conditions[?(@.type==\"KeyRetiring\")].status",
        type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class SealedSecret extends CustomResource<SealedSecretSpec, SealedSecretStatus> implements Namespaced {

    @Override
    protected SealedSecretStatus initStatus() {
        return new SealedSecretStatus();
    }
}
