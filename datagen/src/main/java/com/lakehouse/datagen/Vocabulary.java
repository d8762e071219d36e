package com.lakehouse.datagen;

import java.util.List;
import java.util.Map;

/**
 * The word lists the generator draws from: US cities with their states and zip prefixes, names, clients (some
 * blacklisted), certifications by role family, shifts. Roles come from the shared RoleTaxonomy.
 */
final class Vocabulary {
    private Vocabulary() {
    }

    record City(String name, String state, String zipPrefix, String areaCode) {
    }

    record Client(String name, boolean blacklisted) {
    }

    /** 110 US cities: name, state, 3-digit zip prefix, area code. */
    static final List<City> CITIES = parseCities("""
            Detroit,MI,482,313;Grand Rapids,MI,495,616;Lansing,MI,489,517;Flint,MI,485,810;Ann Arbor,MI,481,734
            Chicago,IL,606,312;Aurora,IL,605,630;Rockford,IL,611,815;Joliet,IL,604,815;Peoria,IL,616,309
            Indianapolis,IN,462,317;Fort Wayne,IN,468,260;Evansville,IN,477,812;South Bend,IN,466,574;Gary,IN,464,219
            Columbus,OH,432,614;Cleveland,OH,441,216;Cincinnati,OH,452,513;Toledo,OH,436,419;Akron,OH,443,330
            Dayton,OH,454,937;Milwaukee,WI,532,414;Madison,WI,537,608;Green Bay,WI,543,920;Minneapolis,MN,554,612
            Saint Paul,MN,551,651;Rochester,MN,559,507;Des Moines,IA,503,515;Cedar Rapids,IA,524,319;Omaha,NE,681,402
            Lincoln,NE,685,402;Kansas City,MO,641,816;Saint Louis,MO,631,314;Springfield,MO,658,417;Wichita,KS,672,316
            Topeka,KS,666,785;Louisville,KY,402,502;Lexington,KY,405,859;Nashville,TN,372,615;Memphis,TN,381,901
            Knoxville,TN,379,865;Chattanooga,TN,374,423;Atlanta,GA,303,404;Savannah,GA,314,912;Augusta,GA,309,706
            Birmingham,AL,352,205;Huntsville,AL,358,256;Mobile,AL,366,251;Jackson,MS,392,601;New Orleans,LA,701,504
            Baton Rouge,LA,708,225;Shreveport,LA,711,318;Little Rock,AR,722,501;Houston,TX,770,713;Dallas,TX,752,214
            San Antonio,TX,782,210;Austin,TX,787,512;Fort Worth,TX,761,817;El Paso,TX,799,915;Laredo,TX,780,956
            Oklahoma City,OK,731,405;Tulsa,OK,741,918;Albuquerque,NM,871,505;Phoenix,AZ,850,602;Tucson,AZ,857,520
            Mesa,AZ,852,480;Las Vegas,NV,891,702;Reno,NV,895,775;Denver,CO,802,303;Colorado Springs,CO,809,719
            Salt Lake City,UT,841,801;Boise,ID,837,208;Los Angeles,CA,900,213;San Diego,CA,921,619;San Jose,CA,951,408
            Fresno,CA,937,559;Sacramento,CA,958,916;Bakersfield,CA,933,661;Riverside,CA,925,951;Stockton,CA,952,209
            Ontario,CA,917,909;Portland,OR,972,503;Salem,OR,973,503;Seattle,WA,981,206;Spokane,WA,992,509
            Tacoma,WA,984,253;Charlotte,NC,282,704;Raleigh,NC,276,919;Greensboro,NC,274,336;Durham,NC,277,919
            Columbia,SC,292,803;Charleston,SC,294,843;Greenville,SC,296,864;Richmond,VA,232,804;Norfolk,VA,235,757
            Virginia Beach,VA,234,757;Baltimore,MD,212,410;Philadelphia,PA,191,215;Pittsburgh,PA,152,412;Allentown,PA,181,610
            Harrisburg,PA,171,717;Newark,NJ,071,973;Jersey City,NJ,073,201;Trenton,NJ,086,609;New York,NY,100,212
            Buffalo,NY,142,716;Rochester,NY,146,585;Syracuse,NY,132,315;Albany,NY,122,518;Hartford,CT,061,860
            Boston,MA,021,617;Worcester,MA,016,508;Providence,RI,029,401;Manchester,NH,031,603;Jacksonville,FL,322,904
            Miami,FL,331,305;Tampa,FL,336,813;Orlando,FL,328,407;Fort Lauderdale,FL,333,954;Tallahassee,FL,323,850
            """);

    static final List<String> FIRST_NAMES = List.of(
            "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
            "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
            "Christopher", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony", "Sandra", "Mark", "Margaret",
            "Donald", "Ashley", "Steven", "Kimberly", "Andrew", "Emily", "Paul", "Donna", "Joshua", "Michelle",
            "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "George", "Deborah", "Timothy", "Stephanie",
            "Ronald", "Rebecca", "Jason", "Sharon", "Edward", "Laura", "Jeffrey", "Cynthia", "Ryan", "Dorothy",
            "Jacob", "Amy", "Gary", "Kathleen", "Nicholas", "Angela", "Eric", "Shirley", "Jonathan", "Brenda",
            "Luis", "Maria", "Jose", "Guadalupe", "Carlos", "Rosa", "Juan", "Ana", "Miguel", "Sofia",
            "DeShawn", "Aaliyah", "Malik", "Imani", "Tyrone", "Keisha", "Andre", "Tamika", "Nguyen", "Mai",
            "Wei", "Li", "Raj", "Priya", "Omar", "Fatima", "Ivan", "Olga", "Tomasz", "Katarzyna");

    static final List<String> LAST_NAMES = List.of(
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
            "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
            "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
            "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
            "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
            "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
            "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper",
            "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson",
            "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes",
            "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Kowalski");

    /** Clients; the blacklisted ones must never be filled (validatord's blacklist). */
    static final List<Client> CLIENTS = List.of(
            new Client("Beacon Freight", false), new Client("Great Lakes Logistics", false),
            new Client("Midwest Fulfillment", false), new Client("Summit Manufacturing", false),
            new Client("Riverbend Health", false), new Client("Oakridge Senior Living", false),
            new Client("Keystone Foods", false), new Client("Ironworks Fabrication", false),
            new Client("Harbor Distribution", false), new Client("Pinnacle Precision", false),
            new Client("Lakeside Hospital", false), new Client("Redline Transport", false),
            new Client("Crescent Hospitality", false), new Client("Northstar Assembly", false),
            new Client("Evergreen Packaging", false), new Client("Blue Ridge Builders", false),
            new Client("Metro Care Partners", false), new Client("Prairie Grain Co", false),
            new Client("Copperline Electric", false), new Client("Sunbelt Warehousing", false),
            new Client("Granite State Plastics", false), new Client("Silverleaf Kitchens", false),
            new Client("Apex Staffing Partners", true), new Client("Shady Acres Logistics", true),
            new Client("QuickCash Warehouse", true), new Client("Nightowl Freight", true));

    static final List<String> SHIFTS = List.of("day", "swing", "night", "weekend");

    /** Certifications by the leading word of a role id (family); roles without an entry draw from GENERAL. */
    static final Map<String, List<String>> CERTS = Map.ofEntries(
            Map.entry("forklift", List.of("OSHA forklift", "reach truck", "order picker lift", "OSHA 10")),
            Map.entry("picker", List.of("RF scanner", "OSHA 10", "pallet jack")),
            Map.entry("cnc", List.of("NIMS", "blueprint reading", "GD&T", "OSHA 10")),
            Map.entry("cna", List.of("CNA license", "CPR", "BLS", "first aid")),
            Map.entry("registered", List.of("RN license", "BLS", "ACLS", "PALS")),
            Map.entry("lpn", List.of("LPN license", "BLS", "IV therapy")),
            Map.entry("welder", List.of("AWS D1.1", "MIG", "TIG", "OSHA 10")),
            Map.entry("cdl", List.of("CDL-A", "CDL-B", "hazmat endorsement", "tanker endorsement", "DOT medical card")),
            Map.entry("line", List.of("ServSafe food handler", "ServSafe manager")),
            Map.entry("prep", List.of("ServSafe food handler")),
            Map.entry("electrician", List.of("journeyman license", "OSHA 30", "NFPA 70E")),
            Map.entry("security", List.of("guard card", "CPR", "first aid")),
            Map.entry("medical", List.of("CMA", "CPR", "phlebotomy")),
            Map.entry("phlebotomist", List.of("CPT", "CPR")),
            Map.entry("home", List.of("HHA certificate", "CPR")));
    static final List<String> GENERAL_CERTS = List.of("OSHA 10", "CPR", "first aid", "forklift awareness");

    private static List<City> parseCities(String text) {
        return java.util.Arrays.stream(text.replace("\n", ";").split(";"))
                .map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.split(","))
                .map(p -> new City(p[0], p[1], p[2], p[3]))
                .toList();
    }
}
