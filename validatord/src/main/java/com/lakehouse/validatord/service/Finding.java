package com.lakehouse.validatord.service;

/**
 * One thing a validator found. {@code code} is a stable machine string (ssn_detected, pay_disclosed,
 * phantom_id, ...); {@code kind} is the Go fleet's error kind (Schema, Completeness, Consistency, Policy);
 * {@code severity} is {@code error} (the artifact is invalid) or {@code warning} (reported, still valid).
 */
public record Finding(String code, String kind, String field, String message, String severity) {
    public static final String SCHEMA = "Schema";
    public static final String COMPLETENESS = "Completeness";
    public static final String CONSISTENCY = "Consistency";
    public static final String POLICY = "Policy";
    public static final String ERROR = "error";
    public static final String WARNING = "warning";

    public static Finding error(String code, String kind, String field, String message) {
        return new Finding(code, kind, field, message, ERROR);
    }

    public static Finding warning(String code, String kind, String field, String message) {
        return new Finding(code, kind, field, message, WARNING);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isError() {
        return ERROR.equals(severity);
    }
}
