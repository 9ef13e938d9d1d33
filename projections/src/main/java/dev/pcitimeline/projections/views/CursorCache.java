package dev.pcitimeline.projections.views;

import dev.pcitimeline.projections.timeline.TimelineCursor;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The projection's fold cache: the cursor of each recently seen system, least recently used
 * first out. Only saves refolding from the event store; the tables are the read model.
 * A system whose fold failed is remembered as failed so its later events are skipped, not refolded.
 */
final class CursorCache {
    /** A system's fold, or the event at which it failed (fold null). */
    record Entry(SystemFold fold, long failedAt) {
        static Entry of(SystemFold fold) {
            return new Entry(fold, 0);
        }

        static Entry failed(long event) {
            return new Entry(null, event);
        }

        boolean isFailed() {
            return fold == null;
        }
    }

    private final int capacity;
    private final LinkedHashMap<String, Entry> entries;

    CursorCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("cursor cache capacity " + capacity + " must be at least 1");
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > CursorCache.this.capacity;
            }
        };
    }

    synchronized Entry get(String system) {
        return entries.get(system);
    }

    synchronized void put(String system, Entry entry) {
        entries.put(system, entry);
    }

    synchronized void evict(Collection<String> systems) {
        systems.forEach(entries::remove);
    }

    synchronized void clear() {
        entries.clear();
    }
}
