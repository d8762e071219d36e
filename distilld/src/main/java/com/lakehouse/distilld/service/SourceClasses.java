package com.lakehouse.distilld.service;

import java.util.List;
import java.util.Locale;

/** The eight staffing source classes, how a run is classified, and one SFT instruction template per class. */
public final class SourceClasses {
    public static final List<String> ALL = List.of("fill_proposal", "candidate_email", "role_extraction",
            "matrix_search", "playbook_record", "iterate_correction", "chat", "default");

    private SourceClasses() {
    }

    /** First rule that matches, from the endpoint and the operation kind. */
    public static String classify(String endpoint, String kind) {
        String e = endpoint == null ? "" : endpoint.toLowerCase(Locale.ROOT);
        String k = kind == null ? "" : kind.toLowerCase(Locale.ROOT);
        if (e.startsWith("/v1/iterate") || k.equals("iterate")) {
            return "iterate_correction";
        }
        if (k.equals("fill") || e.contains("/fill")) {
            return "fill_proposal";
        }
        if (k.equals("email") || e.contains("email")) {
            return "candidate_email";
        }
        if (k.equals("playbook") || e.contains("/playbooks")) {
            return "playbook_record";
        }
        if (k.contains("role") || e.contains("/role")) {
            return "role_extraction";
        }
        if (e.startsWith("/v1/matrix/search") || e.startsWith("/v1/pathway/search")
                || (e.startsWith("/v1/vectors/") && e.endsWith("/search"))) {
            return "matrix_search";
        }
        if (e.startsWith("/v1/chat")) {
            return "chat";
        }
        return "default";
    }

    /** generator when a model answered, retriever for searches, recorder for playbooks, validator/system otherwise. */
    public static String modelRole(String cls, String model, String source) {
        if (model != null) {
            return "generator";
        }
        if ("matrix_search".equals(cls)) {
            return "retriever";
        }
        if ("playbook_record".equals(cls)) {
            return "recorder";
        }
        return "validatord".equals(source) ? "validator" : "system";
    }

    /** The instruction template of a class; {@code {input}} is replaced by the run's input text. */
    public static String template(String cls) {
        return switch (cls) {
            case "fill_proposal" -> "You are a staffing coordinator. Propose workers from the roster for this job order, "
                    + "only real worker ids, and justify each pick.\n\nJob order:\n{input}";
            case "candidate_email" -> "Write a short, accurate email to a candidate about this job. Never include "
                    + "personal identifiers or another worker's pay.\n\nContext:\n{input}";
            case "role_extraction" -> "Extract the role or roles this request asks for and answer as JSON.\n\nRequest:\n{input}";
            case "matrix_search" -> "Find the best matching candidates across the corpora for this query, without "
                    + "mixing one role's history into another's.\n\nQuery:\n{input}";
            case "playbook_record" -> "Record this successful fill as a reusable playbook entry.\n\nFill:\n{input}";
            case "iterate_correction" -> "A previous answer to this task failed validation. Produce a corrected answer "
                    + "that passes every validator.\n\nTask:\n{input}";
            case "chat" -> "Answer the user's message.\n\n{input}";
            default -> "Complete this lakehouse operation.\n\nRequest:\n{input}";
        };
    }

    /** The input text of a run: a string as is, a {@code prompt} field when there is one, else canonical JSON. */
    public static String inputText(com.fasterxml.jackson.databind.JsonNode input) {
        if (input != null && input.isObject() && input.has("prompt") && input.get("prompt").isTextual()) {
            return input.get("prompt").asText();
        }
        return Canon.text(input);
    }

    public static String instruction(String cls, com.fasterxml.jackson.databind.JsonNode input) {
        return template(cls).replace("{input}", inputText(input));
    }
}
