package com.lakehouse.contracts.fleet;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** One {@link OutboundUrlPolicy} per daemon, from its {@link FleetConfig}. */
@Dependent
public class OutboundUrlPolicyProducer {
    @Produces
    @Singleton
    OutboundUrlPolicy policy(FleetConfig fleet) {
        return OutboundUrlPolicy.of(fleet);
    }
}
