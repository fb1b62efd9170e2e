package dev.vigil.secrets;

import dev.vigil.sops.SopsFormat;
import java.util.regex.Pattern;

/** Picks the Sops store of a document whose spec leaves the format out. */
public final class FormatInference {

    private static final Pattern INI_SOPS_SECTION = Pattern.compile("(?m)^\\s*\\[sops]\\s*$");
    private static final Pattern DOTENV_SOPS_LINE = Pattern.compile("(?m)^sops_[a-z_]+=");
    private static final Pattern JSON_SOPS_KEY = Pattern.compile("\"sops\"\\s*:");

    private FormatInference() {
    }

    public static SopsFormat infer(String document, String binaryKey) {
        String trimmed = document.stripLeading();
        if (trimmed.startsWith("{") && JSON_SOPS_KEY.matcher(document).find()) {
            return binaryKey != null && !binaryKey.isBlank() ? SopsFormat.BINARY : SopsFormat.JSON;
        }
        if (INI_SOPS_SECTION.matcher(document).find()) {
            return SopsFormat.INI;
        }
        if (DOTENV_SOPS_LINE.matcher(document).find()) {
            return SopsFormat.DOTENV;
        }
        return SopsFormat.YAML;
    }
}
