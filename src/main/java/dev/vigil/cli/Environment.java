package dev.vigil.cli;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The process environment as the commands read it. Tests run the CLI in-process with an environment of
 * their own ({@link #with}); everything else sees {@link System#getenv()}.
 */
final class Environment {

    private static final ThreadLocal<Map<String, String>> OVERRIDE = new ThreadLocal<>();

    private Environment() {
    }

    static String get(String name) {
        Map<String, String> override = OVERRIDE.get();
        return override != null ? override.get(name) : System.getenv(name);
    }

    static <T> T with(Map<String, String> environment, Supplier<T> action) {
        Map<String, String> previous = OVERRIDE.get();
        OVERRIDE.set(environment);
        try {
            return action.get();
        } finally {
            if (previous == null) {
                OVERRIDE.remove();
            } else {
                OVERRIDE.set(previous);
            }
        }
    }
}
