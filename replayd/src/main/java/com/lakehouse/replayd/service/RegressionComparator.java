package com.lakehouse.replayd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Compares what a recorded request got then with what it gets now; verdict same | improved | regressed.
 * <ul>
 * <li>search: overlap at k of the retrieved ids; below the threshold is a regression.</li>
 * <li>validate: the verdict; an artifact that was invalid and now passes is a regression (a guard got weaker),
 * one that passed and is now refused is an improvement (a stricter guard).</li>
 * <li>iterate: success; failed then and passes now is improved, the reverse regressed; otherwise the output
 * similarity is reported.</li>
 * <li>chat: output similarity through embedd; below the threshold is a regression.</li>
 * </ul>
 */
public final class RegressionComparator {
    /** Cosine similarity of two texts (through embedd in production). */
    @FunctionalInterface
    public interface Similarity {
        double of(String a, String b);
    }

    private final double minOverlap;
    private final double minSimilarity;

    public RegressionComparator(double minOverlap, double minSimilarity) {
        this.minOverlap = minOverlap;
        this.minSimilarity = minSimilarity;
    }

    /** The endpoints a regression replay can re-issue. */
    public static boolean replayable(String endpoint) {
        return endpoint != null && (endpoint.equals("/v1/matrix/search") || endpoint.equals("/v1/validate")
                || endpoint.equals("/v1/iterate") || endpoint.equals("/v1/chat"));
    }

    public Replay.Outcome compare(String endpoint, JsonNode recorded, Boolean recordedSuccess, int status, JsonNode now,
                                  Similarity similarity) {
        ObjectNode diff = JsonNodeFactory.instance.objectNode();
        diff.put("status_now", status);
        if (status == 401 || status == 403) {
            // The replay itself was refused (a missing or wrong gateway key): nothing was compared.
            return new Replay.Outcome("error", diff, "the gateway refused the replay (" + status + "): check lakehouse.fleet.gateway-key", null, null);
        }
        if (status == 400) {
            // The recorded request is not a complete request (recordings older than the daemon's current shape).
            return new Replay.Outcome("error", diff, "the recorded request was refused as bad input (400); it cannot be replayed as is", null, null);
        }
        return switch (endpoint) {
            case "/v1/matrix/search" -> search(recorded, now, diff);
            case "/v1/validate" -> validate(recorded, recordedSuccess, status, now, diff);
            case "/v1/iterate" -> iterate(recorded, recordedSuccess, status, now, diff, similarity);
            default -> chat(recorded, status, now, diff, similarity);
        };
    }

    private Replay.Outcome search(JsonNode recorded, JsonNode now, ObjectNode diff) {
        List<String> before = ids(recorded);
        List<String> after = ids(now);
        if (before.isEmpty()) {
            diff.put("note", "the recording kept no ids; only the status is compared");
            return new Replay.Outcome("same", diff, null, null, null);
        }
        Set<String> a = new LinkedHashSet<>(before);
        int k = a.size();
        Set<String> b = new LinkedHashSet<>(after.subList(0, Math.min(after.size(), k)));
        long common = a.stream().filter(b::contains).count();
        double overlap = (double) common / k;
        diff.put("overlap_at_k", overlap);
        diff.put("k", k);
        diff.set("missing", JsonNodeFactory.instance.pojoNode(a.stream().filter(x -> !b.contains(x)).toList()));
        diff.set("new", JsonNodeFactory.instance.pojoNode(b.stream().filter(x -> !a.contains(x)).toList()));
        return new Replay.Outcome(overlap >= minOverlap ? "same" : "regressed", diff, null, null, null);
    }

    private Replay.Outcome validate(JsonNode recorded, Boolean recordedSuccess, int status, JsonNode now, ObjectNode diff) {
        Boolean before = validFlag(recorded, recordedSuccess);
        boolean after = status == 200 && now.path("valid").asBoolean(false);
        diff.put("valid_then", before);
        diff.put("valid_now", after);
        if (before == null || before == after) {
            return new Replay.Outcome("same", diff, null, null, null);
        }
        return new Replay.Outcome(after ? "regressed" : "improved", diff, null, null, null);
    }

    private Replay.Outcome iterate(JsonNode recorded, Boolean recordedSuccess, int status, JsonNode now, ObjectNode diff,
                                   Similarity similarity) {
        Boolean before = validFlag(recorded, recordedSuccess);
        boolean after = status == 200;
        diff.put("passed_then", before);
        diff.put("passed_now", after);
        if (before != null && before != after) {
            return new Replay.Outcome(after ? "improved" : "regressed", diff, null, null, null);
        }
        String a = text(recorded.path("artifact"));
        String b = text(now.path("artifact"));
        if (!a.isEmpty() && !b.isEmpty()) {
            diff.put("similarity", similarity.of(a, b));
        }
        return new Replay.Outcome("same", diff, null, null, null);
    }

    private Replay.Outcome chat(JsonNode recorded, int status, JsonNode now, ObjectNode diff, Similarity similarity) {
        if (status / 100 != 2) {
            return new Replay.Outcome("regressed", diff, "chat answered " + status, null, null);
        }
        String a = recorded.path("message").path("content").asText("");
        String b = now.path("message").path("content").asText("");
        double s = a.isEmpty() && b.isEmpty() ? 1.0 : similarity.of(a, b);
        diff.put("similarity", s);
        return new Replay.Outcome(s >= minSimilarity ? "same" : "regressed", diff, null, null, null);
    }

    /** Ids from a recorded result ({@code ids}, or {@code results[].id}) or a live search answer. */
    static List<String> ids(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.path("ids").isArray()) {
            // matrixd records {id, corpus, distance} objects; older recordings plain id strings
            n.get("ids").forEach(x -> out.add(x.isObject() ? x.path("id").asText() : x.asText()));
        } else if (n.path("results").isArray()) {
            n.get("results").forEach(x -> out.add(x.path("id").asText()));
        }
        return out;
    }

    static Boolean validFlag(JsonNode recorded, Boolean success) {
        if (recorded.path("valid").isBoolean()) {
            return recorded.get("valid").asBoolean();
        }
        if (recorded.path("validation").path("valid").isBoolean()) {
            return recorded.get("validation").get("valid").asBoolean();
        }
        return success;
    }

    static String text(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() ? "" : (n.isTextual() ? n.asText() : n.toString());
    }
}
