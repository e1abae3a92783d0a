package io.tracegql.graphql;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that keeps at most {@code capacity} entries and drops the least recently used one to take a
 * new one: the memory a cache of client-sent documents holds stays bounded whatever clients send.
 * Synchronized: requests on every event loop share it, and each access is a map lookup.
 */
public final class BoundedCache<K, V> {

    private final LinkedHashMap<K, V> entries;

    public BoundedCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a cache holds at least one entry, got " + capacity);
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The value of a key, or null; a hit makes it the most recently used. */
    public synchronized V get(K key) {
        return entries.get(key);
    }

    public synchronized void put(K key, V value) {
        entries.put(key, value);
    }

    public synchronized int size() {
        return entries.size();
    }
}
