package com.lakehouse.validatord.service;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * playbook: artifact {@code {operation, endorsed_names: [..], fingerprint}}, context {@code {target_count}}.
 * The operation starts with {@code fill:}, at most 2 x target_count endorsed names, a fingerprint present.
 */
public final class PlaybookValidator {
    public List<Finding> validate(JsonNode artifact, JsonNode context) {
        List<Finding> out = new ArrayList<>();
        if (artifact == null || !artifact.isObject()) {
            out.add(Finding.error("schema_invalid", Finding.SCHEMA, "artifact", "artifact must be an object"));
            return out;
        }
        JsonNode op = artifact.get("operation");
        if (op == null || !op.isTextual() || op.asText().isBlank()) {
            out.add(Finding.error("schema_invalid", Finding.SCHEMA, "operation", "operation is required and must be a string"));
        }
        JsonNode names = artifact.get("endorsed_names");
        if (names != null && !names.isNull()) {
            if (!names.isArray()) {
                out.add(Finding.error("schema_invalid", Finding.SCHEMA, "endorsed_names", "endorsed_names must be an array"));
            } else {
                for (int i = 0; i < names.size(); i++) {
                    if (!names.get(i).isTextual()) {
                        out.add(Finding.error("schema_invalid", Finding.SCHEMA, "endorsed_names[" + i + "]",
                                "endorsed_names[" + i + "] must be a string"));
                    }
                }
            }
        }
        Integer target = Json2.count(context, "target_count");
        if (target != null && target < 0) {
            out.add(Finding.error("schema_invalid", Finding.SCHEMA, "context.target_count",
                    "context.target_count must be a non-negative integer"));
        }
        if (!out.isEmpty()) {
            return out;
        }
        if (!op.asText().trim().startsWith("fill:")) {
            out.add(Finding.error("wrong_operation", Finding.CONSISTENCY, "operation",
                    "a playbook operation starts with 'fill:'"));
        }
        JsonNode fp = artifact.get("fingerprint");
        if (fp == null || fp.isNull() || (fp.isTextual() && fp.asText().isBlank())
                || (fp.isContainerNode() && fp.isEmpty())) {
            out.add(Finding.error("fingerprint_missing", Finding.COMPLETENESS, "fingerprint", "a fingerprint is required"));
        }
        int endorsed = names == null || names.isNull() ? 0 : names.size();
        if (target != null && endorsed > 2 * target) {
            out.add(Finding.error("too_many_endorsed", Finding.CONSISTENCY, "endorsed_names",
                    endorsed + " endorsed names is more than 2 x target_count (" + target + ")"));
        }
        return out;
    }
}
