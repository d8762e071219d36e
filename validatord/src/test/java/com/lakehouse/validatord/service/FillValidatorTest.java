package com.lakehouse.validatord.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class FillValidatorTest {
    private final Roster roster = TestRosters.small();
    private final FillValidator v = new FillValidator(c -> Names.normalise(c).equals("shady staffing llc"));

    private static JsonNode json(String s) {
        try {
            return Json.mapper().readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private List<Finding> run(String artifact, String context) {
        return v.validate(json(artifact), json(context), roster);
    }

    private static Set<String> errors(List<Finding> f) {
        return f.stream().filter(Finding::isError).map(Finding::code).collect(java.util.stream.Collectors.toSet());
    }

    private static final String CTX = "{'target_count': 2, 'city': 'Chicago', 'state': 'IL', 'role': 'forklift operator', 'client': 'Acme'}";

    @Test
    void validFillHasNoFindings() {
        List<Finding> f = run("{'fills': [{'candidate_id': 'W-1', 'name': 'Maria Lopez'}, {'candidate_id': 'W-0042', 'name': 'Lee Park'}]}", CTX);
        assertEquals(List.of(), f);
    }

    @Test
    void missingFillsIsSchemaNamingTheField() {
        List<Finding> f = run("{'picks': []}", CTX);
        assertEquals(1, f.size());
        assertEquals(Finding.SCHEMA, f.get(0).kind());
        assertEquals("fills", f.get(0).field());
    }

    @Test
    void fillsMustBeAnArray() {
        List<Finding> f = run("{'fills': 'W-1'}", CTX);
        assertEquals("fills", f.get(0).field());
        assertEquals(Finding.SCHEMA, f.get(0).kind());
    }

    @Test
    void candidateIdRequiredPerFill() {
        List<Finding> f = run("{'fills': [{'candidate_id': 'W-1'}, {'name': 'x'}]}", CTX);
        assertEquals(1, f.size());
        assertEquals("fills[1].candidate_id", f.get(0).field());
    }

    @Test
    void nonNumericTargetCountIsSchema() {
        List<Finding> f = run("{'fills': [{'candidate_id': 'W-1'}]}", "{'target_count': 'two'}");
        assertEquals("context.target_count", f.get(0).field());
    }

    @Test
    void countMismatchIsCompleteness() {
        List<Finding> f = run("{'fills': [{'candidate_id': 'W-1'}]}", CTX);
        assertEquals(Set.of("count_mismatch"), errors(f));
        assertEquals(Finding.COMPLETENESS, f.get(0).kind());
    }

    @Test
    void phantomIdIsFlagged() {
        List<Finding> f = run("{'fills': [{'candidate_id': 'W-1'}, {'candidate_id': 'W-999'}]}", CTX);
        assertEquals(Set.of("phantom_id"), errors(f));
        assertEquals("fills[1].candidate_id", f.get(0).field());
    }

    @Test
    void zeroPaddingMattersForExistence() {
        List<Finding> f = run("{'fills': [{'candidate_id': 'W-1'}, {'candidate_id': 'W-42'}]}", CTX);
        assertEquals(Set.of("phantom_id"), errors(f));
    }

    @Test
    void inactiveWorkerIsFlagged() {
        List<Finding> f = run("{'fills': [{'candidate_id': 'W-1'}, {'candidate_id': 'W-2'}]}",
                "{'target_count': 2, 'city': 'Chicago'}");
        assertEquals(Set.of("worker_inactive"), errors(f));
    }

    @Test
    void doNotPlaceWorkerIsFlagged() {
        List<Finding> f = run("{'fills': [{'candidate_id': 'W-1'}, {'candidate_id': 'W-4'}]}", CTX);
        assertEquals(Set.of("do_not_place"), errors(f));
    }

    @Test
    void wrongCityAndStateAreFlagged() {
        List<Finding> f = run("{'fills': [{'candidate_id': 'W-1'}, {'candidate_id': 'W-3'}]}", CTX);
        assertEquals(Set.of("wrong_city", "wrong_state"), errors(f));
    }

    @Test
    void cityComparisonIgnoresCaseAndPunctuation() {
        List<Finding> f = run("{'fills': [{'candidate_id': 'W-1'}]}", "{'city': ' chicago. ', 'state': 'il'}");
        assertEquals(Set.of(), errors(f));
    }

    @Test
    void wrongRoleIsFlaggedButOtherRolesCount() {
        assertEquals(Set.of("wrong_role"), errors(run("{'fills': [{'candidate_id': 'W-2'}]}", "{'role': 'forklift operator'}"))
                .stream().filter(c -> !c.equals("worker_inactive")).collect(java.util.stream.Collectors.toSet()));
        assertEquals(Set.of(), errors(run("{'fills': [{'candidate_id': 'W-1'}]}", "{'role': 'Picker'}")));
    }

    @Test
    void blacklistedClientIsPolicy() {
        List<Finding> f = run("{'fills': [{'candidate_id': 'W-1'}]}", "{'client': 'Shady Staffing, LLC'}");
        assertEquals(Set.of("blacklisted_client"), errors(f));
        assertEquals(Finding.POLICY, f.get(0).kind());
        assertEquals("context.client", f.get(0).field());
    }

    @Test
    void duplicateCandidateIsFlagged() {
        List<Finding> f = run("{'fills': [{'candidate_id': 'W-1'}, {'candidate_id': 'W-1'}]}", CTX);
        assertEquals(Set.of("duplicate_candidate"), errors(f));
    }

    @Test
    void differentNameIsOnlyAWarning() {
        List<Finding> f = run("{'fills': [{'candidate_id': 'W-1', 'name': 'Mary Smith'}, {'candidate_id': 'W-0042', 'name': 'Park, Lee'}]}", CTX);
        assertEquals(Set.of(), errors(f));
        assertEquals(1, f.size());
        assertEquals("name_mismatch", f.get(0).code());
        assertEquals(Finding.WARNING, f.get(0).severity());
        assertEquals("fills[0].name", f.get(0).field());
    }

    @Test
    void emptyFillsWithoutTargetIsIncomplete() {
        assertEquals(Set.of("count_mismatch"), errors(run("{'fills': []}", "{}")));
    }

    @Test
    void rosterNotLoadedIsReported() {
        assertThrows(RosterUnavailableException.class,
                () -> v.validate(json("{'fills': [{'candidate_id': 'W-1'}]}"), json("{}"), Roster.EMPTY));
    }
}
