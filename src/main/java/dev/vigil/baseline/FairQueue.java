package dev.vigil.baseline;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A blocking queue that hands out work round-robin across tenants (namespaces): each tenant's items stay in
 * order, and a tenant with ten items waits for at most one item of every other tenant per turn, however many
 * thousands those have queued.
 */
final class FairQueue<T> {

    private final Map<String, ArrayDeque<T>> queues = new HashMap<>();
    private final ArrayDeque<String> turns = new ArrayDeque<>();
    private int size;

    synchronized void put(String tenant, T item) {
        ArrayDeque<T> queue = queues.computeIfAbsent(tenant, t -> new ArrayDeque<>());
        if (queue.isEmpty()) {
            turns.addLast(tenant);
        }
        queue.addLast(item);
        size++;
        notifyAll();
    }

    synchronized T take() throws InterruptedException {
        while (turns.isEmpty()) {
            wait();
        }
        String tenant = turns.pollFirst();
        ArrayDeque<T> queue = queues.get(tenant);
        T item = queue.pollFirst();
        if (queue.isEmpty()) {
            queues.remove(tenant);
        } else {
            turns.addLast(tenant);
        }
        size--;
        return item;
    }

    synchronized int size() {
        return size;
    }
}
