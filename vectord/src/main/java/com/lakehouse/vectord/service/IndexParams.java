package com.lakehouse.vectord.service;

/** What an index is: fixed at creation (m and efConstruction change only through a rebuild). */
public record IndexParams(String name, int dimension, Distance distance, int m, int efConstruction, int efSearch) {
    public IndexParams withGraph(int newM, int newEfConstruction, int newEfSearch) {
        return new IndexParams(name, dimension, distance, newM, newEfConstruction, newEfSearch);
    }
}
