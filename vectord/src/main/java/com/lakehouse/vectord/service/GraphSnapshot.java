package com.lakehouse.vectord.service;

/**
 * A copy of an HNSW graph's structure, independent of the library's classes: node {@code i} has an item id, a
 * deleted flag (a tombstone the library keeps for connectivity after a remove or a vector change), its vector
 * when it is a tombstone (live nodes take theirs from the items), and per level the ids of its neighbours.
 *
 * @param nodeCount         how many node slots are in use (ids 0..nodeCount-1; a slot may be empty = null id)
 * @param entryPoint        the node searches start from, -1 when the graph is empty
 * @param ids               item id per node slot (null = empty slot)
 * @param deleted           tombstone flag per node slot
 * @param tombstoneVectors  the vector of each tombstone (null for live nodes and empty slots)
 * @param connections       per node slot, per level, the neighbour node ids (null for empty slots)
 */
public record GraphSnapshot(int nodeCount, int entryPoint, String[] ids, boolean[] deleted,
                            float[][] tombstoneVectors, int[][][] connections) {

    /** Live (not deleted) nodes. */
    public int liveNodes() {
        int n = 0;
        for (int i = 0; i < nodeCount; i++) {
            if (ids[i] != null && !deleted[i]) {
                n++;
            }
        }
        return n;
    }

    /** Tombstones still in the graph (they cost memory and search time until a rebuild). */
    public int tombstones() {
        int n = 0;
        for (int i = 0; i < nodeCount; i++) {
            if (ids[i] != null && deleted[i]) {
                n++;
            }
        }
        return n;
    }
}
