package com.lakehouse.pathwayd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.json.CanonicalJson;

/** pathwayd's two identities: the content hash of a trace and the pathway id of a workflow. */
public final class Canonical {
    private Canonical() {
    }

    /** sha256 of the canonical JSON text (keys sorted): the same content however a client ordered it. */
    public static String hash(JsonNode n) {
        return CanonicalJson.hash(n);
    }

    /** {@code pathway_id}: sha256 of task class, subject and signal class. */
    public static String pathwayId(String taskClass, String subject, String signalClass) {
        return CanonicalJson.sha256(taskClass + "\n" + subject + "\n" + signalClass);
    }
}
