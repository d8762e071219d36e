package com.lakehouse.replayd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.json.Json;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The exemplar replay (the original's): pick the closest distilled exemplars by token overlap (accepted ones as
 * examples, partially accepted ones as warnings), put them and the validation steps in the prompt, and check
 * the answer: long enough, no hedging, grounded in the task, and a JSON artifact for validatord.
 */
public final class ExemplarPlanner {
    /** A row of distilld's RAG export. */
    public record Exemplar(String id, String title, String content, String category, double score) {
    }

    public record Check(boolean passed, List<String> problems, JsonNode artifact) {
    }

    static final List<String> VALIDATION_STEPS = List.of(
            "Use only worker ids (W-digits) that appear in the task or the examples; never invent an id.",
            "Never include a social security number or anything shaped like one.",
            "Never state a pay rate, bill rate or salary figure.",
            "Only propose workers in the task's city, state and role; never for a blacklisted client.",
            "Answer with one JSON object and nothing else.");
    private static final Pattern TOKEN = Pattern.compile("[a-z0-9-]+");
    private static final List<String> HEDGES = List.of("i'm not sure", "i am not sure", "as an ai", "i cannot",
            "i can't", "i don't know", "i do not know", "unable to", "might be", "not certain");

    private final int candidates;
    private final int accepted;
    private final int partial;
    private final int minChars;

    public ExemplarPlanner(int candidates, int accepted, int partial, int minChars) {
        this.candidates = candidates;
        this.accepted = accepted;
        this.partial = partial;
        this.minChars = minChars;
    }

    static Set<String> tokens(String text) {
        Set<String> out = new HashSet<>();
        var m = TOKEN.matcher(text == null ? "" : text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            if (m.group().length() > 2) {
                out.add(m.group());
            }
        }
        return out;
    }

    /** Top candidates by token overlap with the task; then up to {@code accepted} accepted and {@code partial} partial. */
    public List<Exemplar> pick(String task, List<Exemplar> rows) {
        Set<String> q = tokens(task);
        List<Exemplar> ranked = new ArrayList<>(rows);
        Map<Exemplar, Integer> overlap = new LinkedHashMap<>();
        for (Exemplar e : rows) {
            Set<String> t = tokens(e.title() + " " + e.content());
            t.retainAll(q);
            overlap.put(e, t.size());
        }
        ranked.removeIf(e -> overlap.get(e) == 0);
        ranked.sort(Comparator.comparing((Exemplar e) -> -overlap.get(e)).thenComparing(Exemplar::id));
        List<Exemplar> top = ranked.subList(0, Math.min(candidates, ranked.size()));
        List<Exemplar> out = new ArrayList<>();
        top.stream().filter(e -> "accepted".equals(e.category())).limit(accepted).forEach(out::add);
        top.stream().filter(e -> "partially_accepted".equals(e.category())).limit(partial).forEach(out::add);
        return out;
    }

    /** Chat messages: system with the validation steps, examples and warnings; user with the task. */
    public List<Map<String, String>> messages(String task, String system, List<Exemplar> exemplars) {
        StringBuilder sb = new StringBuilder(system == null || system.isBlank()
                ? "You are a staffing coordinator's assistant." : system);
        sb.append("\n\nValidation steps:\n");
        VALIDATION_STEPS.forEach(s -> sb.append("- ").append(s).append('\n'));
        for (Exemplar e : exemplars) {
            sb.append("\n").append("accepted".equals(e.category()) ? "Example of an accepted answer" : "Warning, only partially accepted")
                    .append(" (").append(e.id()).append("): ").append(e.title()).append("\n").append(e.content()).append('\n');
        }
        return List.of(Map.of("role", "system", "content", sb.toString()), Map.of("role", "user", "content", task));
    }

    /** The answer's own checks; validatord's verdict is added by the caller where the kind has a validator. */
    public Check check(String output, List<String> groundingTerms) {
        List<String> problems = new ArrayList<>();
        String text = output == null ? "" : output.strip();
        if (text.length() < minChars) {
            problems.add("too short (" + text.length() + " < " + minChars + " chars)");
        }
        String lower = text.toLowerCase(Locale.ROOT);
        HEDGES.stream().filter(lower::contains).findFirst().ifPresent(h -> problems.add("hedges (\"" + h + "\")"));
        boolean grounded = groundingTerms.isEmpty()
                || groundingTerms.stream().anyMatch(t -> t != null && !t.isBlank() && lower.contains(t.toLowerCase(Locale.ROOT)));
        if (!grounded) {
            problems.add("not grounded: names none of " + groundingTerms);
        }
        JsonNode artifact = extractJson(text);
        if (artifact == null) {
            problems.add("no JSON object in the answer");
        }
        return new Check(problems.isEmpty(), problems, artifact);
    }

    static JsonNode extractJson(String text) {
        int start = text.indexOf('{');
        int end = text.lastIndexOf('}');
        if (start < 0 || end <= start) {
            return null;
        }
        try {
            JsonNode n = Json.mapper().readTree(text.substring(start, end + 1));
            return n.isObject() ? n : null;
        } catch (Exception e) {
            return null;
        }
    }
}
