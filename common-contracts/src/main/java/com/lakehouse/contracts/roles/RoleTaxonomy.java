package com.lakehouse.contracts.roles;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The staffing roles the fleet knows, with their synonyms and plural forms, so that "Forklift Operators",
 * "forklift driver" and "FORKLIFT-OPERATOR" are one role and "Pickers" is another.
 *
 * <p>Matching works on a normalized form of the text: lower case, accents stripped, dots and apostrophes
 * removed ("R.N." is "rn"), {@code &} read as "and", "(s)" dropped, every other non-alphanumeric character a
 * space, whitespace collapsed. Each role is reachable by its id ({@code forklift_operator}), its display
 * name, every synonym, and the plural of each of those (generated, plus irregular ones listed by hand).
 *
 * <p>Deliberately left out: words too generic to name one role in free text ("driver", "operator",
 * "warehouse", "associate", "clerk", "ma" which is also a state). The construction refuses a phrase that
 * would point at two roles, so the table cannot silently become ambiguous.
 */
public final class RoleTaxonomy {
    private static final List<Role> ROLES;
    private static final Map<String, String> PHRASE_TO_ID;
    private static final Map<String, Role> BY_ID;
    private static final int MAX_PHRASE_TOKENS;
    // Declared before the static block: building the table calls normalize(), which uses them (static
    // initializers run in textual order; declared after it they were still null and the class failed to load).
    private static final java.util.regex.Pattern MARKS = java.util.regex.Pattern.compile("\\p{M}+");
    private static final java.util.regex.Pattern DROPPED = java.util.regex.Pattern.compile("[.'\u2019`]");
    private static final java.util.regex.Pattern NOT_ALNUM = java.util.regex.Pattern.compile("[^a-z0-9]+");

    static {
        List<Role> roles = new ArrayList<>();
        // id, display name, synonyms..., irregular plurals are given with a leading "+"
        role(roles, "forklift_operator", "Forklift Operator", "forklift driver", "forklift", "fork lift operator",
                "fork lift driver", "forklift op", "hi lo driver", "hilo driver", "hi lo operator", "lift truck operator",
                "reach truck operator", "reach truck driver", "sit down forklift operator", "stand up forklift operator");
        role(roles, "picker_packer", "Picker Packer", "picker", "packer", "picker and packer", "pick packer",
                "pick and pack associate", "pick pack associate", "order picker", "order selector", "order filler",
                "+pickers packers", "+pickers and packers", "+pickers/packers");
        role(roles, "cnc_operator", "CNC Operator", "cnc machine operator", "cnc", "cnc op", "cnc mill operator",
                "cnc lathe operator", "cnc setup operator");
        role(roles, "cnc_machinist", "CNC Machinist", "machinist", "cnc programmer machinist", "tool and die machinist",
                "manual machinist");
        role(roles, "cna", "Certified Nursing Assistant", "cna", "nursing assistant", "nurse aide", "nurse aid",
                "nurses aide", "nursing aide", "certified nurse aide", "certified nursing aide", "stna");
        role(roles, "registered_nurse", "Registered Nurse", "rn", "nurse", "staff nurse", "charge nurse", "travel nurse",
                "registered nurse rn");
        role(roles, "lpn", "Licensed Practical Nurse", "lpn", "lvn", "licensed vocational nurse", "practical nurse");
        role(roles, "welder", "Welder", "mig welder", "tig welder", "stick welder", "welder fabricator", "structural welder",
                "pipe welder", "welding technician");
        role(roles, "cdl_driver", "CDL Driver", "truck driver", "cdl a driver", "cdla driver", "cdl b driver",
                "class a driver", "class a cdl driver", "tractor trailer driver", "semi driver", "semi truck driver",
                "otr driver", "trucker", "cdl truck driver", "regional driver");
        role(roles, "line_cook", "Line Cook", "cook", "grill cook", "fry cook", "short order cook", "saute cook",
                "broiler cook");
        role(roles, "prep_cook", "Prep Cook", "food prep", "food prep worker", "prep worker", "kitchen prep",
                "food preparation worker", "prep cook dishwasher");
        role(roles, "dishwasher", "Dishwasher", "dish washer", "dishwashing", "dish machine operator", "kitchen steward",
                "dish room attendant");
        role(roles, "warehouse_associate", "Warehouse Associate", "warehouse worker", "warehouse laborer",
                "warehouse helper", "warehouse operative", "warehouse team member", "warehouse general labor");
        role(roles, "material_handler", "Material Handler", "materials handler", "material handling associate",
                "loader", "unloader", "loader unloader", "lumper", "dock worker", "dock hand", "dockworker", "freight handler");
        role(roles, "machine_operator", "Machine Operator", "production machine operator", "press operator",
                "machine tender", "packaging machine operator", "extrusion operator", "injection molding operator",
                "punch press operator", "machine op");
        role(roles, "assembler", "Assembler", "assembly worker", "assembly line worker", "production assembler",
                "electronics assembler", "electrical assembler", "mechanical assembler", "assembly technician",
                "line assembler", "assembly associate");
        role(roles, "quality_inspector", "Quality Inspector", "qc inspector", "qa inspector", "quality control inspector",
                "quality assurance inspector", "inspector", "quality technician", "quality checker", "qc technician",
                "quality control technician", "quality auditor");
        role(roles, "maintenance_technician", "Maintenance Technician", "maintenance tech", "maintenance mechanic",
                "industrial maintenance technician", "maintenance worker", "facilities technician",
                "building maintenance technician", "industrial mechanic");
        role(roles, "electrician", "Electrician", "journeyman electrician", "apprentice electrician",
                "electrical technician", "industrial electrician", "commercial electrician", "residential electrician");
        role(roles, "hvac_technician", "HVAC Technician", "hvac tech", "hvac", "hvac r technician", "hvacr technician",
                "hvac mechanic", "hvac installer", "refrigeration technician", "hvac service technician");
        role(roles, "plumber", "Plumber", "journeyman plumber", "apprentice plumber", "plumbing technician",
                "service plumber", "commercial plumber");
        role(roles, "carpenter", "Carpenter", "framer", "finish carpenter", "rough carpenter", "journeyman carpenter",
                "framing carpenter", "form carpenter");
        role(roles, "general_laborer", "General Laborer", "laborer", "general labor", "general labourer", "labourer",
                "construction laborer", "day laborer", "general helper", "construction helper");
        role(roles, "janitor", "Janitor", "custodian", "cleaner", "janitorial worker", "custodial worker",
                "building cleaner", "commercial cleaner", "cleaning porter", "janitorial technician");
        role(roles, "security_guard", "Security Guard", "security officer", "guard", "unarmed security guard",
                "armed security guard", "unarmed guard", "armed guard", "security agent", "loss prevention officer");
        role(roles, "receptionist", "Receptionist", "front desk receptionist", "front desk clerk", "front desk agent",
                "front desk associate", "medical receptionist");
        role(roles, "customer_service_representative", "Customer Service Representative", "csr",
                "customer service rep", "customer service agent", "customer service associate",
                "customer service specialist", "call center agent", "call center representative", "call center rep",
                "customer support representative", "customer care representative");
        role(roles, "data_entry_clerk", "Data Entry Clerk", "data entry", "data entry operator", "data entry specialist",
                "data entry keyer", "data entry associate", "data processor");
        role(roles, "administrative_assistant", "Administrative Assistant", "admin assistant", "office assistant",
                "secretary", "administrative associate", "administrative support", "office admin", "admin support");
        role(roles, "bookkeeper", "Bookkeeper", "book keeper", "accounting clerk", "accounts payable clerk",
                "accounts receivable clerk", "ap clerk", "ar clerk", "full charge bookkeeper");
        role(roles, "medical_assistant", "Medical Assistant", "certified medical assistant", "clinical medical assistant",
                "registered medical assistant", "medical office assistant");
        role(roles, "phlebotomist", "Phlebotomist", "phlebotomy technician", "phlebotomy tech", "certified phlebotomist",
                "certified phlebotomy technician", "cpt phlebotomist");
        role(roles, "home_health_aide", "Home Health Aide", "hha", "home health aid", "home care aide",
                "home health care aide", "personal care aide", "personal care assistant", "pca", "home health assistant");
        role(roles, "caregiver", "Caregiver", "care giver", "care worker", "companion caregiver",
                "direct support professional", "dsp", "direct care worker", "direct care staff", "companion");
        role(roles, "server", "Server", "waiter", "waitress", "food server", "wait staff", "waitstaff", "banquet server",
                "restaurant server", "cocktail server", "+waitstaff", "+wait staff");
        role(roles, "bartender", "Bartender", "bar tender", "barkeep", "barkeeper", "mixologist", "banquet bartender",
                "service bartender");
        role(roles, "housekeeper", "Housekeeper", "housekeeping", "room attendant", "housekeeping attendant", "maid",
                "hotel housekeeper", "housekeeping aide", "guest room attendant", "+housekeeping");
        role(roles, "delivery_driver", "Delivery Driver", "courier", "van driver", "box truck driver",
                "non cdl driver", "route driver", "local delivery driver", "delivery van driver", "delivery associate",
                "+deliverymen", "deliveryman");
        role(roles, "shipping_receiving_clerk", "Shipping and Receiving Clerk", "shipping receiving clerk",
                "shipping and receiving", "shipping clerk", "receiving clerk", "shipper receiver", "shipper",
                "receiving associate", "shipping associate", "shipping and receiving associate",
                "+shipping and receiving clerks", "+shipping receiving clerks");
        role(roles, "inventory_clerk", "Inventory Clerk", "inventory associate", "inventory control clerk",
                "inventory specialist", "inventory control specialist", "stock clerk", "stocker", "cycle counter",
                "inventory counter", "inventory control associate");
        role(roles, "production_worker", "Production Worker", "production associate", "production laborer",
                "production line worker", "line worker", "factory worker", "manufacturing associate",
                "manufacturing worker", "production team member", "production helper");
        role(roles, "sanitation_worker", "Sanitation Worker", "sanitation associate", "sanitation technician",
                "sanitation tech", "sanitor", "sanitation crew member", "plant sanitation worker", "sanitation laborer");
        role(roles, "cashier", "Cashier", "checkout clerk", "front end cashier", "cashier clerk", "store cashier");
        role(roles, "retail_sales_associate", "Retail Sales Associate", "sales associate", "retail associate",
                "store associate", "retail clerk", "sales clerk", "retail sales clerk");
        role(roles, "barista", "Barista", "coffee barista", "espresso barista");
        role(roles, "painter", "Painter", "industrial painter", "spray painter", "house painter", "commercial painter",
                "paint technician", "automotive painter");
        role(roles, "host", "Host", "hostess", "restaurant host", "host hostess", "greeter", "front of house host");

        Map<String, String> phraseToId = new HashMap<>();
        Map<String, Role> byId = new HashMap<>();
        int maxTokens = 1;
        for (Role r : roles) {
            if (byId.put(r.id(), r) != null) {
                throw new IllegalStateException("duplicate role id " + r.id());
            }
            List<String> phrases = new ArrayList<>();
            phrases.add(normalize(r.id()));
            phrases.add(normalize(r.displayName()));
            phrases.addAll(r.synonyms());
            phrases.addAll(r.plurals());
            for (String p : phrases) {
                String prev = phraseToId.putIfAbsent(p, r.id());
                if (prev != null && !prev.equals(r.id())) {
                    throw new IllegalStateException("phrase '" + p + "' names both " + prev + " and " + r.id());
                }
                maxTokens = Math.max(maxTokens, p.split(" ").length);
            }
        }
        ROLES = List.copyOf(roles);
        PHRASE_TO_ID = Map.copyOf(phraseToId);
        BY_ID = Map.copyOf(byId);
        MAX_PHRASE_TOKENS = maxTokens;
    }

    private RoleTaxonomy() {
    }

    private static void role(List<Role> out, String id, String displayName, String... names) {
        Set<String> synonyms = new LinkedHashSet<>();
        Set<String> plurals = new LinkedHashSet<>();
        plurals.add(pluralize(normalize(displayName)));
        for (String n : names) {
            if (n.startsWith("+")) {
                plurals.add(normalize(n.substring(1)));
            } else {
                String s = normalize(n);
                synonyms.add(s);
                plurals.add(pluralize(s));
            }
        }
        synonyms.remove(normalize(displayName));
        plurals.removeAll(synonyms);
        plurals.remove(normalize(displayName));
        out.add(new Role(id, displayName, new ArrayList<>(synonyms), new ArrayList<>(plurals)));
    }

    /** Every role, in a stable order. */
    public static List<Role> all() {
        return ROLES;
    }

    /** The role with this canonical id, if any. */
    public static Optional<Role> byId(String id) {
        return Optional.ofNullable(id == null ? null : BY_ID.get(id));
    }

    /**
     * The canonical id of the role this text names as a whole ("Forklift Operators", "R.N.", "picker/packer"),
     * ignoring case, plurals, synonyms and punctuation; empty when it names no known role.
     */
    public static Optional<String> canonical(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String n = normalize(text);
        if (n.isEmpty()) {
            return Optional.empty();
        }
        String id = PHRASE_TO_ID.get(n);
        if (id == null) {
            id = PHRASE_TO_ID.get(singularize(n));
        }
        return Optional.ofNullable(id);
    }

    /** The display name of the role this text names, if known. */
    public static Optional<String> displayName(String text) {
        return canonical(text).map(id -> BY_ID.get(id).displayName());
    }

    /**
     * Whether two role texts name the same role: both known and canonically equal, or, when either is not in
     * the taxonomy, equal once normalized and singularized. A null or blank side is never the same role.
     */
    public static boolean sameRole(String a, String b) {
        if (a == null || b == null || a.isBlank() || b.isBlank()) {
            return false;
        }
        Optional<String> ca = canonical(a);
        Optional<String> cb = canonical(b);
        if (ca.isPresent() && cb.isPresent()) {
            return ca.get().equals(cb.get());
        }
        if (ca.isPresent() != cb.isPresent()) {
            return false;
        }
        return singularize(normalize(a)).equals(singularize(normalize(b)));
    }

    /**
     * The canonical id of the role named in free text ("Need 3 forklift operators in Detroit"): the longest
     * known phrase (most words, then most characters; earliest on a tie) found on word boundaries.
     */
    public static Optional<String> findInText(String text) {
        return findMatchInText(text).map(Match::roleId);
    }

    /** A role found in free text: its id and the normalized phrase that matched. */
    public record Match(String roleId, String phrase, int tokenStart, int tokenCount) {
    }

    /** Like {@link #findInText} but also says which phrase matched. */
    public static Optional<Match> findMatchInText(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String n = normalize(text);
        if (n.isEmpty()) {
            return Optional.empty();
        }
        String[] tokens = n.split(" ");
        Match best = null;
        for (int i = 0; i < tokens.length; i++) {
            StringBuilder sb = new StringBuilder();
            for (int len = 1; len <= MAX_PHRASE_TOKENS && i + len <= tokens.length; len++) {
                if (len > 1) {
                    sb.append(' ');
                }
                sb.append(tokens[i + len - 1]);
                String phrase = sb.toString();
                String id = PHRASE_TO_ID.get(phrase);
                if (id != null && (best == null || len > best.tokenCount()
                        || (len == best.tokenCount() && phrase.length() > best.phrase().length()))) {
                    best = new Match(id, phrase, i, len);
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Lower case, accents stripped, dots and apostrophes removed, {@code &} as "and", "(s)" dropped, any other
     * non-alphanumeric run a single space, trimmed.
     */
    public static String normalize(String text) {
        if (text == null) {
            return "";
        }
        // Called for every hit a gated search looks at: compiled patterns, and no Unicode pass for plain ASCII.
        String s = isAscii(text) ? text : MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFKD)).replaceAll("");
        s = s.toLowerCase(Locale.ROOT)
                .replace("(s)", "")
                .replace("&", " and ");
        s = DROPPED.matcher(s).replaceAll("");
        return NOT_ALNUM.matcher(s).replaceAll(" ").trim();
    }


    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** English plural of the last word of a normalized phrase. */
    static String pluralize(String phrase) {
        int sp = phrase.lastIndexOf(' ');
        String head = sp < 0 ? "" : phrase.substring(0, sp + 1);
        String w = phrase.substring(sp + 1);
        String p;
        if (w.endsWith("man")) {
            p = w.substring(0, w.length() - 3) + "men";
        } else if (w.endsWith("s") || w.endsWith("x") || w.endsWith("z") || w.endsWith("ch") || w.endsWith("sh")) {
            p = w + "es";
        } else if (w.length() > 1 && w.endsWith("y") && "aeiou".indexOf(w.charAt(w.length() - 2)) < 0) {
            p = w.substring(0, w.length() - 1) + "ies";
        } else {
            p = w + "s";
        }
        return head + p;
    }

    /** Best-effort singular of the last word of a normalized phrase (for words outside the taxonomy). */
    static String singularize(String phrase) {
        int sp = phrase.lastIndexOf(' ');
        String head = sp < 0 ? "" : phrase.substring(0, sp + 1);
        String w = phrase.substring(sp + 1);
        String s = w;
        if (w.length() > 4 && w.endsWith("ies")) {
            s = w.substring(0, w.length() - 3) + "y";
        } else if (w.length() > 4 && (w.endsWith("ches") || w.endsWith("shes") || w.endsWith("sses") || w.endsWith("xes"))) {
            s = w.substring(0, w.length() - 2);
        } else if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss")) {
            s = w.substring(0, w.length() - 1);
        } else if (w.length() > 3 && w.endsWith("men")) {
            s = w.substring(0, w.length() - 3) + "man";
        }
        return head + s;
    }

    /** Unmodifiable view of every normalized phrase and the role id it names (for tests and prompts). */
    public static Map<String, String> phrases() {
        return Collections.unmodifiableMap(PHRASE_TO_ID);
    }
}
