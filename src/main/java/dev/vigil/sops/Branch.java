package dev.vigil.sops;

import java.util.ArrayList;
import java.util.List;

/**
 * An ordered mapping as sops models it: keys are strings or comments (then the value is null),
 * duplicates impossible by construction of the stores.
 */
final class Branch {

    record Item(Object key, Object value) {
    }

    final List<Item> items = new ArrayList<>();

    void put(Object key, Object value) {
        items.add(new Item(key, value));
    }

    Object get(String key) {
        for (Item item : items) {
            if (key.equals(item.key())) {
                return item.value();
            }
        }
        return null;
    }

    boolean containsKey(String key) {
        return items.stream().anyMatch(i -> key.equals(i.key()));
    }
}
