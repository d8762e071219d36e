package com.lakehouse.validatord.service;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * email (also SMS): artifact {@code {to, subject?, body, channel?}}, context {@code {candidate_id?, client?,
 * recipient?, client_contacts?, client_domains?, known_clients?}}. Schema (to and body); length (SMS body,
 * subject); no SSN-shaped number; no pay figure disclosed; no phantom worker ids. An email goes to the candidate
 * (then the recipient is {@code context.candidate_id}'s roster address and the greeting names that worker) or to
 * a client (then it carries neither the candidate's pay rate nor another client's name); either way it carries
 * no other worker's contact details. {@link RecipientPolicy} decides which.
 */
public final class EmailValidator {
    /** 123-45-6789, 123 45 6789, 123.45.6789 (consistent separators), not inside a longer number. */
    private static final Pattern SSN_SHAPED = Pattern.compile("(?<![\\d-])\\d{3}([- .])\\d{2}\\1\\d{4}(?![\\d-])");
    private static final Pattern SSN_WORD = Pattern.compile(
            "\\b(ssn|ss#|s\\.s\\.n\\.?|social(\\s+security)?|soc\\.?\\s*sec\\.?)", Pattern.CASE_INSENSITIVE);
    private static final Pattern MONEY = Pattern.compile(
            "(\\$\\s?\\d[\\d,]*(\\.\\d+)?\\s?[kK]?)"
                    + "|(\\b\\d[\\d,]*(\\.\\d+)?\\s?(dollars|usd|bucks)\\b)"
                    + "|(\\b\\d[\\d,]*(\\.\\d+)?\\s?(/|per\\s|an\\s|a\\s)\\s?(hr|hour|h|wk|week|yr|year|annum)\\b)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PAY_WORD = Pattern.compile(
            "\\b(pay|pays|paid|paying|payrate|rate|rates|salary|salaries|wage|wages|hourly|compensation|comp|"
                    + "earn|earns|earning|earnings|stipend|bonus|per\\s+hour|an\\s+hour|/hr|income|bill\\s+rate)\\b",
            Pattern.CASE_INSENSITIVE);
    /** A greeting word (any case), an optional title, then a capitalised name of one or two words. */
    private static final Pattern GREETING = Pattern.compile(
            "^\\s*(?i:hi|hello|hey|dear|good\\s+(?:morning|afternoon|evening))\\b[\\s,]*"
                    + "(?:(?i:mr|mrs|ms|miss|mx|dr)\\.?\\s+)?"
                    + "([\\p{Lu}][\\p{L}'-]+(?:\\s+[\\p{Lu}][\\p{L}'-]+)?)");
    /** Greetings that name no one. */
    private static final Set<String> NOT_NAMES = Set.of("team", "all", "everyone", "there", "friend", "friends",
            "folks", "sir", "madam", "colleague", "colleagues", "candidate", "worker", "applicant", "again", "and");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private final int smsMax;
    private final int subjectMax;
    private final int payProximity;
    private final int ssnProximity;
    private final Predicate<String> blacklisted;
    private final RecipientPolicy recipients;

    public EmailValidator(int smsMax, int subjectMax, int payProximity, int ssnProximity, Predicate<String> blacklisted) {
        this(smsMax, subjectMax, payProximity, ssnProximity, blacklisted, List.of());
    }

    public EmailValidator(int smsMax, int subjectMax, int payProximity, int ssnProximity, Predicate<String> blacklisted,
                          List<String> knownClients) {
        this.recipients = new RecipientPolicy(knownClients);
        this.smsMax = smsMax;
        this.subjectMax = subjectMax;
        this.payProximity = payProximity;
        this.ssnProximity = ssnProximity;
        this.blacklisted = blacklisted;
    }

    /** True when the artifact needs the roster to be checked (it names worker ids or a candidate). */
    public static boolean needsRoster(JsonNode artifact, JsonNode context) {
        if (context != null && context.hasNonNull("candidate_id")) {
            return true;
        }
        String body = artifact == null ? null : Json2.text(artifact, "body");
        String subject = artifact == null ? null : Json2.text(artifact, "subject");
        Set<String> ids = new LinkedHashSet<>();
        if (body != null) {
            collectIds(body, ids);
        }
        if (subject != null) {
            collectIds(subject, ids);
        }
        return !ids.isEmpty();
    }

    public List<Finding> validate(JsonNode artifact, JsonNode context, Roster roster) {
        List<Finding> out = new ArrayList<>();
        if (artifact == null || !artifact.isObject()) {
            out.add(Finding.error("schema_invalid", Finding.SCHEMA, "artifact", "artifact must be an object with to and body"));
            return out;
        }
        for (String f : new String[]{"to", "body"}) {
            JsonNode v = artifact.get(f);
            if (v == null || v.isNull() || !v.isTextual() || v.asText().isBlank()) {
                out.add(Finding.error("schema_invalid", Finding.SCHEMA, f, f + " is required and must be a non-empty string"));
            }
        }
        for (String f : new String[]{"subject", "channel"}) {
            JsonNode v = artifact.get(f);
            if (v != null && !v.isNull() && !v.isTextual()) {
                out.add(Finding.error("schema_invalid", Finding.SCHEMA, f, f + " must be a string"));
            }
        }
        String channel = Names.lower(Json2.text(artifact, "channel"));
        if (!channel.isEmpty() && !channel.equals("email") && !channel.equals("sms")) {
            out.add(Finding.error("schema_invalid", Finding.SCHEMA, "channel", "channel must be email or sms"));
        }
        if (!out.isEmpty()) {
            return out;
        }
        boolean sms = channel.equals("sms");
        String to = artifact.get("to").asText().trim();
        String subject = Json2.text(artifact, "subject");
        String body = artifact.get("body").asText();

        if (!sms && !EMAIL.matcher(to).matches()) {
            out.add(Finding.error("invalid_recipient", Finding.SCHEMA, "to", "to is not an email address"));
        } else if (sms && Names.phoneDigits(to) == 0) {
            out.add(Finding.error("invalid_recipient", Finding.SCHEMA, "to", "to is not a phone number"));
        }
        if (sms && body.codePointCount(0, body.length()) > smsMax) {
            out.add(Finding.error("too_long", Finding.POLICY, "body",
                    "an SMS body has at most " + smsMax + " characters, this one has " + body.codePointCount(0, body.length())));
        }
        if (subject != null && subject.codePointCount(0, subject.length()) > subjectMax) {
            out.add(Finding.error("too_long", Finding.POLICY, "subject",
                    "a subject has at most " + subjectMax + " characters"));
        }
        if (subject != null) {
            ssn(subject, "subject", out);
            pay(subject, "subject", out);
        }
        ssn(body, "body", out);
        pay(body, "body", out);

        String client = Json2.text(context, "client");
        if (client != null && blacklisted.test(client)) {
            out.add(Finding.error("blacklisted_client", Finding.POLICY, "context.client",
                    "client '" + client + "' is blacklisted"));
        }

        Set<String> ids = new LinkedHashSet<>();
        if (subject != null) {
            collectIds(subject, ids);
        }
        collectIds(body, ids);
        String candidate = Json2.text(context, "candidate_id");
        boolean rosterLoaded = roster != null && roster.count() > 0;
        if (ids.isEmpty() && candidate == null) {
            // nothing to look up in the roster; a client email is still checked for what it may not carry
            if (!sms && recipients.resolve(to, context, -1, out) == RecipientPolicy.Recipient.CLIENT) {
                clientChecks(subject, body, context, rosterLoaded ? roster : null, -1, null, out);
            }
            return out;
        }
        if (!rosterLoaded) {
            throw new RosterUnavailableException("the worker roster is not loaded; worker ids cannot be checked");
        }
        for (String id : ids) {
            if (!roster.contains(id)) {
                out.add(Finding.error("phantom_id", Finding.CONSISTENCY, "body", id + " is not in the roster"));
            }
        }
        int row = candidate == null ? -1 : roster.find(candidate);
        if (candidate != null && row < 0) {
            out.add(Finding.error("phantom_id", Finding.CONSISTENCY, "context.candidate_id",
                    candidate + " is not in the roster"));
            return out;
        }
        RecipientPolicy.Recipient recipient = RecipientPolicy.Recipient.CANDIDATE;
        if (!sms) {
            int toRow = row >= 0 && roster.emailMatches(row, to) ? row : roster.findByEmail(to);
            recipient = recipients.resolve(to, context, toRow, out);
            if (recipient == RecipientPolicy.Recipient.CLIENT && toRow >= 0) {
                out.add(Finding.error("wrong_recipient", Finding.CONSISTENCY, "to", "the email is for a client but to is the roster email of "
                        + roster.workerId(toRow) + (toRow == row ? " (the candidate)" : "")));
            } else if (recipient == RecipientPolicy.Recipient.CANDIDATE && row >= 0 && toRow >= 0 && toRow != row) {
                out.add(Finding.error("wrong_recipient", Finding.CONSISTENCY, "to",
                        "to is the roster email of " + roster.workerId(toRow) + ", not of the candidate " + candidate));
            }
        }
        if (row >= 0) {
            if (recipient == RecipientPolicy.Recipient.CANDIDATE) {
                if (out.stream().noneMatch(f -> f.code().equals("wrong_recipient"))) {
                    checkRecipient(to, sms, roster, row, candidate, out);
                }
                checkGreeting(body, roster, row, candidate, out);
            }
            for (String id : ids) {
                int other = roster.find(id);
                if (other >= 0 && other != row) {
                    out.add(Finding.error("wrong_worker", Finding.CONSISTENCY, "body",
                            "the message names " + id + " but is about " + candidate));
                }
            }
            if (recipient == RecipientPolicy.Recipient.CANDIDATE) {
                if (subject != null) {
                    RecipientPolicy.checkOtherWorkersContacts("subject", subject, roster, row, out);
                }
                RecipientPolicy.checkOtherWorkersContacts("body", body, roster, row, out);
            }
        }
        if (recipient == RecipientPolicy.Recipient.CLIENT) {
            clientChecks(subject, body, context, roster, row, candidate, out);
        }
        return out;
    }

    private void clientChecks(String subject, String body, JsonNode context, Roster roster, int row, String candidate,
                              List<Finding> out) {
        if (subject != null) {
            recipients.checkClientEmail("subject", subject, context, roster, row, candidate, out);
            RecipientPolicy.checkOtherWorkersContacts("subject", subject, roster, row, out);
        }
        recipients.checkClientEmail("body", body, context, roster, row, candidate, out);
        RecipientPolicy.checkOtherWorkersContacts("body", body, roster, row, out);
    }

    /** W-digits tokens (word-bounded), found by scanning for "W-" instead of trying the regex at every position. */
    static void collectIds(String text, Set<String> ids) {
        for (int i = text.indexOf("W-"); i >= 0; i = text.indexOf("W-", i + 2)) {
            if (i > 0 && isWordChar(text.charAt(i - 1))) {
                continue;
            }
            int j = i + 2;
            while (j < text.length() && text.charAt(j) >= '0' && text.charAt(j) <= '9') {
                j++;
            }
            if (j > i + 2 && (j == text.length() || !isWordChar(text.charAt(j)))) {
                ids.add(text.substring(i, j));
            }
        }
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** Start and end of every run of ASCII digits: the only places an SSN or a money amount can start. */
    private static int[] digitRuns(String text) {
        int[] runs = new int[8];
        int n = 0;
        int i = 0;
        int len = text.length();
        while (i < len) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                int start = i;
                while (i < len && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                    i++;
                }
                if (n + 2 > runs.length) {
                    runs = java.util.Arrays.copyOf(runs, runs.length * 2);
                }
                runs[n++] = start;
                runs[n++] = i;
            } else {
                i++;
            }
        }
        return java.util.Arrays.copyOf(runs, n);
    }

    private void checkRecipient(String to, boolean sms, Roster roster, int row, String candidate, List<Finding> out) {
        if (sms) {
            int[] rows = roster.findByPhone(to);
            boolean mine = false;
            for (int r : rows) {
                mine |= r == row;
            }
            if (rows.length > 0 && !mine) {
                out.add(Finding.error("wrong_recipient", Finding.CONSISTENCY, "to",
                        "the number belongs to another worker, not " + candidate));
            }
        } else if (roster.hasEmail(row) && !roster.emailMatches(row, to)) {
            out.add(Finding.error("wrong_recipient", Finding.CONSISTENCY, "to",
                    "to is not the roster email of " + candidate));
        }
    }

    private static void checkGreeting(String body, Roster roster, int row, String candidate, List<Finding> out) {
        Matcher m = GREETING.matcher(body);
        if (!m.find()) {
            return;
        }
        String[] words = Names.normalise(m.group(1)).split(" ");
        if (NOT_NAMES.contains(words[0])) {
            return;
        }
        String first = Names.normalise(roster.firstName(row));
        String last = Names.normalise(roster.lastName(row));
        Set<String> own = new java.util.HashSet<>(List.of(Names.normalise(roster.fullName(row)).split(" ")));
        own.add(first);
        own.add(last);
        // "Hi Maria", "Dear Maria Lopez", "Dear Ms. Lopez", "Hi Maria, Thanks ..." (a second capitalised word that is
        // not a surname is fine as long as the first word is hers)
        if (!own.contains(words[0])) {
            out.add(Finding.error("wrong_worker", Finding.CONSISTENCY, "body",
                    "the message greets '" + m.group(1) + "' but " + candidate + " is " + roster.fullName(row)));
        }
    }

    void ssn(String text, String field, List<Finding> out) {
        int[] runs = digitRuns(text);
        Matcher shaped = SSN_SHAPED.matcher(text).useTransparentBounds(true);
        for (int k = 0; k < runs.length; k += 2) {
            int start = runs[k];
            int len = runs[k + 1] - start;
            if (len == 3 && shaped.region(start, text.length()).lookingAt()) {
                out.add(Finding.error("ssn_detected", Finding.POLICY, field, field + " contains an SSN-shaped number"));
                return;
            }
        }
        for (int k = 0; k < runs.length; k += 2) {
            if (runs[k + 1] - runs[k] == 9 && near(SSN_WORD, text, runs[k], runs[k + 1], ssnProximity)) {
                out.add(Finding.error("ssn_detected", Finding.POLICY, field,
                        field + " contains a nine-digit number next to an SSN word"));
                return;
            }
        }
    }

    void pay(String text, String field, List<Finding> out) {
        if (text.indexOf('$') < 0 && digitRuns(text).length == 0) {
            return;
        }
        Matcher m = MONEY.matcher(text).useTransparentBounds(true);
        int from = 0;
        while (nextMoney(text, m, from)) {
            from = m.end();
            String amount = m.group();
            if (near(PAY_WORD, text, m.start(), m.end(), payProximity)) {
                out.add(Finding.error("pay_disclosed", Finding.POLICY, field,
                        field + " discloses a pay figure (" + amount.trim() + ")"));
                return;
            }
        }
    }

    /** Like find(), but only tries positions where an amount can start ('$' or the first digit of a number). */
    private static boolean nextMoney(String text, Matcher m, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean candidate = c == '$' || (c >= '0' && c <= '9' && (i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1))
                    && text.charAt(i - 1) != '$' && text.charAt(i - 1) != ',' && text.charAt(i - 1) != '.'));
            if (candidate && m.region(i, text.length()).lookingAt()) {
                return true;
            }
        }
        return false;
    }

    private static boolean near(Pattern word, String text, int start, int end, int within) {
        int from = Math.max(0, start - within);
        int to = Math.min(text.length(), end + within);
        Matcher w = word.matcher(text);
        w.region(from, to);
        w.useTransparentBounds(true);
        return w.find();
    }
}
