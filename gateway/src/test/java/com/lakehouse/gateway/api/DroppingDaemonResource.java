package com.lakehouse.gateway.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Puts a {@link DroppingDaemon} in front of vectord (over the fake fleet's vectord) for one test class. Init
 * args, as config keys under {@code lakehouse.gateway.}: e.g. {@code breaker.request-volume-threshold}.
 */
public class DroppingDaemonResource implements QuarkusTestResourceLifecycleManager {
    /** The daemon of the class being run (test resources restricted to their class run one at a time). */
    static DroppingDaemon daemon;
    private Map<String, String> gatewayConfig = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        gatewayConfig = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        try {
            daemon = new DroppingDaemon();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> cfg = new HashMap<>();
        cfg.put("lakehouse.gateway.upstreams.vectord", daemon.url());
        gatewayConfig.forEach((k, v) -> cfg.put("lakehouse.gateway." + k, v));
        return cfg;
    }

    @Override
    public void stop() {
        try {
            daemon.close();
        } catch (IOException ignored) {
            // test teardown
        }
    }
}
