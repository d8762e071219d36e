package com.lakehouse.gateway.service;

import com.lakehouse.contracts.fleet.Daemons;
import com.lakehouse.contracts.fleet.FleetConfig;
import com.lakehouse.gateway.config.GatewayConfig;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The upstream base URLs of the ten other daemons, validated at startup (a malformed URL stops the gateway with
 * the config key in the message), and the round-robin cursor over each daemon's list.
 */
@Startup
@Singleton
public class Upstreams {
    private static final Logger LOG = Logger.getLogger(Upstreams.class);

    /** One daemon's replicas and its round-robin cursor. */
    public record Upstream(String daemon, List<URI> bases, Duration timeout, AtomicInteger cursor) {
        /** The next base URL in round-robin order. */
        public URI next() {
            return bases.get(Math.floorMod(cursor.getAndIncrement(), bases.size()));
        }
    }

    @Inject
    FleetConfig fleet;

    @Inject
    GatewayConfig config;

    private Map<String, Upstream> byDaemon;

    @PostConstruct
    void init() {
        byDaemon = build(fleet, config);
        byDaemon.values().forEach(u -> LOG.infof("route %s -> %s (timeout %s)", u.daemon(),
                u.bases().stream().map(URI::toString).collect(Collectors.joining(", ")), u.timeout()));
    }

    /** Builds and validates the table; throws {@link UpstreamUrls.InvalidUpstreamException} naming the key. */
    public static Map<String, Upstream> build(FleetConfig fleet, GatewayConfig config) {
        Set<String> known = Daemons.ALL.stream().map(Daemons.Daemon::name).collect(Collectors.toSet());
        for (String d : config.upstreams().keySet()) {
            if (!known.contains(d) || RoutingTable.SELF.equals(d)) {
                throw new IllegalStateException("gateway refuses to start: lakehouse.gateway.upstreams." + d
                        + " names no daemon the gateway routes to (known: " + String.join(", ", known) + ")");
            }
        }
        for (String d : config.timeouts().keySet()) {
            if (!known.contains(d)) {
                throw new IllegalStateException("gateway refuses to start: lakehouse.gateway.timeouts." + d
                        + " names no daemon of the fleet");
            }
        }
        Map<String, Upstream> out = new LinkedHashMap<>();
        for (Daemons.Daemon d : Daemons.ALL) {
            String name = d.name();
            if (RoutingTable.SELF.equals(name)) {
                // The gateway's own URL is only reported by fleet health; still refuse a malformed one.
                UpstreamUrls.parse("lakehouse.fleet.gateway", fleet.gateway());
                continue;
            }
            String override = config.upstreams().get(name);
            List<URI> bases = override != null
                    ? UpstreamUrls.parseList("lakehouse.gateway.upstreams." + name, override)
                    : List.of(UpstreamUrls.parse("lakehouse.fleet." + name, Daemons.url(fleet, name)));
            Duration timeout = config.timeouts().getOrDefault(name, config.defaultTimeout());
            out.put(name, new Upstream(name, bases, timeout, new AtomicInteger()));
        }
        return Map.copyOf(out);
    }

    public Upstream get(String daemon) {
        Upstream u = byDaemon.get(daemon);
        if (u == null) {
            throw new IllegalArgumentException("no upstream for " + daemon);
        }
        return u;
    }

    public Map<String, Upstream> all() {
        return byDaemon;
    }
}
