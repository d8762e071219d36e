package com.lakehouse.validatord.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lakehouse.contracts.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

class EmailValidatorTest {
    private final Roster roster = TestRosters.small();
    private final EmailValidator v = new EmailValidator(160, 78, 40, 30, c -> c.equalsIgnoreCase("Bad Corp"));

    private static ObjectNode email(String to, String subject, String body) {
        ObjectNode n = Json.mapper().createObjectNode();
        if (to != null) {
            n.put("to", to);
        }
        if (subject != null) {
            n.put("subject", subject);
        }
        if (body != null) {
            n.put("body", body);
        }
        return n;
    }

    private static JsonNode ctx(String candidate) {
        ObjectNode c = Json.mapper().createObjectNode();
        if (candidate != null) {
            c.put("candidate_id", candidate);
        }
        return c;
    }

    private Set<String> errors(JsonNode artifact, JsonNode context) {
        return v.validate(artifact, context, roster).stream().filter(Finding::isError).map(Finding::code)
                .collect(Collectors.toSet());
    }

    private Set<String> body(String text) {
        return errors(email("maria.lopez@example.com", "Shift", text), ctx(null));
    }

    @Test
    void cleanEmailAboutTheCandidateIsValid() {
        assertEquals(List.of(), v.validate(email("maria.lopez@example.com", "Your shift on Monday",
                "Hi Maria,\nyou start Monday at 7:00 at the Elm St warehouse. Call 312-555-0199 with questions."),
                ctx("W-1"), roster));
    }

    @Test
    void toAndBodyAreRequired() {
        List<Finding> f = v.validate(email(null, null, "  "), ctx(null), roster);
        assertEquals(Set.of("to", "body"), f.stream().map(Finding::field).collect(Collectors.toSet()));
        assertTrue(f.stream().allMatch(x -> x.kind().equals(Finding.SCHEMA)));
    }

    @Test
    void unknownChannelIsSchema() {
        ObjectNode a = email("x@example.com", null, "hello");
        a.put("channel", "fax");
        List<Finding> f = v.validate(a, ctx(null), roster);
        assertEquals("channel", f.get(0).field());
    }

    @Test
    void ssnWithDashesIsDetected() {
        assertEquals(Set.of("ssn_detected"), body("Please confirm your number 123-45-6789 before Monday."));
    }

    @Test
    void ssnWithSpacesIsDetected() {
        assertEquals(Set.of("ssn_detected"), body("We have 123 45 6789 on file."));
    }

    @Test
    void nineDigitsNextToSsnWordIsDetected() {
        assertEquals(Set.of("ssn_detected"), body("Your SSN: 123456789 is verified."));
        assertEquals(Set.of("ssn_detected"), body("social security no. 987654321"));
    }

    @Test
    void nineDigitsWithoutSsnWordAndPhoneNumbersAreNotSsn() {
        assertEquals(Set.of(), body("Order 123456789 ships today. Call 312-555-0101 or 312 555 0101."));
        assertEquals(Set.of(), body("Badge 1234-56-78901 is ready."));
    }

    @Test
    void ssnInSubjectIsDetected() {
        List<Finding> f = v.validate(email("a@example.com", "SSN 123-45-6789", "hello"), ctx(null), roster);
        assertEquals("ssn_detected", f.get(0).code());
        assertEquals("subject", f.get(0).field());
    }

    @Test
    void payDisclosureIsDetected() {
        assertEquals(Set.of("pay_disclosed"), body("The pay rate for this job is $22.50 per hour."));
        assertEquals(Set.of("pay_disclosed"), body("Salary: 55,000 dollars a year."));
        assertEquals(Set.of("pay_disclosed"), body("You'll earn 19 per hour starting Monday."));
    }

    @Test
    void moneyWithoutPayWordIsNotDisclosure() {
        assertEquals(Set.of(), body("Parking at the site costs $5; bring your own lunch."));
        assertEquals(Set.of(), body("Your pay stubs are online. The lunch stand accepts cards. Prices start at $3 for coffee, which the staff fetch."));
    }

    @Test
    void smsLongerThan160IsTooLong() {
        ObjectNode a = email("312-555-0101", null, "x".repeat(161));
        a.put("channel", "sms");
        assertEquals(Set.of("too_long"), errors(a, ctx(null)));
        a.put("body", "x".repeat(160));
        assertEquals(Set.of(), errors(a, ctx(null)));
    }

    @Test
    void subjectLongerThan78IsTooLong() {
        assertEquals(Set.of("too_long"), errors(email("a@example.com", "s".repeat(79), "hello"), ctx(null)));
    }

    @Test
    void phantomWorkerIdIsFlagged() {
        List<Finding> f = v.validate(email("maria.lopez@example.com", null,
                "Hi Maria, your colleague W-1 and W-777 will be there."), ctx(null), roster);
        assertEquals(1, f.size());
        assertEquals("phantom_id", f.get(0).code());
        assertTrue(f.get(0).message().contains("W-777"));
    }

    @Test
    void candidateNotInRosterIsPhantom() {
        List<Finding> f = v.validate(email("x@example.com", null, "Hello there"), ctx("W-404"), roster);
        assertEquals("phantom_id", f.get(0).code());
        assertEquals("context.candidate_id", f.get(0).field());
    }

    @Test
    void greetingAnotherWorkerIsWrongWorker() {
        assertEquals(Set.of("wrong_worker"), errors(email("maria.lopez@example.com", null,
                "Dear James Chen, your shift starts Monday."), ctx("W-1")));
        assertEquals(Set.of(), errors(email("maria.lopez@example.com", null,
                "Dear Maria Lopez, your shift starts Monday."), ctx("W-1")));
        assertEquals(Set.of("wrong_worker"), errors(email("maria.lopez@example.com", null,
                "hello James, your shift starts Monday."), ctx("W-1")));
    }

    @Test
    void greetingsWithoutANameOrWithATitleAreFine() {
        for (String body : List.of("Hi there, your shift starts Monday.", "Dear Team, see you Monday.",
                "Dear Ms. Lopez, see you Monday.", "Hello Maria\nThanks for confirming.", "Good morning, see you.")) {
            assertEquals(Set.of(), errors(email("maria.lopez@example.com", null, body), ctx("W-1")), body);
        }
        assertEquals(Set.of("wrong_worker"), errors(email("maria.lopez@example.com", null,
                "Dear Mr. Chen, see you Monday."), ctx("W-1")));
    }

    @Test
    void recipientMustBeTheCandidatesAddress() {
        assertEquals(Set.of("wrong_recipient"), errors(email("james.chen@example.com", null, "Hi Maria, see you."), ctx("W-1")));
        ObjectNode sms = email("(312) 555-0102", null, "Hi Maria, see you Monday.");
        sms.put("channel", "sms");
        assertEquals(Set.of("wrong_recipient"), errors(sms, ctx("W-1")));
        sms.put("to", "312.555.0101");
        assertEquals(Set.of(), errors(sms, ctx("W-1")));
    }

    @Test
    void mentioningAnotherWorkersIdIsWrongWorker() {
        assertEquals(Set.of("wrong_worker"), errors(email("maria.lopez@example.com", null,
                "Hi Maria, W-3 is confirmed for Monday."), ctx("W-1")));
    }

    @Test
    void blacklistedClientIsPolicy() {
        ObjectNode c = (ObjectNode) ctx(null);
        c.put("client", "bad corp");
        assertEquals(Set.of("blacklisted_client"), errors(email("a@example.com", null, "hello"), c));
    }

    @Test
    void idsWithoutRosterNeedTheRoster() {
        assertThrows(RosterUnavailableException.class,
                () -> v.validate(email("a@example.com", null, "W-1 confirmed"), ctx(null), Roster.EMPTY));
        assertEquals(List.of(), v.validate(email("a@example.com", null, "no ids here"), ctx(null), Roster.EMPTY));
    }

    private final EmailValidator desk = new EmailValidator(160, 78, 40, 30, c -> false, List.of("Globex", "Initech"));

    private static ObjectNode clientCtx(String candidate, String client) {
        ObjectNode c = (ObjectNode) ctx(candidate);
        c.put("client", client);
        return c;
    }

    private List<Finding> desk(JsonNode artifact, JsonNode context) {
        return desk.validate(artifact, context, roster).stream().filter(Finding::isError).toList();
    }

    @Test
    void anEmailToAClientAboutTheCandidateIsValid() {
        // The address is at the client's domain (inferred from the client's name): a client email, so neither the
        // roster address nor the greeting is the candidate's, and that is right.
        assertEquals(List.of(), desk(email("hiring@acmelogistics.com", "Candidate for the forklift order",
                "Hi Dana,\nMaria Lopez (W-1) holds OSHA-10 and can start Monday at 7:00. Reply to confirm."),
                clientCtx("W-1", "Acme Logistics")));
        // the same with the domain or the contact given in the context, and with context.recipient
        ObjectNode c = clientCtx("W-1", "Northwind");
        c.putArray("client_domains").add("nw-freight.com");
        assertEquals(List.of(), desk(email("ops@nw-freight.com", null, "Hello Sam, Maria Lopez is confirmed."), c));
        c = clientCtx("W-1", "Northwind");
        c.putArray("client_contacts").add("sam@gmail.com");
        assertEquals(List.of(), desk(email("Sam@gmail.com", null, "Hello Sam, Maria Lopez is confirmed."), c));
        c = clientCtx("W-1", "Northwind");
        c.put("recipient", "client");
        assertEquals(List.of(), desk(email("sam@example.org", null, "Hello Sam, Maria Lopez is confirmed."), c));
    }

    @Test
    void aClientEmailMustNotCarryTheCandidatesPrivateData() {
        JsonNode c = clientCtx("W-1", "Acme Logistics");
        List<Finding> pay = desk(email("hiring@acme.com", null, "Hi Dana, Maria is a strong fit; she is at 22.50 now."), c);
        assertEquals(List.of("private_data_leak"), pay.stream().map(Finding::code).toList());
        assertEquals("body", pay.get(0).field());
        assertTrue(pay.get(0).message().contains("pay rate (22.50)"), pay.get(0).message());

        List<Finding> ssn = desk(email("hiring@acme.com", "W-1 SSN 123-45-6789", "Hi Dana, details attached."), c);
        assertEquals(Set.of("ssn_detected"), ssn.stream().map(Finding::code).collect(Collectors.toSet()));
        assertEquals("subject", ssn.get(0).field());

        List<Finding> contact = desk(email("hiring@acme.com", null,
                "Hi Dana, if Maria cannot come, call James at 312-555-0102 or write to aisha.khan@example.com."), c);
        assertEquals(2, contact.size(), contact.toString());
        assertTrue(contact.stream().allMatch(f -> f.code().equals("private_data_leak") && f.field().equals("body")));
        assertTrue(contact.get(0).message().contains("W-2") && contact.get(1).message().contains("W-3"), contact.toString());

        List<Finding> other = desk(email("hiring@acme.com", null, "Hi Dana, Maria also works for Globex on weekends."), c);
        assertEquals(List.of("other_client_named"), other.stream().map(Finding::code).toList());
        assertTrue(other.get(0).message().contains("Globex"));
        // the client's own name is fine, and a context list adds names
        ObjectNode c2 = clientCtx("W-1", "Globex");
        c2.putArray("known_clients").add("Umbrella Corp");
        assertEquals(List.of("other_client_named"), desk(email("hr@globex.com", null,
                "Hi, Globex gets Maria on Monday; Umbrella Corp wanted her too."), c2).stream().map(Finding::code).toList());
    }

    @Test
    void aCandidateEmailMustGoToTheCandidatesRosterAddress() {
        // another worker's roster address stays wrong_recipient, even with the client named in the context
        List<Finding> f = desk(email("james.chen@example.com", null, "Hi Maria, see you."), clientCtx("W-1", "Acme Logistics"));
        assertEquals(List.of("wrong_recipient"), f.stream().map(Finding::code).toList());
        assertTrue(f.get(0).message().contains("W-2"), f.get(0).message());
        // an unknown address that is not the client's is not the candidate's roster address
        assertEquals(Set.of("wrong_recipient"), errors(email("maria@gmail.com", null, "Hi Maria, see you."),
                clientCtx("W-1", "Acme Logistics")));
        // context.recipient = client but the address is the candidate's own: refused, naming the candidate
        ObjectNode c = clientCtx("W-1", "Acme Logistics");
        c.put("recipient", "client");
        List<Finding> own = desk(email("maria.lopez@example.com", null, "Hi Dana, Maria is confirmed."), c);
        assertEquals(List.of("wrong_recipient"), own.stream().map(Finding::code).toList());
        assertTrue(own.get(0).message().contains("the candidate"));
        // and a candidate email must not carry other workers' contact details either
        List<Finding> leak = desk(email("maria.lopez@example.com", null, "Hi Maria, ride with Tom: 312-555-0104."), ctx("W-1"));
        assertEquals(List.of("private_data_leak"), leak.stream().map(Finding::code).toList());
        ObjectNode bad = clientCtx("W-1", "Acme");
        bad.put("recipient", "boss");
        assertEquals("context.recipient", desk(email("a@acme.com", null, "Hi"), bad).get(0).field());
    }
}
