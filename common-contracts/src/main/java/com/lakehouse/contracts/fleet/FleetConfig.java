package com.lakehouse.contracts.fleet;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Base URLs of the fleet's daemons, for every daemon that calls another. Defaults are the DESIGN.md ports on
 * loopback; the launcher and the systemd EnvironmentFiles override them per stack
 * (e.g. {@code -Dlakehouse.fleet.embedd=http://127.0.0.1:5101}).
 */
@ConfigMapping(prefix = "lakehouse.fleet")
public interface FleetConfig {
    @WithDefault("http://127.0.0.1:5100")
    String gateway();

    @WithDefault("http://127.0.0.1:5101")
    String embedd();

    @WithDefault("http://127.0.0.1:5102")
    String vectord();

    @WithDefault("http://127.0.0.1:5103")
    String matrixd();

    @WithDefault("http://127.0.0.1:5104")
    String chatd();

    @WithDefault("http://127.0.0.1:5105")
    String validatord();

    @WithDefault("http://127.0.0.1:5106")
    String distilld();

    @WithDefault("http://127.0.0.1:5107")
    String replayd();

    @WithDefault("http://127.0.0.1:5108")
    String observerd();

    @WithDefault("http://127.0.0.1:5109")
    String pathwayd();

    @WithDefault("http://127.0.0.1:5110")
    String catalogd();

    /**
     * Base URLs, beyond the eleven above, that a request may point a daemon at (a workflow node's {@code url}, a
     * corpus's {@code vectord_url}), comma separated, e.g. {@code http://10.0.0.7:5102}. Default none: requests can
     * reach only the fleet's own daemons. See {@link OutboundUrlPolicy}.
     */
    java.util.Optional<java.util.List<String>> outboundAllowList();

    /** API key used when a daemon calls through the gateway (replayd); empty when auth is off. */
    java.util.Optional<String> gatewayKey();
}
