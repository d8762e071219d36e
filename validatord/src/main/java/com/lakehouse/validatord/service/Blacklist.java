package com.lakehouse.validatord.service;

import com.lakehouse.validatord.config.ValidatordConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/** Blacklisted clients from {@code blacklist} and {@code blacklist-file}; compared after name normalisation. */
@ApplicationScoped
public class Blacklist implements Predicate<String> {
    private static final Logger LOG = Logger.getLogger(Blacklist.class);

    @Inject
    ValidatordConfig config;

    private volatile Set<String> names = Set.of();

    @PostConstruct
    void init() {
        try {
            reload();
        } catch (IOException e) {
            LOG.errorf("blacklist file not read, config list only: %s", e.getMessage());
            names = Set.copyOf(fromConfig());
        }
    }

    private Set<String> fromConfig() {
        Set<String> s = new HashSet<>();
        config.blacklist().ifPresent(l -> l.forEach(n -> add(s, n)));
        return s;
    }

    private static void add(Set<String> s, String n) {
        String k = Names.normalise(n);
        if (!k.isEmpty()) {
            s.add(k);
        }
    }

    public void reload() throws IOException {
        Set<String> s = fromConfig();
        if (config.blacklistFile().isPresent()) {
            for (String line : Files.readAllLines(Path.of(config.blacklistFile().get()))) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    add(s, t);
                }
            }
        }
        names = Set.copyOf(s);
    }

    public int size() {
        return names.size();
    }

    @Override
    public boolean test(String client) {
        return client != null && names.contains(Names.normalise(client));
    }
}
