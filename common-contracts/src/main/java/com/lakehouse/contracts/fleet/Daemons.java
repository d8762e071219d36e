package com.lakehouse.contracts.fleet;

import java.util.List;

/** The eleven daemons in DESIGN.md order with their default ports. */
public final class Daemons {
    public record Daemon(String name, int defaultPort) {
    }

    public static final List<Daemon> ALL = List.of(
            new Daemon("gateway", 5100), new Daemon("embedd", 5101), new Daemon("vectord", 5102),
            new Daemon("matrixd", 5103), new Daemon("chatd", 5104), new Daemon("validatord", 5105),
            new Daemon("distilld", 5106), new Daemon("replayd", 5107), new Daemon("observerd", 5108),
            new Daemon("pathwayd", 5109), new Daemon("catalogd", 5110));

    private Daemons() {
    }

    /** The base URL of a daemon by name from the fleet config. */
    public static String url(FleetConfig fleet, String name) {
        return switch (name) {
            case "gateway" -> fleet.gateway();
            case "embedd" -> fleet.embedd();
            case "vectord" -> fleet.vectord();
            case "matrixd" -> fleet.matrixd();
            case "chatd" -> fleet.chatd();
            case "validatord" -> fleet.validatord();
            case "distilld" -> fleet.distilld();
            case "replayd" -> fleet.replayd();
            case "observerd" -> fleet.observerd();
            case "pathwayd" -> fleet.pathwayd();
            case "catalogd" -> fleet.catalogd();
            default -> throw new IllegalArgumentException("unknown daemon " + name);
        };
    }
}
