package dev.pcitimeline.app.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The reliability tests' HTTP client: raw bodies in, status and JSON out. A request that gets no answer
 * (the server was killed) throws {@link IOException}: the caller decides what an unanswered write means.
 */
final class RestClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String YAML = "application/yaml";
    static final String JSON_TYPE = "application/json";

    private final HttpClient client;
    private final String base;

    RestClient(String host, int port) {
        this.base = "http://" + host + ":" + port;
        // HTTP/1.1 only: one request per connection at a time, as curl and the tests' threads expect.
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    RestClient(int port) {
        this("127.0.0.1", port);
    }

    Response get(String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Response post(String path, String contentType, String body) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    Response post(String path, String contentType, String body, String authorization) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    /** GET that must answer 200: for reads after the fact, where an exception is the clearest failure. */
    JsonNode read(String path) {
        try {
            Response r = get(path);
            if (r.status() != 200) {
                throw new AssertionError("GET " + path + ": " + r);
            }
            return r.json();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path, e);
        }
    }

    /** The system ids the service lists, oldest first. */
    List<String> systems() {
        List<String> ids = new ArrayList<>();
        read("/api/systems").forEach(s -> ids.add(s.get("system").asText()));
        return ids;
    }

    private Response send(HttpRequest.Builder request) throws IOException {
        try {
            HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(180)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    record Response(int status, String contentType, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + (body.length() > 2000 ? body.substring(0, 2000) + "…" : body);
        }
    }
}
