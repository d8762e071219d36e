package com.lakehouse.vectord.service;

import com.github.jelmerk.hnswlib.core.DistanceFunction;

import java.util.Locale;

/**
 * The three distances (kernels in {@link Kernels}: JDK Vector API when available, else scalar). Smaller distance = closer. {@code score} is "bigger is better":
 * <ul>
 *   <li>cosine: distance = 1 - cos(a, b) in [0, 2]; score = 1 - distance = cos(a, b).</li>
 *   <li>euclidean: distance = |a - b| (L2, square-rooted); score = 1 / (1 + distance) in (0, 1].</li>
 *   <li>dot: distance = 1 - a.b; score = 1 - distance = a.b (the raw inner product).</li>
 * </ul>
 */
public enum Distance {
    COSINE((DistanceFunction<float[], Float>) Kernels::cosineDistance),
    EUCLIDEAN((DistanceFunction<float[], Float>) Kernels::euclidean),
    DOT((DistanceFunction<float[], Float>) (a, b) -> 1f - Kernels.dot(a, b));

    private final DistanceFunction<float[], Float> function;

    Distance(DistanceFunction<float[], Float> function) {
        this.function = function;
    }

    public DistanceFunction<float[], Float> function() {
        return function;
    }

    public float distance(float[] a, float[] b) {
        return function.distance(a, b);
    }

    public double score(double distance) {
        return this == EUCLIDEAN ? 1.0 / (1.0 + distance) : 1.0 - distance;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The distance for a wire name, or null when unknown. */
    public static Distance parse(String s) {
        if (s == null) {
            return null;
        }
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "cosine" -> COSINE;
            case "euclidean", "l2" -> EUCLIDEAN;
            case "dot", "ip", "inner_product" -> DOT;
            default -> null;
        };
    }
}
