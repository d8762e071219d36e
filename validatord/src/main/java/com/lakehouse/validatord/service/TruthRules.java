package com.lakehouse.validatord.service;

import com.fasterxml.jackson.databind.node.TextNode;
import com.lakehouse.validatord.config.ValidatordConfig;
import com.lakehouse.validatord.store.TruthRuleFiles;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/** The live truth rule set: built-in rules, then the files of {@code truth-dir}. Reloads swap it whole. */
@ApplicationScoped
public class TruthRules {
    private static final Logger LOG = Logger.getLogger(TruthRules.class);

    /** Rules every stack has. */
    public static final List<TruthRule> BUILT_IN = List.of(
            new TruthRule("fill-has-candidates", "fill", "a fill names at least one candidate",
                    new TruthRule.Condition("field_empty", "fills", null, null, null), "reject", "count_mismatch", "built-in"),
            new TruthRule("email-no-template-placeholders", "email",
                    "the message still contains a template placeholder",
                    new TruthRule.Condition("field_contains_any", "body", null, null,
                            List.of(TextNode.valueOf("[name]"), TextNode.valueOf("{{"), TextNode.valueOf("}}"),
                                    TextNode.valueOf("<worker name>"), TextNode.valueOf("[worker]"),
                                    TextNode.valueOf("lorem ipsum"))),
                    "reject", "template_placeholder", "built-in"),
            new TruthRule("playbook-needs-fingerprint", "playbook", "a playbook entry carries a fingerprint",
                    new TruthRule.Condition("field_empty", "fingerprint", null, null, null), "reject",
                    "fingerprint_missing", "built-in"));

    @Inject
    ValidatordConfig config;

    private final AtomicReference<List<TruthRule>> rules = new AtomicReference<>(BUILT_IN);

    void onStart(@Observes StartupEvent ev) {
        try {
            reload();
        } catch (IOException | IllegalArgumentException e) {
            LOG.errorf("truth rules from %s not loaded, built-in rules only: %s", config.truthDir().orElse("-"), e.getMessage());
        }
    }

    public List<TruthRule> current() {
        return rules.get();
    }

    /** Reads the rule files again; on any error the previous set stays live and the error is thrown. */
    public List<TruthRule> reload() throws IOException {
        List<TruthRule> next = new ArrayList<>(BUILT_IN);
        if (config.truthDir().isPresent()) {
            next.addAll(TruthRuleFiles.load(Path.of(config.truthDir().get())));
        }
        Set<String> ids = new HashSet<>();
        for (TruthRule r : next) {
            if (!ids.add(r.id())) {
                throw new IllegalArgumentException("truth rule id '" + r.id() + "' is defined twice");
            }
        }
        rules.set(List.copyOf(next));
        LOG.infof("truth rules loaded: %d (%d built-in)", next.size(), BUILT_IN.size());
        return next;
    }
}
