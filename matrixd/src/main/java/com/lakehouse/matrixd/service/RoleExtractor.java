package com.lakehouse.matrixd.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.lakehouse.contracts.roles.RoleTaxonomy;
import io.smallrye.mutiny.Uni;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the staffing role a query asks for. Rules first: the request patterns of the staffing desk ("Need N
 * {role}s in", "{client} needs N {role} in", "Looking for N {role} at", "Hiring N {role}", "{role} needed",
 * "{role} @ {client}"), whose role phrase must resolve in the {@link RoleTaxonomy}; then the taxonomy's
 * longest match anywhere in the text (the shorthand "forklift detroit nights"). Only when both find nothing,
 * the LLM fallback (cached per normalized query; failures are not cached and leave the role unknown, said
 * in {@code note}).
 */
public class RoleExtractor {

    public static final String EXPLICIT = "explicit";
    public static final String RULES = "rules";
    public static final String LLM = "llm";
    public static final String NONE = "none";

    /**
     * @param role        canonical taxonomy id when known, else the role text normalized; null when none
     * @param roleDisplay the taxonomy's display name when known
     * @param source      explicit | rules | llm | none
     * @param rule        which rule matched (need, client_needs, looking_for, hiring, needed, at_client, taxonomy)
     * @param client      the client named by a "{client} needs" or "{role} @ {client}" query, when seen
     * @param note        why the role is unknown or how it was found, when worth saying
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Extraction(String role, String roleDisplay, String source, String rule, String client, String note) {
        public static Extraction none(String note) {
            return new Extraction(null, null, NONE, null, null, note);
        }

        public boolean found() {
            return role != null;
        }
    }

    private static final String NUM = "(?:\\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
            + "|fifteen|twenty|thirty|forty|fifty|several|some|a few|few|more|additional|extra)";
    private static final String ROLE = "(?<role>[\\p{L}][\\p{L}0-9 /&'.()-]*?)";
    private static final String STOP = "(?:\\s+(?:in|at|for|near|around|on|by|from|to|starting|asap|this|next|tomorrow"
            + "|today|tonight|who|with|that|for)\\b|\\s*[,.;:!?(@]|\\s*$)";

    private record Rule(String name, Pattern pattern) {
    }

    private static final List<Rule> RULES_IN_ORDER = List.of(
            new Rule("client_needs", Pattern.compile(
                    "^(?<client>[^,.;:!?]+?)\\s+needs\\s+(?:" + NUM + "\\s+)?" + ROLE + STOP, Pattern.CASE_INSENSITIVE)),
            new Rule("need", Pattern.compile(
                    "\\b(?:need|needs|needed|want|wants|require|requires)\\s+(?:" + NUM + "\\s+)?" + ROLE + STOP,
                    Pattern.CASE_INSENSITIVE)),
            new Rule("looking_for", Pattern.compile(
                    "\\blooking\\s+for\\s+(?:" + NUM + "\\s+)?" + ROLE + STOP, Pattern.CASE_INSENSITIVE)),
            new Rule("hiring", Pattern.compile(
                    "\\b(?:hiring|staff|staffing|fill|filling|find|send|book|source|recruit)\\s+(?:me\\s+)?(?:"
                            + NUM + "\\s+)?" + ROLE + STOP, Pattern.CASE_INSENSITIVE)),
            new Rule("needed", Pattern.compile(
                    "(?:^|\\b" + NUM + "\\s+)" + ROLE + "\\s+(?:needed|wanted|required)\\b", Pattern.CASE_INSENSITIVE)),
            new Rule("at_client", Pattern.compile(
                    "^" + ROLE + "\\s*@\\s*(?<client>[^,;]+)", Pattern.CASE_INSENSITIVE)));

    /** Words an LLM may answer that name no role a gate can use. */
    private static final Set<String> NOT_A_ROLE = Set.of("", "none", "null", "unknown", "n a", "na", "worker", "workers",
            "people", "person", "staff", "employee", "employees", "temp", "temps", "associate", "associates", "help",
            "labor", "candidate", "candidates");

    private final RoleLlm llm;
    private final boolean llmEnabled;
    /** LLM answers per normalized query (failures are not cached). */
    private final Cache<String, Optional<String>> llmCache;
    /**
     * What the rules find per query text: a search runs them on every call and a desk repeats its queries, so the
     * six patterns and the taxonomy scan run once per distinct text.
     */
    private final Cache<String, Optional<Extraction>> rulesCache;

    public RoleExtractor(RoleLlm llm, boolean llmEnabled, int cacheSize) {
        this.llm = llm;
        this.llmEnabled = llmEnabled && llm != null;
        int max = Math.max(1, cacheSize);
        // maintenance on the calling thread: the bound holds as soon as a put returns
        this.llmCache = Caffeine.newBuilder().maximumSize(max).executor(Runnable::run).build();
        this.rulesCache = Caffeine.newBuilder().maximumSize(max).executor(Runnable::run).build();
    }

    /** A role given by the caller: canonical when the taxonomy knows it, else its normalized text. */
    public Extraction explicit(String role) {
        Optional<String> id = RoleTaxonomy.canonical(role);
        return new Extraction(id.orElse(RoleTaxonomy.normalize(role)), id.flatMap(RoleTaxonomy::byId)
                .map(r -> r.displayName()).orElse(null), EXPLICIT, null, null, null);
    }

    /** The rules alone. */
    public Optional<Extraction> rules(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        return rulesCache.get(text, RoleExtractor::applyRules);
    }

    private static Optional<Extraction> applyRules(String text) {
        String t = text.strip();
        for (Rule rule : RULES_IN_ORDER) {
            Matcher m = rule.pattern().matcher(t);
            while (m.find()) {
                Optional<String> id = RoleTaxonomy.findInText(m.group("role"));
                if (id.isPresent()) {
                    String client = rule.pattern().pattern().contains("?<client>") ? clean(m.group("client")) : null;
                    return Optional.of(found(id.get(), RULES, rule.name(), client, null));
                }
            }
        }
        return RoleTaxonomy.findInText(t).map(id -> found(id, RULES, "taxonomy", null, null));
    }

    /** Rules, then (only when they find nothing) the LLM; never fails. */
    public Uni<Extraction> extract(String text) {
        Optional<Extraction> byRules = rules(text);
        if (byRules.isPresent()) {
            return Uni.createFrom().item(byRules.get());
        }
        if (text == null || text.isBlank()) {
            return Uni.createFrom().item(Extraction.none(null));
        }
        if (!llmEnabled) {
            return Uni.createFrom().item(Extraction.none("rules found no role; LLM fallback disabled"));
        }
        String key = RoleTaxonomy.normalize(text);
        Optional<String> cached = llmCache.getIfPresent(key);
        if (cached != null) {
            return Uni.createFrom().item(fromLlm(cached, true));
        }
        return llm.extractRole(text)
                .map(answer -> {
                    llmCache.put(key, answer);
                    return fromLlm(answer, false);
                })
                .onFailure().recoverWithItem(e -> Extraction.none(
                        "rules found no role and the LLM fallback failed (" + e.getMessage() + "); rules alone"));
    }

    /** Entries in the LLM cache. */
    public int cachedAnswers() {
        llmCache.cleanUp();
        return (int) llmCache.estimatedSize();
    }

    private Extraction fromLlm(Optional<String> answer, boolean cached) {
        String note = cached ? "LLM answer from cache" : null;
        if (answer.isEmpty() || NOT_A_ROLE.contains(RoleTaxonomy.normalize(answer.get()))) {
            return Extraction.none("rules found no role; the LLM named none either");
        }
        Optional<String> id = RoleTaxonomy.findInText(answer.get());
        if (id.isPresent()) {
            return found(id.get(), LLM, null, null, note);
        }
        return new Extraction(RoleTaxonomy.normalize(answer.get()), null, LLM, null, null,
                note == null ? "role outside the taxonomy" : note + "; role outside the taxonomy");
    }

    private static Extraction found(String id, String source, String rule, String client, String note) {
        return new Extraction(id, RoleTaxonomy.byId(id).map(r -> r.displayName()).orElse(null), source, rule, client, note);
    }

    private static String clean(String s) {
        if (s == null) {
            return null;
        }
        String c = s.strip();
        return c.isEmpty() ? null : c;
    }
}
