package com.lakehouse.validatord.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.validatord.config.ValidatordConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Runs the validator of a kind, then the truth rules of that task class, and builds the report. */
@ApplicationScoped
public class ValidationService {
    public static final Set<String> KINDS = Set.of("fill", "email", "playbook");

    @Inject
    ValidatordConfig config;
    @Inject
    RosterService rosters;
    @Inject
    TruthRules truthRules;
    @Inject
    Blacklist blacklist;
    @Inject
    ValidatorMetrics metrics;

    private FillValidator fill;
    private EmailValidator email;
    private final PlaybookValidator playbook = new PlaybookValidator();

    @PostConstruct
    void init() {
        fill = new FillValidator(blacklist);
        ValidatordConfig.Email e = config.email();
        email = new EmailValidator(e.smsMaxChars(), e.subjectMaxChars(), e.payProximityChars(), e.ssnProximityChars(), blacklist,
                e.knownClients().orElse(List.of()));
    }

    /** Validates; {@code kind} must be one of {@link #KINDS}. Throws RosterUnavailableException when the roster is needed and missing. */
    public ValidationReport validate(String kind, JsonNode artifact, JsonNode context) {
        Roster roster = rosters.current();
        List<Finding> findings = new ArrayList<>(switch (kind) {
            case "fill" -> fill.validate(artifact, context, roster);
            case "email" -> email.validate(artifact, context, roster);
            case "playbook" -> playbook.validate(artifact, context);
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        });
        boolean schemaBroken = findings.stream().anyMatch(f -> f.isError() && Finding.SCHEMA.equals(f.kind()));
        TruthEngine.Outcome truth = null;
        if (!schemaBroken) {
            truth = TruthEngine.evaluate(truthRules.current(), kind, artifact, context);
            for (Finding f : truth.findings()) {
                // a built-in rule that restates a validator finding adds nothing
                if (findings.stream().noneMatch(x -> x.code().equals(f.code()) && x.isError() == f.isError())) {
                    findings.add(f);
                }
            }
        }
        ValidationReport report = ValidationReport.of(kind, findings, truth, roster == Roster.EMPTY ? null : roster.version());
        metrics.validated(report);
        return report;
    }

    /** Truth rules alone (POST /v1/truth/evaluate). */
    public TruthEngine.Outcome evaluateRules(String taskClass, JsonNode artifact, JsonNode context) {
        return TruthEngine.evaluate(truthRules.current(), taskClass, artifact, context);
    }
}
