package dev.vigil.secrets;

import dev.vigil.sops.SopsException;
import dev.vigil.sops.SopsKeyring;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Decryption keys held in labelled Secrets of the operator's namespace: entries ending in
 * {@code .agekey} are age identity files, {@code .asc} armored PGP private keys. An annotation may
 * restrict the namespaces allowed to use a key Secret.
 */
public final class KeySecrets {

    public static final String LABEL = "vigil.dev/decryption-key";
    public static final String ALLOWED_NAMESPACES = "vigil.dev/allowed-namespaces";
    private static final Logger LOG = Logger.getLogger(KeySecrets.class);

    private KeySecrets() {
    }

    public static SopsKeyring keyringFor(String namespace, Collection<Secret> keySecrets) {
        SopsKeyring keyring = SopsKeyring.empty();
        for (Secret secret : keySecrets.stream().sorted(Comparator.comparing(s -> s.getMetadata().getName())).toList()) {
            if (!allows(secret, namespace)) {
                continue;
            }
            for (Map.Entry<String, String> entry : entries(secret).entrySet()) {
                String source = secret.getMetadata().getName() + "/" + entry.getKey();
                try {
                    if (entry.getKey().endsWith(".agekey")) {
                        keyring = keyring.withKeyFile(decode(entry.getValue()), source); // age identities or an OpenSSH Ed25519 key
                    } else if (entry.getKey().endsWith(".asc")) {
                        keyring = keyring.withPgpSecretKeys(decode(entry.getValue()), source);
                    }
                } catch (SopsException e) {
                    // The message names the line and kind of key seen, never key material.
                    LOG.warnf("ignoring unusable decryption key %s: %s %s", source, e.errorClass(), e.getMessage());
                } catch (IllegalArgumentException e) {
                    LOG.warnf("ignoring unusable decryption key %s: %s", source, e.getClass().getSimpleName());
                }
            }
        }
        return keyring;
    }

    static boolean allows(Secret secret, String namespace) {
        Map<String, String> annotations = secret.getMetadata().getAnnotations();
        String globs = annotations == null ? null : annotations.get(ALLOWED_NAMESPACES);
        if (globs == null || globs.isBlank()) {
            return true;
        }
        return Arrays.stream(globs.split("[,\\s]+"))
                .filter(g -> !g.isEmpty())
                .anyMatch(g -> globToRegex(g).matcher(namespace).matches());
    }

    static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    private static Map<String, String> entries(Secret secret) {
        return secret.getData() == null ? Map.of() : secret.getData();
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
