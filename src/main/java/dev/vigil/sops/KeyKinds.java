package dev.vigil.sops;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the kind of key a piece of text looks like, for error messages: only a public prefix (a Bech32
 * human-readable part, an SSH key type, a PEM label) is ever echoed, never the key itself.
 */
final class KeyKinds {

    private static final Pattern BECH32_PREFIX = Pattern.compile("^([A-Za-z][A-Za-z0-9-]{0,40})1[02-9ac-hj-np-zAC-HJ-NP-Z]{6,}$");
    private static final Pattern PEM_LABEL = Pattern.compile("^-----BEGIN ([A-Z0-9 ]{1,40})-----");
    private static final Pattern SSH_TYPE = Pattern.compile("^(ssh-[a-z0-9-]{1,30}|ecdsa-sha2-nistp(256|384|521)|sk-[a-z0-9@.-]{1,40})$");

    private KeyKinds() {
    }

    static String describe(String word) {
        Matcher pem = PEM_LABEL.matcher(word);
        if (pem.find()) {
            return "a PEM block \"" + pem.group(1) + "\"";
        }
        if (SSH_TYPE.matcher(word).matches()) {
            return "an SSH public key (" + word + ")";
        }
        Matcher bech32 = BECH32_PREFIX.matcher(word);
        if (bech32.matches()) {
            String hrp = bech32.group(1);
            String upper = hrp.toUpperCase(java.util.Locale.ROOT);
            if (upper.startsWith("AGE-PLUGIN-")) {
                return "an age plugin identity (" + upper + "1…)";
            }
            if (hrp.equals("age") || hrp.startsWith("age1")) {
                return "an age recipient (" + hrp + "1…, a public key)";
            }
            return "a Bech32 string with prefix " + hrp + "1…";
        }
        return "unrecognised text (" + word.length() + " characters)";
    }
}
