package com.lakehouse.validatord.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.validatord.store.TruthRuleFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TruthAndExtractorTest {
    private static JsonNode json(String s) throws IOException {
        return Json.mapper().readTree(s.replace('\'', '"'));
    }

    private static final String TOML = """
            [[rule]]
            id = "no-night-for-acme"
            task_class = "fill"
            description = "Acme does not take night shifts"
            action = "block"
            code = "night_shift_blocked"
            [rule.condition]
            type = "field_equals"
            field = "context.shift"
            value = "night"

            [[rule]]
            id = "too-many"
            task_class = "fill"
            action = "reject"
            [rule.condition]
            type = "field_greater"
            field = "fills"
            value = 3

            [[rule]]
            id = "city-mismatch"
            task_class = "*"
            action = "reject"
            [rule.condition]
            type = "field_mismatch"
            field = "city"
            other = "context.city"
            """;

    private static final String YAML = """
            rules:
              - id: mask-internal
                task_class: email
                description: internal notes are masked
                action: redact
                condition:
                  type: field_contains_any
                  field: body
                  values: ["INTERNAL NOTE", "secret"]
              - id: ok
                task_class: email
                action: pass
                condition: {type: always}
              - id: empty-fill-name
                task_class: fill
                action: reject
                condition: {type: field_empty, field: "fills[*].name"}
            """;

    @Test
    void tomlRulesParseAndEvaluate() throws IOException {
        List<TruthRule> rules = TruthRuleFiles.parse("a.toml", TOML);
        assertEquals(3, rules.size());
        assertEquals("a.toml", rules.get(0).source());
        TruthEngine.Outcome o = TruthEngine.evaluate(rules, "fill",
                json("{'fills': [1,2,3,4], 'city': 'Chicago'}"), json("{'shift': 'Night', 'city': 'Detroit'}"));
        assertTrue(o.blocked());
        assertEquals(List.of("night_shift_blocked", "truth_reject", "truth_reject"),
                o.findings().stream().map(Finding::code).toList());
        TruthEngine.Outcome none = TruthEngine.evaluate(rules, "fill",
                json("{'fills': [1], 'city': 'Chicago'}"), json("{'shift': 'day', 'city': 'chicago'}"));
        assertEquals(List.of(), none.findings());
        assertFalse(none.blocked());
    }

    @Test
    void yamlRulesRedactPassAndWildcards() throws IOException {
        List<TruthRule> rules = TruthRuleFiles.parse("b.yaml", YAML);
        TruthEngine.Outcome o = TruthEngine.evaluate(rules, "email",
                json("{'to': 'a@b.c', 'body': 'Hi. INTERNAL NOTE: the Secret code is 4'}"), json("{}"));
        assertEquals(List.of("mask-internal", "ok"), o.matched().stream().map(TruthEngine.Matched::id).toList());
        assertEquals("Hi. [REDACTED]: the [REDACTED] code is 4", o.redactedArtifact().get("body").asText());
        assertTrue(o.findings().stream().noneMatch(Finding::isError));
        TruthEngine.Outcome f = TruthEngine.evaluate(rules, "fill", json("{'fills': [{'candidate_id': 'W-1'}]}"), null);
        assertEquals(List.of("empty-fill-name"), f.matched().stream().map(TruthEngine.Matched::id).toList());
        TruthEngine.Outcome g = TruthEngine.evaluate(rules, "fill", json("{'fills': [{'name': 'A'}]}"), null);
        assertEquals(List.of(), g.matched());
    }

    @Test
    void badRuleFilesAreRefusedNamingTheProblem() {
        IOException unknown = assertThrows(IOException.class, () -> TruthRuleFiles.parse("c.yaml",
                "rules:\n  - {id: x, task_class: fill, action: reject, condtion: {type: always}}\n"));
        assertTrue(unknown.getMessage().contains("c.yaml"));
        IOException action = assertThrows(IOException.class, () -> TruthRuleFiles.parse("d.yaml",
                "rules:\n  - {id: x, task_class: fill, action: explode, condition: {type: always}}\n"));
        assertTrue(action.getMessage().contains("action"));
        IOException field = assertThrows(IOException.class, () -> TruthRuleFiles.parse("e.toml",
                "[[rule]]\nid='y'\ntask_class='fill'\naction='reject'\n[rule.condition]\ntype='field_empty'\n"));
        assertTrue(field.getMessage().contains("condition.field"));
    }

    @Test
    void extractsJsonFromFencesAndProse() {
        assertEquals("W-1", ArtifactExtractor.extract("{\"fills\":[{\"candidate_id\":\"W-1\"}]}")
                .path("fills").get(0).path("candidate_id").asText());
        assertEquals("x", ArtifactExtractor.extract("Sure! Here it is:\n```json\n{\"to\": \"x\"}\n```\nAnything else?")
                .path("to").asText());
        assertEquals("a}b", ArtifactExtractor.extract("The answer is {\"body\": \"a}b\", \"n\": {\"k\": 1}} as requested.")
                .path("body").asText());
        assertEquals(1, ArtifactExtractor.extract("bad {not json} then {\"ok\": 1}").path("ok").asInt());
        assertNull(ArtifactExtractor.extract("no json here, only [1,2]"));
        assertNull(ArtifactExtractor.extract(""));
    }

    @Test
    void feedbackListsErrorFindingsAndTaskIdIsStable() {
        ValidationReport r = ValidationReport.of("email", List.of(
                Finding.error("ssn_detected", Finding.POLICY, "body", "body contains an SSN-shaped number"),
                Finding.warning("name_mismatch", Finding.CONSISTENCY, "x", "w")), null, null);
        assertFalse(r.valid());
        assertEquals("Policy", r.error().kind());
        assertNull(r.error().field());
        String fb = IterateService.feedback(r);
        assertTrue(fb.contains("ssn_detected (body)"));
        assertFalse(fb.contains("name_mismatch"));
        assertEquals(IterateService.taskId("email", "p"), IterateService.taskId("email", "p"));
        assertNotEquals(IterateService.taskId("email", "p"), IterateService.taskId("fill", "p"));
    }

    @Test
    void schemaErrorWinsAndKeepsItsField() {
        ValidationReport r = ValidationReport.of("fill", List.of(
                Finding.error("phantom_id", Finding.CONSISTENCY, "fills[0].candidate_id", "p"),
                Finding.error("schema_invalid", Finding.SCHEMA, "fills[1].candidate_id", "s")), null, null);
        assertEquals("Schema", r.error().kind());
        assertEquals("fills[1].candidate_id", r.error().field());
    }

    @Test
    void playbookChecks() throws IOException {
        PlaybookValidator p = new PlaybookValidator();
        assertEquals(List.of(), p.validate(json("{'operation': 'fill: forklift Chicago', 'endorsed_names': ['a','b'], 'fingerprint': 'abc'}"),
                json("{'target_count': 1}")));
        List<String> codes = p.validate(json("{'operation': 'search: x', 'endorsed_names': ['a','b','c'], 'fingerprint': ''}"),
                json("{'target_count': 1}")).stream().map(Finding::code).toList();
        assertEquals(List.of("wrong_operation", "fingerprint_missing", "too_many_endorsed"), codes);
        assertEquals("operation", p.validate(json("{'endorsed_names': []}"), null).get(0).field());
    }
}
