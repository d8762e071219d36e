package com.lakehouse.contracts.roles;

import java.util.List;

/**
 * One staffing role of the {@link RoleTaxonomy}.
 *
 * @param id          canonical id, snake_case ({@code forklift_operator}); stable, used on the wire and in data
 * @param displayName human name ({@code Forklift Operator})
 * @param synonyms    other names people use for the same role, normalized (lower case, single spaces)
 * @param plurals     plural forms of the display name and of every synonym, normalized
 */
public record Role(String id, String displayName, List<String> synonyms, List<String> plurals) {
    public Role {
        synonyms = List.copyOf(synonyms);
        plurals = List.copyOf(plurals);
    }
}
