package dev.pcitimeline.projections.timeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * How one table of the view changed from one event to the next: the row versions that stop
 * being valid and the ones that start. A row whose key stays but whose value changes is both
 * closed (old value) and opened (new value), so every version in a temporal table is immutable.
 */
public record TableChange<R>(List<R> closed, List<R> opened) {

    public TableChange {
        closed = List.copyOf(closed);
        opened = List.copyOf(opened);
    }

    private static final TableChange<?> NONE = new TableChange<>(List.of(), List.of());

    /** The change from {@code before} to {@code after}, rows identified by {@code key} (unique in each list). */
    @SuppressWarnings("unchecked")
    public static <R, K> TableChange<R> between(List<R> before, List<R> after, Function<R, K> key) {
        if (before == after) {
            return (TableChange<R>) NONE; // the fold hands on unchanged tables as the same list
        }
        // An event changes a row or two: rows equal at the same place from either end (their keys are in both
        // lists, each once) change nothing, and only the rows between them are indexed and compared.
        int from = 0;
        int beforeEnd = before.size();
        int afterEnd = after.size();
        while (from < beforeEnd && from < afterEnd && Objects.equals(before.get(from), after.get(from))) {
            from++;
        }
        while (beforeEnd > from && afterEnd > from
                && Objects.equals(before.get(beforeEnd - 1), after.get(afterEnd - 1))) {
            beforeEnd--;
            afterEnd--;
        }
        if (from == beforeEnd && from == afterEnd) {
            return (TableChange<R>) NONE;
        }
        Map<K, R> old = index(before.subList(from, beforeEnd), key);
        Map<K, R> now = index(after.subList(from, afterEnd), key);
        List<R> closed = new ArrayList<>();
        List<R> opened = new ArrayList<>();
        for (Map.Entry<K, R> e : old.entrySet()) {
            if (!Objects.equals(e.getValue(), now.get(e.getKey()))) {
                closed.add(e.getValue());
            }
        }
        for (Map.Entry<K, R> e : now.entrySet()) {
            if (!Objects.equals(e.getValue(), old.get(e.getKey()))) {
                opened.add(e.getValue());
            }
        }
        return new TableChange<>(closed, opened);
    }

    private static <R, K> Map<K, R> index(List<R> rows, Function<R, K> key) {
        Map<K, R> map = new LinkedHashMap<>();
        for (R row : rows) {
            if (map.put(key.apply(row), row) != null) {
                throw new IllegalStateException("two rows with key " + key.apply(row) + " in one view");
            }
        }
        return map;
    }

    public boolean isEmpty() {
        return closed.isEmpty() && opened.isEmpty();
    }
}
