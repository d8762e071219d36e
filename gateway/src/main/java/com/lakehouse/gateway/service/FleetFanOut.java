package com.lakehouse.gateway.service;

import com.lakehouse.contracts.fleet.Daemons;
import io.smallrye.mutiny.Uni;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Asks the whole fleet something in parallel, one answer per daemon in DESIGN order: the gateway answers for
 * itself, every other daemon is asked at each replica base URL the proxy uses ({@link Upstreams}) and its replicas'
 * answers are combined into one. Fleet health and fleet metrics both go through here, so they always agree on
 * which daemons and which URLs make up the fleet.
 */
public final class FleetFanOut {
    private FleetFanOut() {
    }

    /**
     * @param self       the gateway's own answer (computed in-process, never over the network)
     * @param perReplica the question to one replica; must not fail (turn failures into an answer)
     * @param combine    daemon name and its replicas' answers, in the configured order, into the daemon's answer
     */
    public static <R, T> Uni<List<T>> perDaemon(Upstreams upstreams, Supplier<T> self, Function<URI, Uni<R>> perReplica,
                                                BiFunction<String, List<R>, T> combine) {
        List<Uni<T>> all = new ArrayList<>();
        for (Daemons.Daemon d : Daemons.ALL) {
            if (RoutingTable.SELF.equals(d.name())) {
                all.add(Uni.createFrom().item(self));
                continue;
            }
            List<Uni<R>> replicas = upstreams.get(d.name()).bases().stream().map(perReplica).toList();
            all.add(Uni.join().all(replicas).andFailFast().map(results -> combine.apply(d.name(), results)));
        }
        return Uni.join().all(all).andFailFast();
    }
}
