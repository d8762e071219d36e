package com.lakehouse.matrixd.service;

import io.smallrye.mutiny.Uni;

import java.util.Optional;

/** Asks a language model which staffing role a query is about (chatd in production). */
public interface RoleLlm {
    /** The role as the model named it, empty when it says the query names none. Fails when unreachable. */
    Uni<Optional<String>> extractRole(String queryText);
}
