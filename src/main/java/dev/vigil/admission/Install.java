package dev.vigil.admission;

import java.util.regex.Pattern;

/**
 * What the policies need to know about one installation, substituted into the shipped policy files the
 * same way by the chart ({@code templates/admission.yaml}) and by {@link ShippedPolicies}.
 *
 * @param namePrefix the release's full name; policies and bindings are named {@code <prefix>-<rule>-<mode>}
 * @param vigilUsername the username Vigil's ServiceAccount authenticates as
 * @param certManagerUsername the username cert-manager's controller authenticates as
 */
public record Install(String namePrefix, String vigilUsername, String certManagerUsername) {

    /** Usernames end up inside single-quoted CEL strings: nothing that could close or escape the quote. */
    static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9:._@-]*");
    static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");

    public static final String DEFAULT_CERT_MANAGER_USERNAME = "system:serviceaccount:cert-manager:cert-manager";

    public Install {
        if (!NAME.matcher(namePrefix).matches()) {
            throw new IllegalArgumentException("not a valid policy name prefix: " + namePrefix);
        }
        for (String user : new String[] {vigilUsername, certManagerUsername}) {
            if (!USERNAME.matcher(user).matches()) {
                throw new IllegalArgumentException("usernames may hold only letters, digits and : . _ @ -: " + user);
            }
        }
    }

    /** The chart's defaults for {@code helm install vigil helm/vigil -n <namespace>}. */
    public static Install of(String namespace, String serviceAccount) {
        return new Install("vigil", serviceAccountUsername(namespace, serviceAccount), DEFAULT_CERT_MANAGER_USERNAME);
    }

    /** {@code helm install vigil helm/vigil -n vigil-system}, as in the README. */
    public static Install defaults() {
        return of("vigil-system", "vigil");
    }

    public static String serviceAccountUsername(String namespace, String serviceAccount) {
        return "system:serviceaccount:" + namespace + ":" + serviceAccount;
    }
}
