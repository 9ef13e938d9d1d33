package dev.pcitimeline.scenarios.format;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A YAML (or JSON) document read into plain nodes that remember their line. Built from
 * Jackson's streaming YAML parser, so nothing is ever constructed from YAML tags; duplicate
 * keys, anchors, aliases and tags are rejected here with the path they occur at.
 */
final class YamlTree {

    /** Largest document accepted, in code points (and in bytes for files). */
    static final int MAX_CODE_POINTS = 4 * 1024 * 1024;
    /** Deepest nesting of maps and lists; real scenarios stay far below. */
    static final int MAX_DEPTH = 100;
    private static final int MAX_ALIASES = 50;
    /**
     * Most values (scalars, maps and lists) in one document. Each costs a hundred bytes or so once read, so a
     * megabyte of {@code [0,0,0,...]} would otherwise take some 60 MB of heap per request; real scenarios have
     * a few thousand.
     */
    static final int MAX_VALUES = 100_000;

    private static final YAMLFactory FACTORY = YAMLFactory.builder().loaderOptions(loaderOptions()).build();

    private YamlTree() {
    }

    /**
     * SnakeYAML's own bounds. The streaming parser enforces the code point limit; the alias and
     * depth limits only bind its composer, which Jackson does not use, so the builder below
     * enforces depth itself and refuses aliases outright (nothing is ever expanded).
     */
    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        // Duplicates are reported by the tree builder, which knows the key's path.
        options.setAllowDuplicateKeys(true);
        return options;
    }

    sealed interface Node permits MapNode, ListNode, ScalarNode {
        int line();

        /** How an error message names this value: "a map", "a string 'x'", ... */
        String describe();
    }

    record Entry(String key, int line, Node value) {
    }

    /** A mapping in file order. */
    record MapNode(int line, Map<String, Entry> entries) implements Node {
        MapNode {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        public String describe() {
            return "a map";
        }
    }

    record ListNode(int line, List<Node> items) implements Node {
        ListNode {
            items = List.copyOf(items);
        }

        public String describe() {
            return "a list";
        }
    }

    enum ScalarType { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

    /**
     * A scalar as YAML 1.1 resolved it; {@code text} is what the file says (so an unquoted
     * {@code 00.0} or {@code 0000:06:00.0}, which YAML reads as numbers, keeps its spelling).
     *
     * @param integer the value of an INTEGER scalar (hex, octal and binary included), else null
     * @param bool    the value of a BOOLEAN scalar (YAML 1.1 also spells them yes/no, on/off), else null
     */
    record ScalarNode(int line, ScalarType type, String text, BigInteger integer, Boolean bool) implements Node {
        public String describe() {
            return switch (type) {
                case STRING -> "a string '" + text + "'";
                case INTEGER, FLOAT -> "a number " + text;
                case BOOLEAN -> "a boolean " + text;
                case NULL -> "an empty value";
            };
        }
    }

    /** Reads one document; null when the text holds none (empty or only comments). */
    static Node read(String source, String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            Builder builder = new Builder(source, (YAMLParser) parser);
            JsonToken first = builder.next("");
            if (first == null) {
                return null;
            }
            Node root = builder.value(first, "", 0);
            // Jackson runs documents together: any token after the root value starts a second one.
            if (builder.next("") != null) {
                throw new ScenarioException(source, builder.tokenLine(), "",
                        "a scenario holds one YAML document, found a second one ('---')");
            }
            return root;
        } catch (IOException e) {
            // Only the parser's close can get here: the text is in memory.
            throw new ScenarioException(source, 0, "", "cannot read: " + e.getMessage(), e);
        }
    }

    private static final class Builder {
        private final String source;
        private final YAMLParser parser;
        private int values;

        Builder(String source, YAMLParser parser) {
            this.source = source;
            this.parser = parser;
        }

        int tokenLine() {
            return parser.currentTokenLocation().getLineNr();
        }

        /** The next token; a YAML syntax error is reported at {@code path}, the node being read. */
        JsonToken next(String path) {
            try {
                JsonToken token = parser.nextToken();
                if (token != null) {
                    rejectAnchorsAliasesAndTags(path);
                }
                return token;
            } catch (JsonProcessingException e) {
                throw syntaxError(path, e);
            } catch (IOException e) {
                throw new ScenarioException(source, 0, path, "cannot read: " + e.getMessage(), e);
            }
        }

        private void rejectAnchorsAliasesAndTags(String path) throws IOException {
            String where = parser.currentToken() == JsonToken.FIELD_NAME ? child(path, parser.currentName()) : path;
            if (parser.isCurrentAlias()) {
                throw new ScenarioException(source, tokenLine(), where,
                        "YAML aliases (*" + parser.getText() + ") are not allowed in scenarios");
            }
            if (parser.getObjectId() != null) {
                throw new ScenarioException(source, tokenLine(), where,
                        "YAML anchors (&" + parser.getObjectId() + ") are not allowed in scenarios");
            }
            if (parser.getTypeId() != null) {
                throw new ScenarioException(source, tokenLine(), where,
                        "YAML tags ('" + parser.getTypeId() + "') are not allowed in scenarios");
            }
        }

        private ScenarioException syntaxError(String path, JsonProcessingException e) {
            // SnakeYAML's own exception has the precise mark and a message without Jackson's source dump.
            if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                String context = marked.getContext() == null ? "" : marked.getContext() + ": ";
                return new ScenarioException(source, marked.getProblemMark().getLine() + 1, path,
                        "malformed YAML: " + context + marked.getProblem(), e);
            }
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            return new ScenarioException(source, Math.max(line, 0), path, "malformed YAML: " + readable(e.getOriginalMessage()), e);
        }

        /** The parser reports truncation itself; this guards the loops should it ever end a document early. */
        private void requireMore(JsonToken token, String path) {
            if (token == null) {
                throw new ScenarioException(source, tokenLine(), path, "malformed YAML: the document ends inside this value");
            }
        }

        Node value(JsonToken token, String path, int depth) {
            requireMore(token, path);
            int line = tokenLine();
            if (++values > MAX_VALUES) {
                throw new ScenarioException(source, line, path, "the document holds more than " + MAX_VALUES + " values");
            }
            if ((token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) && depth >= MAX_DEPTH) {
                throw new ScenarioException(source, line, path, "nested deeper than " + MAX_DEPTH + " levels");
            }
            try {
                return switch (token) {
                    case START_OBJECT -> map(line, path, depth);
                    case START_ARRAY -> list(line, path, depth);
                    case VALUE_STRING -> scalar(line, ScalarType.STRING, null, null);
                    case VALUE_NUMBER_INT -> scalar(line, ScalarType.INTEGER, parser.getBigIntegerValue(), null);
                    case VALUE_NUMBER_FLOAT -> scalar(line, ScalarType.FLOAT, null, null);
                    case VALUE_TRUE -> scalar(line, ScalarType.BOOLEAN, null, true);
                    case VALUE_FALSE -> scalar(line, ScalarType.BOOLEAN, null, false);
                    case VALUE_NULL -> scalar(line, ScalarType.NULL, null, null);
                    default -> throw new ScenarioException(source, line, path,
                            "unsupported YAML value '" + parser.getText() + "'");
                };
            } catch (JsonProcessingException e) {
                throw syntaxError(path, e);
            } catch (IOException e) {
                throw new ScenarioException(source, line, path, "cannot read: " + e.getMessage(), e);
            }
        }

        private ScalarNode scalar(int line, ScalarType type, BigInteger integer, Boolean bool) throws IOException {
            return new ScalarNode(line, type, parser.getText(), integer, bool);
        }

        private MapNode map(int line, String path, int depth) throws IOException {
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (JsonToken t = next(path); t != JsonToken.END_OBJECT; t = next(path)) {
                requireMore(t, path);
                String key = parser.currentName();
                int keyLine = tokenLine();
                String keyPath = child(path, key);
                Entry earlier = entries.get(key);
                if (earlier != null) {
                    throw new ScenarioException(source, keyLine, keyPath,
                            "duplicate key '" + key + "' (first on line " + earlier.line() + ")");
                }
                Node value = value(next(keyPath), keyPath, depth + 1);
                entries.put(key, new Entry(key, keyLine, value));
            }
            return new MapNode(line, entries);
        }

        private ListNode list(int line, String path, int depth) {
            List<Node> items = new ArrayList<>();
            // Each token is read with the path of the item it starts, so errors name that item.
            for (JsonToken t = next(index(path, 0)); t != JsonToken.END_ARRAY; t = next(index(path, items.size()))) {
                requireMore(t, path);
                items.add(value(t, index(path, items.size()), depth + 1));
            }
            return new ListNode(line, items);
        }
    }

    private static final Pattern SNAKEYAML_EVENT =
            Pattern.compile("<org\\.yaml\\.snakeyaml\\.events\\.(\\w+)Event\\((?:anchor=([^,)]*))?[^>]*>");
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.){2,}[A-Z]\\w*");

    /**
     * Jackson's own message for a document it cannot map to tokens, without the parser's internals: a key that is
     * not a plain value was reported as "got this instead: &lt;org.yaml.snakeyaml.events.SequenceStartEvent(…)&gt;".
     */
    static String readable(String message) {
        if (message == null) {
            return "the document cannot be read";
        }
        Matcher m = SNAKEYAML_EVENT.matcher(message);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String what = switch (m.group(1)) {
                case "Alias" -> "an alias" + (m.group(2) == null || m.group(2).equals("null") ? "" : " (*" + m.group(2) + ")");
                case "SequenceStart" -> "a list";
                case "MappingStart" -> "a map";
                case "Scalar" -> "a value";
                default -> "YAML " + m.group(1).toLowerCase(java.util.Locale.ROOT);
            };
            m.appendReplacement(b, Matcher.quoteReplacement(what));
        }
        m.appendTail(b);
        String text = b.toString().replace("Expected a field name (Scalar value in YAML), got this instead: ",
                "a key must be plain text, found ");
        // Whatever else a parser might say about its own classes stays in the log, not in the message.
        return CLASS_NAME.matcher(text).find() ? "the document cannot be read as YAML here" : text;
    }

    /** {@code parent.key}, or {@code key} at the top. */
    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static String index(String path, int i) {
        return path + "[" + i + "]";
    }
}
