package com.lakehouse.contracts.roles;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoleTaxonomyTest {

    @Test
    void hasAtLeastFortyRolesWithUniqueIdsAndTheRequiredOnes() {
        List<Role> all = RoleTaxonomy.all();
        assertTrue(all.size() >= 40, "only " + all.size() + " roles");
        Set<String> ids = new HashSet<>();
        for (Role r : all) {
            assertTrue(ids.add(r.id()), "duplicate " + r.id());
            assertTrue(r.id().matches("[a-z0-9_]+"), r.id());
            assertFalse(r.plurals().isEmpty(), r.id() + " has no plurals");
        }
        for (String required : List.of("forklift_operator", "picker_packer", "cnc_operator", "cnc_machinist", "cna",
                "registered_nurse", "lpn", "welder", "cdl_driver", "line_cook", "prep_cook", "dishwasher",
                "warehouse_associate", "material_handler", "machine_operator", "assembler", "quality_inspector",
                "maintenance_technician", "electrician", "hvac_technician", "plumber", "carpenter", "general_laborer",
                "janitor", "security_guard", "receptionist", "customer_service_representative", "data_entry_clerk",
                "administrative_assistant", "bookkeeper", "medical_assistant", "phlebotomist", "home_health_aide",
                "caregiver", "server", "bartender", "housekeeper", "delivery_driver", "shipping_receiving_clerk",
                "inventory_clerk", "production_worker", "sanitation_worker")) {
            assertTrue(RoleTaxonomy.byId(required).isPresent(), required);
        }
    }

    @Test
    void canonicalIgnoresCasePluralsSynonymsAndPunctuation() {
        assertEquals(Optional.of("forklift_operator"), RoleTaxonomy.canonical("Forklift Operator"));
        assertEquals(Optional.of("forklift_operator"), RoleTaxonomy.canonical("FORKLIFT-OPERATORS"));
        assertEquals(Optional.of("forklift_operator"), RoleTaxonomy.canonical("forklift operator(s)"));
        assertEquals(Optional.of("forklift_operator"), RoleTaxonomy.canonical("forklift_operator"));
        assertEquals(Optional.of("forklift_operator"), RoleTaxonomy.canonical("  Forklift drivers "));
        assertEquals(Optional.of("picker_packer"), RoleTaxonomy.canonical("Pickers"));
        assertEquals(Optional.of("picker_packer"), RoleTaxonomy.canonical("picker/packer"));
        assertEquals(Optional.of("picker_packer"), RoleTaxonomy.canonical("Pickers/Packers"));
        assertEquals(Optional.of("registered_nurse"), RoleTaxonomy.canonical("R.N."));
        assertEquals(Optional.of("registered_nurse"), RoleTaxonomy.canonical("RNs"));
        assertEquals(Optional.of("cna"), RoleTaxonomy.canonical("nurse's aides"));
        assertEquals(Optional.of("cdl_driver"), RoleTaxonomy.canonical("CDL-A Drivers"));
        assertEquals(Optional.of("shipping_receiving_clerk"), RoleTaxonomy.canonical("Shipping & Receiving Clerks"));
        assertEquals(Optional.of("security_guard"), RoleTaxonomy.canonical("security guards"));
        assertEquals(Optional.of("janitor"), RoleTaxonomy.canonical("custodians"));
        assertEquals(Optional.of("server"), RoleTaxonomy.canonical("waitresses"));
        assertEquals(Optional.of("delivery_driver"), RoleTaxonomy.canonical("deliverymen"));
        assertEquals(Optional.of("hvac_technician"), RoleTaxonomy.canonical("HVAC/R technicians"));
        assertEquals(Optional.empty(), RoleTaxonomy.canonical("astronaut"));
        assertEquals(Optional.empty(), RoleTaxonomy.canonical(""));
        assertEquals(Optional.empty(), RoleTaxonomy.canonical(null));
    }

    @Test
    void sameRoleSeparatesNeighbouringRoles() {
        assertTrue(RoleTaxonomy.sameRole("Forklift Operator", "forklift operators"));
        assertTrue(RoleTaxonomy.sameRole("picker", "Packers"));
        assertTrue(RoleTaxonomy.sameRole("truck driver", "CDL driver"));
        assertFalse(RoleTaxonomy.sameRole("Forklift Operator", "Pickers"));
        assertFalse(RoleTaxonomy.sameRole("Forklift Operator", "CNC Operator"));
        assertFalse(RoleTaxonomy.sameRole("CNC Operator", "CNC Machinist"));
        assertFalse(RoleTaxonomy.sameRole("CNC Operator", "Machine Operator"));
        assertFalse(RoleTaxonomy.sameRole("RN", "LPN"));
        assertFalse(RoleTaxonomy.sameRole("line cook", "prep cook"));
        assertFalse(RoleTaxonomy.sameRole("forklift operator", null));
        assertFalse(RoleTaxonomy.sameRole("", ""));
        // outside the taxonomy: normalized and singularized text equality
        assertTrue(RoleTaxonomy.sameRole("Astronauts", "astronaut"));
        assertFalse(RoleTaxonomy.sameRole("astronaut", "forklift operator"));
    }

    @Test
    void findInTextTakesTheLongestPhrase() {
        assertEquals(Optional.of("forklift_operator"), RoleTaxonomy.findInText("Need 3 forklift operators in Detroit"));
        assertEquals(Optional.of("forklift_operator"), RoleTaxonomy.findInText("forklift detroit nights"));
        assertEquals(Optional.of("cnc_operator"), RoleTaxonomy.findInText("Acme needs 2 CNC machine operators in Flint"));
        assertEquals(Optional.of("machine_operator"), RoleTaxonomy.findInText("Looking for 4 machine operators at Acme"));
        assertEquals(Optional.of("prep_cook"), RoleTaxonomy.findInText("a prep cook for the weekend"));
        assertEquals(Optional.of("picker_packer"), RoleTaxonomy.findInText("Pickers needed, Columbus, 2nd shift"));
        assertEquals(Optional.of("shipping_receiving_clerk"),
                RoleTaxonomy.findInText("hiring a shipping and receiving clerk today"));
        assertEquals(Optional.empty(), RoleTaxonomy.findInText("what is the weather in Detroit"));
        assertEquals(Optional.empty(), RoleTaxonomy.findInText(null));
        RoleTaxonomy.Match m = RoleTaxonomy.findMatchInText("Need 5 CNC Operators in Detroit").orElseThrow();
        assertEquals("cnc operators", m.phrase());
        assertEquals(2, m.tokenCount());
    }

    @Test
    void everyPhraseOfEveryRoleResolvesBackToItsRole() {
        for (Role r : RoleTaxonomy.all()) {
            assertEquals(Optional.of(r.id()), RoleTaxonomy.canonical(r.displayName()), r.displayName());
            for (String s : r.synonyms()) {
                assertEquals(Optional.of(r.id()), RoleTaxonomy.canonical(s), s);
            }
            for (String p : r.plurals()) {
                assertEquals(Optional.of(r.id()), RoleTaxonomy.canonical(p), p);
            }
        }
    }
}
