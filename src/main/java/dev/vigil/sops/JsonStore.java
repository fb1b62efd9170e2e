package dev.vigil.sops;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The JSON store (and the binary store's JSON envelope): ordered objects, unique keys. */
final class JsonStore {

    private final Limits limits;

    JsonStore(Limits limits) {
        this.limits = limits;
    }

    ParsedDocument parse(byte[] bytes) throws SopsException {
        Branch root = parseObject(bytes);
        Object sops = root.get("sops");
        if (sops == null && !root.containsKey("sops")) {
            return new ParsedDocument(List.of(root), null);
        }
        if (!(sops instanceof Branch metadata)) {
            throw SopsException.invalid("the sops metadata is not an object");
        }
        root.items.removeIf(i -> "sops".equals(i.key()));
        return new ParsedDocument(List.of(root), metadata);
    }

    Branch parseObject(byte[] bytes) throws SopsException {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxDepth())
                        .maxStringLength(limits.maxBytes())
                        .maxNumberLength(1000)
                        .build())
                .build();
        Limits.Budget budget = limits.budget();
        try (JsonParser parser = factory.createParser(bytes)) {
            parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw invalidAt(parser.currentLocation(), "top level of a JSON document must be an object");
            }
            Branch root = object(parser, budget, 1);
            if (parser.nextToken() != null) {
                throw invalidAt(parser.currentLocation(), "trailing content after the JSON object");
            }
            return root;
        } catch (JsonParseException e) {
            throw invalidAt(e.getLocation(), "JSON syntax error: " + e.getOriginalMessage().split("\n")[0]);
        } catch (StreamConstraintsException e) {
            throw SopsException.invalid("JSON document breaks a limit: " + e.getOriginalMessage().split("\n")[0]);
        } catch (IOException e) {
            throw SopsException.invalid("unreadable JSON: " + e.getClass().getSimpleName());
        }
    }

    private Branch object(JsonParser parser, Limits.Budget budget, int depth) throws IOException, SopsException {
        budget.node(depth);
        Branch branch = new Branch();
        Set<String> seen = new HashSet<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            if (!seen.add(key)) {
                throw invalidAt(parser.currentLocation(), "duplicate key");
            }
            parser.nextToken();
            branch.put(key, value(parser, budget, depth + 1));
        }
        return branch;
    }

    private Object value(JsonParser parser, Limits.Budget budget, int depth) throws IOException, SopsException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT:
                return object(parser, budget, depth);
            case START_ARRAY: {
                budget.node(depth);
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(parser, budget, depth + 1));
                }
                return list;
            }
            case VALUE_STRING:
                budget.node(depth);
                return parser.getText();
            case VALUE_NUMBER_INT:
                budget.node(depth);
                return parser.getNumberType() == JsonParser.NumberType.INT || parser.getNumberType() == JsonParser.NumberType.LONG
                        ? (Object) parser.getLongValue() : (Object) parser.getDoubleValue();
            case VALUE_NUMBER_FLOAT:
                budget.node(depth);
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw invalidAt(parser.currentLocation(), "unexpected JSON token " + token);
        }
    }

    private static SopsException invalidAt(JsonLocation location, String message) {
        if (location == null) {
            return SopsException.invalid(message);
        }
        return SopsException.invalid(message + " at line " + location.getLineNr() + ", column " + location.getColumnNr());
    }
}
