package dev.vigil.reports;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;

/** The upstream report CRDs of {@code src/test/resources/reports/}, for tests in other packages. */
public final class StructuralSchemaAccess {

    private StructuralSchemaAccess() {
    }

    public static CustomResourceDefinition crd(String resource) throws IOException {
        return StructuralSchema.crd(resource);
    }
}
