package dev.pcitimeline.projections.store;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.util.TimeZone;

/**
 * The JSON mapping of everything Axon writes to the store: events, snapshots, tracking tokens and metadata.
 *
 * <p>It is deliberately not a Spring bean, so that a web layer's {@code ObjectMapper} settings can never change the
 * stored format, and this one's lenient settings never leak into an API.
 *
 * <ul>
 *   <li>State is the fields: field visibility ANY and getters ignored, so an aggregate snapshot round-trips its
 *       private fields, and a computed getter neither adds junk to the JSON nor is (mis)used as a setter when
 *       reading it back. Records still work: their components are fields and their canonical constructor is the
 *       creator. Explicit Jackson annotations ({@code @JsonValue}, {@code @JsonCreator}, {@code @JsonGetter}) win
 *       over visibility, which is what Axon's own tokens and our value types rely on.</li>
 *   <li>Unknown properties are ignored, so a field removed from an event does not make old events unreadable
 *       (upcasters handle the rest).</li>
 *   <li>java.time as ISO-8601 text in UTC, so stored JSON reads like the log it came from.</li>
 * </ul>
 */
public final class StoreObjectMapper {

    private StoreObjectMapper() {
    }

    /** A new mapper; Axon's {@code JacksonSerializer} registers its own modules on it, so never share one. */
    public static ObjectMapper create() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .visibility(PropertyAccessor.FIELD, Visibility.ANY)
                .visibility(PropertyAccessor.GETTER, Visibility.NONE)
                .visibility(PropertyAccessor.IS_GETTER, Visibility.NONE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // Events without components (markers) are legal.
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .defaultTimeZone(TimeZone.getTimeZone("UTC"))
                .build();
    }
}
