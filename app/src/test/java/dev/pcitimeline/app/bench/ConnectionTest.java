package dev.pcitimeline.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bench's stand-in for a connection takes every byte, stays open across responses and counts what it took. */
class ConnectionTest {
    @Test
    void takes_every_byte_of_each_response_and_stays_open() throws Exception {
        Bench.Connection connection = new Bench.Connection();
        ObjectMapper json = new ObjectMapper();
        byte[] big = new byte[200_000]; // three times round its buffer
        Map<String, Object> response = Map.of("steps", List.of("a", "b"), "big", big);
        int size = json.writeValueAsBytes(response).length;

        json.writeValue(connection, response); // closes its target: the connection must stay usable
        json.writeValue(connection, response);
        connection.write('x');
        connection.write(big, 10, 0);

        assertThat(connection.bytes()).isEqualTo(2L * size + 1);
        assertThatThrownBy(() -> connection.write(big, 199_999, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(connection.bytes()).isEqualTo(2L * size + 1);
    }
}
