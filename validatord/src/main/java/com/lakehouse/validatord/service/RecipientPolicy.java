package com.lakehouse.validatord.service;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who an email about a candidate goes to, and what it may then carry. A staffing desk writes about a candidate
 * to the candidate (then it must go to that candidate's roster address) or to a client (then it must not carry
 * the candidate's private data: pay rate, other workers' contact details, another client's name; SSNs are refused
 * for everyone by {@link EmailValidator}). {@code context.recipient} says which; without it the address decides:
 * the candidate's (or any worker's) roster address is a candidate email, a client contact or an address at the
 * client's domain is a client email, anything else is treated as a candidate email (so it must be the roster one).
 */
final class RecipientPolicy {
    enum Recipient { CANDIDATE, CLIENT }

    /** A money-like amount: optional $, digits, optional cents, optional hourly suffix. */
    private static final Pattern AMOUNT = Pattern.compile(
            "(\\$\\s?)?(?<![\\d.,])(\\d{1,4}(?:\\.\\d{1,2})?)(?![\\d,]|\\.\\d)(\\s?(?:/\\s?(?:hr|hour|h)\\b|per\\s+hour|an\\s+hour|hourly))?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PHONE = Pattern.compile(
            "(?<![\\d-])(?:\\+?1[\\s.-]?)?\\(?\\d{3}\\)?[\\s.-]?\\d{3}[\\s.-]?\\d{4}(?![\\d-])");
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    /** Words of a client name too common to identify it in a domain ("Acme Staffing Inc" -> acme). */
    private static final Set<String> GENERIC = Set.of("the", "inc", "llc", "ltd", "co", "corp", "company", "group",
            "services", "service", "staffing", "solutions", "logistics", "industries", "and");

    private final List<String> configuredClients;

    RecipientPolicy(List<String> configuredClients) {
        this.configuredClients = List.copyOf(configuredClients);
    }

    /**
     * The recipient: {@code context.recipient} when given (a value other than candidate or client is a Schema
     * finding), else inferred from the address. {@code toRow} is the roster row owning the address, or -1.
     */
    Recipient resolve(String to, JsonNode context, int toRow, List<Finding> out) {
        String said = Names.lower(Json2.text(context, "recipient"));
        if (said.equals("client")) {
            return Recipient.CLIENT;
        }
        if (said.equals("candidate")) {
            return Recipient.CANDIDATE;
        }
        if (!said.isEmpty()) {
            out.add(Finding.error("schema_invalid", Finding.SCHEMA, "context.recipient",
                    "context.recipient must be candidate or client"));
            return Recipient.CANDIDATE;
        }
        if (toRow >= 0) {
            return Recipient.CANDIDATE;
        }
        return isClientAddress(to, context) ? Recipient.CLIENT : Recipient.CANDIDATE;
    }

    /** A listed client contact, an address at a listed client domain, or a domain that spells the client's name. */
    static boolean isClientAddress(String to, JsonNode context) {
        String addr = Names.lower(to);
        for (String c : strings(context, "client_contacts")) {
            if (Names.lower(c).equals(addr)) {
                return true;
            }
        }
        int at = addr.lastIndexOf('@');
        if (at < 0) {
            return false;
        }
        String domain = addr.substring(at + 1);
        List<String> domains = new ArrayList<>(strings(context, "client_domains"));
        domains.addAll(strings(context, "client_domain"));
        for (String d : domains) {
            String dd = Names.lower(d);
            if (dd.startsWith("@")) {
                dd = dd.substring(1);
            }
            if (!dd.isEmpty() && (domain.equals(dd) || domain.endsWith("." + dd))) {
                return true;
            }
        }
        String client = Json2.text(context, "client");
        if (client == null) {
            return false;
        }
        String compact = Names.normalise(client).replace(" ", "");
        String labels = domain.contains(".") ? domain.substring(0, domain.lastIndexOf('.')).replace(".", "").replace("-", "") : domain;
        if (compact.length() >= 3 && labels.contains(compact)) {
            return true;
        }
        for (String w : Names.normalise(client).split(" ")) {
            if (w.length() >= 4 && !GENERIC.contains(w) && labels.contains(w)) {
                return true;
            }
        }
        return false;
    }

    /** A client email must not carry the candidate's pay rate, nor name another client the desk works with. */
    void checkClientEmail(String field, String text, JsonNode context, Roster roster, int candidateRow, String candidate,
                          List<Finding> out) {
        if (candidateRow >= 0) {
            float pay = roster.payRate(candidateRow);
            if (pay > 0) {
                Matcher m = AMOUNT.matcher(text);
                while (m.find()) {
                    boolean moneyLike = m.group(1) != null || m.group(2).contains(".") || m.group(3) != null;
                    if (moneyLike && Math.abs(Double.parseDouble(m.group(2)) - pay) < 0.005) {
                        out.add(Finding.error("private_data_leak", Finding.POLICY, field, field + " tells the client "
                                + candidate + "'s pay rate (" + m.group().trim() + "), which stays between the desk and the worker"));
                        break;
                    }
                }
            }
        }
        String own = Names.normalise(Json2.text(context, "client"));
        Set<String> others = new LinkedHashSet<>(configuredClients);
        others.addAll(strings(context, "known_clients"));
        String norm = " " + Names.normalise(text) + " ";
        for (String c : others) {
            String n = Names.normalise(c);
            if (!n.isEmpty() && !n.equals(own) && norm.contains(" " + n + " ")) {
                out.add(Finding.error("other_client_named", Finding.POLICY, field, field + " names another client ('"
                        + c + "') in an email to " + (own.isEmpty() ? "a client" : Json2.text(context, "client"))));
            }
        }
    }

    /** Phone numbers and addresses in the text that belong to roster workers other than the candidate. */
    static void checkOtherWorkersContacts(String field, String text, Roster roster, int candidateRow, List<Finding> out) {
        if (roster == null || roster.count() == 0) {
            return;
        }
        Matcher p = PHONE.matcher(text);
        while (p.find()) {
            for (int r : roster.findByPhone(p.group())) {
                if (r != candidateRow) {
                    out.add(Finding.error("private_data_leak", Finding.POLICY, field, field + " carries the phone number of "
                            + roster.workerId(r) + " (" + p.group().trim() + "), another worker's contact details"));
                    break;
                }
            }
        }
        Matcher a = ADDRESS.matcher(text);
        while (a.find()) {
            int r = roster.findByEmail(a.group());
            if (r >= 0 && r != candidateRow) {
                out.add(Finding.error("private_data_leak", Finding.POLICY, field, field + " carries the email address of "
                        + roster.workerId(r) + " (" + a.group() + "), another worker's contact details"));
            }
        }
    }

    /** A string or a list of strings in the context; empty when absent. */
    private static List<String> strings(JsonNode context, String field) {
        JsonNode v = context == null ? null : context.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isTextual()) {
            out.add(v.asText());
        } else if (v.isArray()) {
            v.forEach(x -> {
                if (x.isTextual() && !x.asText().isBlank()) {
                    out.add(x.asText());
                }
            });
        }
        return out;
    }
}
