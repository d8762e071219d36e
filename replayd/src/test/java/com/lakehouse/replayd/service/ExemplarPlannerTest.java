package com.lakehouse.replayd.service;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExemplarPlannerTest {
    final ExemplarPlanner p = new ExemplarPlanner(8, 3, 2, 40);

    static ExemplarPlanner.Exemplar ex(String id, String text, String cat) {
        return new ExemplarPlanner.Exemplar(id, id, text, cat, 1);
    }

    @Test
    void picksByOverlapThenSplitsAcceptedAndPartial() {
        List<ExemplarPlanner.Exemplar> rows = List.of(
                ex("a1", "forklift operators detroit nights beacon freight", "accepted"),
                ex("a2", "forklift operators detroit", "accepted"),
                ex("a3", "forklift detroit", "accepted"),
                ex("a4", "forklift", "accepted"),
                ex("p1", "forklift operators detroit partial answer", "partially_accepted"),
                ex("p2", "operators detroit", "partially_accepted"),
                ex("p3", "detroit", "partially_accepted"),
                ex("r1", "forklift operators detroit nights beacon freight", "rejected"),
                ex("z", "registered nurse boston", "accepted"));
        List<ExemplarPlanner.Exemplar> picked = p.pick("Need 3 forklift operators in Detroit for Beacon Freight nights", rows);
        assertEquals(List.of("a1", "a2", "a3", "p1", "p2"), picked.stream().map(ExemplarPlanner.Exemplar::id).toList());
    }

    @Test
    void checksLengthHedgingGroundingAndJson() {
        assertTrue(p.check("{\"fills\":[{\"candidate_id\":\"W-000001\",\"name\":\"Ann Lee\"}],\"city\":\"Detroit\"}",
                List.of("Detroit")).passed());
        ExemplarPlanner.Check hedged = p.check("I'm not sure, maybe someone in Detroit could do it {\"fills\":[]}", List.of("Detroit"));
        assertFalse(hedged.passed());
        assertTrue(hedged.problems().get(0).startsWith("hedges"));
        assertFalse(p.check("{}", List.of()).passed());
        ExemplarPlanner.Check ungrounded = p.check("{\"fills\":[{\"candidate_id\":\"W-000001\",\"name\":\"Ann Lee\"}]}", List.of("Detroit"));
        assertTrue(ungrounded.problems().stream().anyMatch(s -> s.startsWith("not grounded")));
        assertTrue(p.check("plain prose answer without any json object in it at all", List.of()).problems()
                .contains("no JSON object in the answer"));
    }

    @Test
    void promptCarriesValidationStepsAndExemplars() {
        var msgs = p.messages("Need 2 welders in Toledo", null, List.of(ex("rag-1", "welders toledo", "accepted")));
        String system = msgs.get(0).get("content");
        assertTrue(system.contains("Validation steps"));
        assertTrue(system.contains("rag-1"));
        assertEquals("Need 2 welders in Toledo", msgs.get(1).get("content"));
    }
}
