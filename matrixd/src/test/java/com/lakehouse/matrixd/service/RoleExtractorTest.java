package com.lakehouse.matrixd.service;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoleExtractorTest {
    final Fakes.Llm llm = new Fakes.Llm();
    final RoleExtractor x = new RoleExtractor(llm, true, 2);

    private RoleExtractor.Extraction rules(String q) {
        return x.rules(q).orElseThrow(() -> new AssertionError("no role in: " + q));
    }

    @Test
    void patternsOfTheStaffingDesk() {
        assertEquals("forklift_operator", rules("Need 3 forklift operators in Detroit").role());
        assertEquals("need", rules("Need 3 forklift operators in Detroit").rule());
        RoleExtractor.Extraction c = rules("Acme Logistics needs 4 pickers in Columbus");
        assertEquals("picker_packer", c.role());
        assertEquals("client_needs", c.rule());
        assertEquals("Acme Logistics", c.client());
        assertEquals("cnc_operator", rules("Looking for 2 CNC operators at Acme").role());
        assertEquals("registered_nurse", rules("Hiring 2 RNs for night shift").role());
        assertEquals("welder", rules("MIG welders needed in Toledo").role());
        assertEquals("line_cook", rules("need a line cook tonight").role());
        RoleExtractor.Extraction at = rules("Forklift Operator @ Acme Detroit");
        assertEquals("forklift_operator", at.role());
        assertEquals("at_client", at.rule());
        assertEquals("Acme Detroit", at.client());
        assertEquals("forklift_operator", rules("forklift detroit nights").role());
        assertEquals("taxonomy", rules("forklift detroit nights").rule());
    }

    /** Every role of the taxonomy in the four query styles the generator and the desk use, singular and plural. */
    @Test
    void everyRoleInEveryQueryStyleIsFoundByTheRules() {
        String[][] places = {{"Great Lakes Logistics", "Detroit"}, {"Bolt Manufacturing", "Grand Rapids"},
                {"Summit Health", "St. Louis"}};
        int checked = 0;
        for (com.lakehouse.contracts.roles.Role role : com.lakehouse.contracts.roles.RoleTaxonomy.all()) {
            String plural = role.plurals().get(0);
            String shortName = role.synonyms().stream().filter(x -> !x.contains(" ")).findFirst()
                    .orElse(role.displayName().toLowerCase());
            for (String[] place : places) {
                String client = place[0];
                String city = place[1];
                List<String> queries = List.of(
                        "Need 1 " + role.displayName() + " in " + city,
                        "Need 3 " + plural + " in " + city,
                        client + " needs 4 " + plural + " in " + city,
                        "Looking for 2 " + plural + " at " + client + " " + city,
                        shortName + " " + city.toLowerCase() + " nights");
                for (String q : queries) {
                    assertEquals(role.id(), x.rules(q).map(RoleExtractor.Extraction::role).orElse(null), q);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 40 * 15);
    }

    @Test
    void patternsBeatARoleWordInsideTheClientName() {
        // "Forklift" is in the client's name; the pattern reads the role from where a role stands
        assertEquals("picker_packer", rules("Forklift Masters needs 5 pickers in Detroit").role());
    }

    @Test
    void noRoleMeansEmpty() {
        assertTrue(x.rules("what is the weather in Detroit").isEmpty());
        assertTrue(x.rules("Need 3 people in Detroit").isEmpty());
        assertTrue(x.rules("").isEmpty());
    }

    @Test
    void explicitRolesAreCanonicalisedOrKeptNormalized() {
        assertEquals("picker_packer", x.explicit("Pickers").role());
        assertEquals("explicit", x.explicit("Pickers").source());
        assertEquals("astronaut", x.explicit("Astronaut").role());
    }

    @Test
    void llmOnlyWhenRulesFindNothingCachedAndBounded() {
        llm.answers.put("who runs the pick line", "Picker");
        llm.answers.put("q2", "none");
        llm.answers.put("q3", "Astronaut");
        assertEquals("forklift_operator", x.extract("Need 3 forklift operators in Detroit").await().indefinitely().role());
        assertEquals(0, llm.calls.get());
        RoleExtractor.Extraction e = x.extract("who runs the pick line").await().indefinitely();
        assertEquals("picker_packer", e.role());
        assertEquals("llm", e.source());
        x.extract("who runs the pick line").await().indefinitely();
        assertEquals(1, llm.calls.get());
        assertFalse(x.extract("q2").await().indefinitely().found());
        RoleExtractor.Extraction outside = x.extract("q3").await().indefinitely();
        assertEquals("astronaut", outside.role());
        assertEquals(2, x.cachedAnswers(), "cache bounded at 2");
    }

    @Test
    void llmFailureIsNotCachedAndFallsBackToNone() {
        llm.down = true;
        RoleExtractor.Extraction e = x.extract("who runs the pick line").await().indefinitely();
        assertEquals("none", e.source());
        assertTrue(e.note().contains("LLM fallback failed"));
        llm.down = false;
        llm.answers.put("who runs the pick line", "Picker");
        assertEquals(Optional.of("picker_packer"), Optional.ofNullable(
                x.extract("who runs the pick line").await().indefinitely().role()));
    }
}
