package com.lakehouse.chatd.service;

import java.util.List;
import java.util.stream.Collectors;

/** Every provider in a chain failed; answered as 503 problem+json listing each provider's error. */
public class ChainFailedException extends RuntimeException {
    private final List<Attempt> attempts;

    public ChainFailedException(String model, List<Attempt> attempts) {
        super("every provider for '" + model + "' failed: " + attempts.stream()
                .map(a -> a.provider() + "/" + a.model() + ": " + a.status() + (a.error() == null ? "" : " (" + a.error() + ")"))
                .collect(Collectors.joining("; ")));
        this.attempts = List.copyOf(attempts);
    }

    public List<Attempt> attempts() {
        return attempts;
    }
}
