package com.lakehouse.validatord.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;

/**
 * A truth rule: when {@code condition} holds for an artifact of {@code task_class} (fill, email, playbook or
 * {@code *}), apply {@code action}: pass (recorded only), reject (an error finding; iterate retries), redact
 * (the matched field is masked in {@code redacted_artifact}; a warning), block (an error finding; iterate
 * stops at once). {@code code} names the finding (default {@code truth_<action>}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TruthRule(String id, String taskClass, String description, Condition condition, String action,
                        String code, String source) {
    public static final Set<String> ACTIONS = Set.of("pass", "reject", "redact", "block");
    public static final Set<String> TASK_CLASSES = Set.of("fill", "email", "playbook", "*");

    /**
     * {@code type}: always | field_equals {field, value | values} | field_mismatch {field, other | value} |
     * field_empty {field} | field_greater {field, value} | field_contains_any {field, values}. Fields are
     * dotted paths into the artifact ({@code body}, {@code fills[*].candidate_id}) or, prefixed with
     * {@code context.}, into the context.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Condition(String type, String field, String other, JsonNode value, List<JsonNode> values) {
        public static final Set<String> TYPES = Set.of("always", "field_equals", "field_mismatch", "field_empty",
                "field_greater", "field_contains_any");
    }

    public TruthRule withSource(String s) {
        return new TruthRule(id, taskClass, description, condition, action, code, s);
    }

    public String findingCode() {
        return code != null && !code.isBlank() ? code : "truth_" + action;
    }

    /** Checks the rule is complete; returns a message naming the bad field, or null when fine. */
    public String problem() {
        if (id == null || id.isBlank()) {
            return "id is required";
        }
        if (taskClass == null || !TASK_CLASSES.contains(taskClass)) {
            return "rule " + id + ": task_class must be one of fill, email, playbook, *";
        }
        if (action == null || !ACTIONS.contains(action)) {
            return "rule " + id + ": action must be one of pass, reject, redact, block";
        }
        if (condition == null || condition.type() == null || !Condition.TYPES.contains(condition.type())) {
            return "rule " + id + ": condition.type must be one of " + Condition.TYPES;
        }
        String t = condition.type();
        if (!t.equals("always") && (condition.field() == null || condition.field().isBlank())) {
            return "rule " + id + ": condition.field is required for " + t;
        }
        switch (t) {
            case "field_equals" -> {
                if (condition.value() == null && (condition.values() == null || condition.values().isEmpty())) {
                    return "rule " + id + ": condition.value or condition.values is required for field_equals";
                }
            }
            case "field_mismatch" -> {
                if (condition.other() == null && condition.value() == null) {
                    return "rule " + id + ": condition.other or condition.value is required for field_mismatch";
                }
            }
            case "field_greater" -> {
                if (condition.value() == null || !condition.value().isNumber()) {
                    return "rule " + id + ": condition.value must be a number for field_greater";
                }
            }
            case "field_contains_any" -> {
                if (condition.values() == null || condition.values().isEmpty()) {
                    return "rule " + id + ": condition.values is required for field_contains_any";
                }
            }
            default -> {
            }
        }
        if (action.equals("redact") && (t.equals("always") || t.equals("field_empty"))) {
            return "rule " + id + ": redact needs a condition on a field with a value";
        }
        return null;
    }
}
