package com.lakehouse.matrixd.service;

import io.smallrye.mutiny.Uni;

import java.util.List;

/** Turns texts into vectors (embedd in production). */
public interface Embedder {
    /** {@code model} null = the provider's default. Vectors come back in the order of {@code texts}. */
    Uni<Embedding> embed(List<String> texts, String model);

    record Embedding(String model, int dimension, List<float[]> vectors) {
    }
}
