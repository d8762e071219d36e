package com.lakehouse.vectord.service;

import com.github.jelmerk.hnswlib.core.Item;

import java.util.Map;

/** One stored item; immutable (the vector array is never written after construction). */
public record Entry(String id, float[] vector, Map<String, Object> metadata) implements Item<String, float[]> {
    @Override
    public int dimensions() {
        return vector.length;
    }
}
