package dev.vigil.secrets;

import dev.vigil.sops.SopsException;
import dev.vigil.sops.SopsKeyring;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Decryption keys held in Secrets of the operator's namespace labelled {@code vigil.dev/decryption-key=true}
 * (exactly {@code true}): entries ending in {@code .agekey} are age identity files (or OpenSSH Ed25519
 * keys), {@code .asc} armored PGP private keys. A key Secret serves only the namespaces its
 * {@code vigil.dev/allowed-namespaces} annotation lists (comma or space separated globs, {@code *} and
 * {@code ?}); without the annotation it serves none, and serving every namespace takes an explicit
 * {@code *}. A key Secret that lists namespaces (anything but {@code *}) is "restricted": documents it
 * opens may be unbound, because it cannot open them anywhere else.
 *
 * <p>A key Secret also labelled {@code vigil.dev/decryption-key-retiring=true} is on its way out: its keys are
 * tried after the current keys of the same scope, so a document it still opens has no current key that could
 * open it, and the SealedSecret says so (condition {@code KeyRetiring}) until it is re-encrypted.
 */
public final class KeySecrets {

    public static final String LABEL = "vigil.dev/decryption-key";
    public static final String LABEL_VALUE = "true";
    public static final String ALLOWED_NAMESPACES = "vigil.dev/allowed-namespaces";
    public static final String EVERY_NAMESPACE = "*";
    /** Marks a key Secret whose keys are to be removed once no SealedSecret depends on them. */
    public static final String RETIRING_LABEL = "vigil.dev/decryption-key-retiring";
    private static final Logger LOG = Logger.getLogger(KeySecrets.class);

    /**
     * The keys serving one namespace, restricted key Secrets first (so that they win when several keys could
     * open a document), the sources of the restricted ones and of the retiring ones, and the key Secrets skipped
     * for having no annotation.
     */
    public record Served(SopsKeyring keyring, Set<String> restrictedSources, Set<String> retiringSources,
            List<String> unannotated) {

        /** How the keys that opened a document (by keyring source) are scoped. */
        public List<ScopeRules.OpeningKey> openingKeys(List<String> sources) {
            return sources.stream().map(s -> new ScopeRules.OpeningKey(s, restrictedSources.contains(s))).toList();
        }
    }

    /**
     * Every key held by the labelled key Secrets (age recipient or PGP fingerprint, never key material), whether
     * it serves a namespace or not, and whether it is retiring: a key is retiring when every key Secret holding
     * it is, since a copy in a current key Secret is not going away. Unusable entries are skipped here; the
     * decryption path logs them.
     */
    public static Map<String, Boolean> inventory(Collection<Secret> keySecrets) {
        Map<String, Boolean> retiringByKey = new TreeMap<>();
        for (Secret secret : keySecrets) {
            if (!labelled(secret)) {
                continue;
            }
            boolean retiring = retiring(secret);
            for (Map.Entry<String, String> entry : entries(secret).entrySet()) {
                String source = secret.getMetadata().getName() + "/" + entry.getKey();
                try {
                    for (String key : load(SopsKeyring.empty(), entry.getKey(), entry.getValue(), source).describe()) {
                        retiringByKey.merge(key, retiring, Boolean::logicalAnd);
                    }
                } catch (SopsException | IllegalArgumentException e) {
                    // keyringFor logs it, naming the entry and never the key
                }
            }
        }
        return retiringByKey;
    }

    private KeySecrets() {
    }

    public static Served keyringFor(String namespace, Collection<Secret> keySecrets) {
        SopsKeyring keyring = SopsKeyring.empty();
        Set<String> restrictedSources = new LinkedHashSet<>();
        Set<String> retiringSources = new LinkedHashSet<>();
        List<String> unannotated = new ArrayList<>();
        // Restricted first (scope), then current before retiring, so a retiring key opens only what no current key
        // of the same scope can.
        List<Secret> ordered = keySecrets.stream()
                .filter(KeySecrets::labelled)
                .sorted(Comparator.comparing((Secret s) -> !restricted(s)).thenComparing(KeySecrets::retiring)
                        .thenComparing(s -> s.getMetadata().getName()))
                .toList();
        for (Secret secret : ordered) {
            if (allowedNamespaces(secret).isEmpty()) {
                unannotated.add(secret.getMetadata().getName());
                continue;
            }
            if (!allows(secret, namespace)) {
                continue;
            }
            for (Map.Entry<String, String> entry : entries(secret).entrySet()) {
                String source = secret.getMetadata().getName() + "/" + entry.getKey();
                try {
                    SopsKeyring loaded = load(keyring, entry.getKey(), entry.getValue(), source);
                    if (loaded == keyring) {
                        continue;
                    }
                    keyring = loaded;
                    if (restricted(secret)) {
                        restrictedSources.add(source);
                    }
                    if (retiring(secret)) {
                        retiringSources.add(source);
                    }
                } catch (SopsException e) {
                    // The message names the line and kind of key seen, never key material.
                    LOG.warnf("ignoring unusable decryption key %s: %s %s", source, e.errorClass(), e.getMessage());
                } catch (IllegalArgumentException e) {
                    LOG.warnf("ignoring unusable decryption key %s: %s", source, e.getClass().getSimpleName());
                }
            }
        }
        return new Served(keyring, Set.copyOf(restrictedSources), Set.copyOf(retiringSources), List.copyOf(unannotated));
    }

    /** Adds one key Secret entry to a keyring; entries of other kinds leave it as it is. */
    private static SopsKeyring load(SopsKeyring keyring, String entry, String base64, String source) throws SopsException {
        if (entry.endsWith(".agekey")) {
            return keyring.withKeyFile(decode(base64), source); // age identities or an OpenSSH Ed25519 key
        }
        if (entry.endsWith(".asc")) {
            return keyring.withPgpSecretKeys(decode(base64), source);
        }
        return keyring;
    }

    /** Labelled retiring with exactly "true", like the key label itself. */
    static boolean retiring(Secret secret) {
        Map<String, String> labels = secret.getMetadata().getLabels();
        return labels != null && LABEL_VALUE.equals(labels.get(RETIRING_LABEL));
    }

    /** The label must say exactly "true": {@code vigil.dev/decryption-key=false} is not a key Secret. */
    static boolean labelled(Secret secret) {
        Map<String, String> labels = secret.getMetadata().getLabels();
        return labels != null && LABEL_VALUE.equals(labels.get(LABEL));
    }

    static boolean allows(Secret secret, String namespace) {
        return allowedNamespaces(secret).stream().anyMatch(g -> g.equals(EVERY_NAMESPACE) || globToRegex(g).matcher(namespace).matches());
    }

    /** Lists namespaces rather than serving all of them. */
    static boolean restricted(Secret secret) {
        List<String> globs = allowedNamespaces(secret);
        return !globs.isEmpty() && globs.stream().noneMatch(KeySecrets::everyNamespace);
    }

    /**
     * {@code *} serves every namespace. Globs of wildcards alone ({@code **}, {@code ?*}) are read the same way,
     * and a key Secret holding one is unrestricted: it names no team's namespaces.
     */
    private static boolean everyNamespace(String glob) {
        return glob.chars().allMatch(c -> c == '*' || c == '?');
    }

    private static List<String> allowedNamespaces(Secret secret) {
        Map<String, String> annotations = secret.getMetadata().getAnnotations();
        String globs = annotations == null ? null : annotations.get(ALLOWED_NAMESPACES);
        if (globs == null || globs.isBlank()) {
            return List.of();
        }
        return Arrays.stream(globs.split("[,\\s]+")).filter(g -> !g.isEmpty()).toList();
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
