package com.lakehouse.pathwayd.service;

import com.lakehouse.contracts.roles.RoleTaxonomy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns raw vector hits into search results: only live traces, the role gate, the tag filter, best first, at
 * most k. The gate is matrixd's rule: when both the query's role and the trace's role are set and they are not
 * the same role (ignoring case, plurals and synonyms), the trace is dropped and counted.
 */
public final class TraceSelection {
    public record Hit(String traceUid, double distance, Double score) {
    }

    public record Result(Trace trace, double distance, Double score) {
    }

    public record Selection(List<Result> results, int droppedByRole, int droppedNotLive, int droppedByTags) {
    }

    private TraceSelection() {
    }

    public static Selection select(List<Hit> hits, Map<String, Trace> traces, String queryRole, List<String> tags, int k) {
        List<Result> out = new ArrayList<>();
        int role = 0;
        int notLive = 0;
        int tagged = 0;
        List<Hit> sorted = new ArrayList<>(hits);
        sorted.sort((a, b) -> Double.compare(a.distance(), b.distance()));
        for (Hit h : sorted) {
            Trace t = traces.get(h.traceUid());
            if (t == null || !t.live()) {
                notLive++;
                continue;
            }
            if (queryRole != null && !queryRole.isBlank() && t.role() != null && !t.role().isBlank()
                    && !RoleTaxonomy.sameRole(queryRole, t.role())) {
                role++;
                continue;
            }
            if (tags != null && !tags.isEmpty() && (t.tags() == null || !t.tags().containsAll(tags))) {
                tagged++;
                continue;
            }
            if (out.size() < k) {
                out.add(new Result(t, h.distance(), h.score()));
            }
        }
        return new Selection(out, role, notLive, tagged);
    }
}
