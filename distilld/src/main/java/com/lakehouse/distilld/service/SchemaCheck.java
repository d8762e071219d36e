package com.lakehouse.distilld.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Validates rows against the JSON Schemas shipped in common-contracts ({@code schemas/<name>.json}). */
public final class SchemaCheck {
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private SchemaCheck() {
    }

    public static JsonSchema schema(String name) {
        return CACHE.computeIfAbsent(name, n -> {
            try (InputStream in = SchemaCheck.class.getClassLoader().getResourceAsStream("schemas/" + n + ".json")) {
                if (in == null) {
                    throw new IllegalStateException("no schema schemas/" + n + ".json on the classpath");
                }
                return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Problems of one row, empty when valid. */
    public static List<String> problems(String schemaName, JsonNode row) {
        Set<ValidationMessage> msgs = schema(schemaName).validate(row);
        return msgs.stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
