package dev.vigil.probe.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Response header lines in the order received; names compare case-insensitively. */
public record Headers(List<Map.Entry<String, String>> lines) {

    public List<String> all(String name) {
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> line : lines) {
            if (line.getKey().equalsIgnoreCase(name)) {
                values.add(line.getValue());
            }
        }
        return values;
    }

    /** Node's view of a header: repeated lines joined with ", " (absent when not sent). */
    public Optional<String> joined(String name) {
        List<String> values = all(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", values));
    }

    /** The first line only, as Node keeps single-valued headers such as Content-Type and Location. */
    public Optional<String> first(String name) {
        return all(name).stream().findFirst();
    }

    /** Only the lines whose name is one of {@code names} (compared case-insensitively), in their order. */
    public Headers only(java.util.Set<String> names) {
        List<Map.Entry<String, String>> kept = new ArrayList<>();
        for (Map.Entry<String, String> line : lines) {
            if (names.contains(line.getKey().toLowerCase(Locale.ROOT))) {
                kept.add(line);
            }
        }
        return new Headers(List.copyOf(kept));
    }

    public boolean has(String name) {
        return lines.stream().anyMatch(l -> l.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)));
    }
}
