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
    /**
     * A cached cursor, or the event at which the system's fold failed (cursor null), and the system's committed
     * open row versions when known (null: not loaded yet, see {@link OpenVersions}).
     */
    record Entry(TimelineCursor cursor, long failedAt, OpenVersions open) {
        static Entry of(TimelineCursor cursor, OpenVersions open) {
            return new Entry(cursor, 0, open);
        }

        static Entry failed(long event) {
            return new Entry(null, event, null);
        }

        Entry withOpen(OpenVersions versions) {
            return new Entry(cursor, failedAt, versions);
        }

        boolean isFailed() {
            return cursor == null;
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
