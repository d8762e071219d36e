package com.lakehouse.vectord.service;

import com.github.jelmerk.hnswlib.core.hnsw.HnswIndex;
import org.eclipse.collections.api.list.primitive.MutableIntList;
import org.eclipse.collections.api.map.primitive.MutableObjectIntMap;
import org.eclipse.collections.api.map.primitive.MutableObjectLongMap;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Reads and writes the graph structure of a jelmerk hnswlib-core {@link HnswIndex} (version 1.2.x) so a restore
 * can skip the rebuild. The library offers only Java serialization of its own classes, which the storage format
 * must not depend on, so this copies the structure field by field into a {@link GraphSnapshot} (our format, see
 * store.GraphCodec) and back. It reaches private fields: if a library upgrade renames them, {@link #AVAILABLE}
 * is false (or import throws) and callers rebuild the graph from the items instead, which is always correct.
 */
final class HnswGraphs {
    private static final String NODE = "com.github.jelmerk.hnswlib.core.hnsw.HnswIndex$Node";
    private static final Field NODES;
    private static final Field NODE_COUNT;
    private static final Field ENTRY_POINT;
    private static final Field LOOKUP;
    private static final Field DELETED_VERSIONS;
    private static final Field MAX_M;
    private static final Field MAX_M0;
    private static final Field NODE_ID;
    private static final Field NODE_CONNECTIONS;
    private static final Field NODE_ITEM;
    private static final Field NODE_DELETED;
    private static final Constructor<?> NODE_CTOR;
    /** Whether this library version has the fields this class needs. */
    static final boolean AVAILABLE;

    static {
        Field[] f = new Field[11];
        Constructor<?> ctor = null;
        boolean ok;
        try {
            Class<?> node = Class.forName(NODE, false, HnswIndex.class.getClassLoader());
            f[0] = field(HnswIndex.class, "nodes");
            f[1] = field(HnswIndex.class, "nodeCount");
            f[2] = field(HnswIndex.class, "entryPoint");
            f[3] = field(HnswIndex.class, "lookup");
            f[4] = field(HnswIndex.class, "deletedItemVersions");
            f[5] = field(HnswIndex.class, "maxM");
            f[6] = field(HnswIndex.class, "maxM0");
            f[7] = field(node, "id");
            f[8] = field(node, "connections");
            f[9] = field(node, "item");
            f[10] = field(node, "deleted");
            ctor = node.getDeclaredConstructor(int.class, MutableIntList[].class, Object.class, boolean.class);
            ctor.setAccessible(true);
            ok = true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            ok = false;
        }
        NODES = f[0];
        NODE_COUNT = f[1];
        ENTRY_POINT = f[2];
        LOOKUP = f[3];
        DELETED_VERSIONS = f[4];
        MAX_M = f[5];
        MAX_M0 = f[6];
        NODE_ID = f[7];
        NODE_CONNECTIONS = f[8];
        NODE_ITEM = f[9];
        NODE_DELETED = f[10];
        NODE_CTOR = ctor;
        AVAILABLE = ok;
    }

    private HnswGraphs() {
    }

    private static Field field(Class<?> c, String name) throws NoSuchFieldException {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    /** Node slots in use, tombstones included; -1 when the library's fields are not readable. */
    static int nodeCount(HnswIndex<String, float[], Entry, Float> g) {
        if (!AVAILABLE) {
            return -1;
        }
        try {
            return NODE_COUNT.getInt(g);
        } catch (IllegalAccessException e) {
            return -1;
        }
    }

    /** Copies the structure out. The caller excludes writers (holds the index's write lock). */
    static GraphSnapshot export(HnswIndex<String, float[], Entry, Float> g) {
        requireAvailable();
        try {
            int count = NODE_COUNT.getInt(g);
            AtomicReferenceArray<?> nodes = (AtomicReferenceArray<?>) NODES.get(g);
            Object entry = ENTRY_POINT.get(g);
            String[] ids = new String[count];
            boolean[] deleted = new boolean[count];
            float[][] tomb = new float[count][];
            int[][][] conns = new int[count][][];
            for (int i = 0; i < count; i++) {
                Object node = nodes.get(i);
                if (node == null) {
                    continue;
                }
                Entry item = (Entry) NODE_ITEM.get(node);
                ids[i] = item.id();
                deleted[i] = NODE_DELETED.getBoolean(node);
                if (deleted[i]) {
                    tomb[i] = item.vector();
                }
                MutableIntList[] levels = (MutableIntList[]) NODE_CONNECTIONS.get(node);
                conns[i] = new int[levels.length][];
                for (int l = 0; l < levels.length; l++) {
                    // The library mutates neighbour lists under per-node locks; writers are excluded here.
                    conns[i][l] = levels[l].toArray();
                }
            }
            return new GraphSnapshot(count, entry == null ? -1 : NODE_ID.getInt(entry), ids, deleted, tomb, conns);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read the HNSW graph: " + e.getMessage(), e);
        }
    }

    /**
     * Installs a snapshot into an empty graph built with the same parameters and a capacity of at least
     * {@code nodeCount}. Live nodes take their item from {@code items} (by id; every live id must be there and
     * every item must have a live node), tombstones get an item made of their stored vector.
     *
     * @throws IllegalStateException when the snapshot does not fit the items or the graph (callers rebuild)
     */
    @SuppressWarnings("unchecked")
    static void install(HnswIndex<String, float[], Entry, Float> g, GraphSnapshot s, Map<String, Entry> items) {
        requireAvailable();
        if (g.size() != 0) {
            throw new IllegalStateException("the graph to install into is not empty");
        }
        if (s.nodeCount() > g.getMaxItemCount()) {
            throw new IllegalStateException("graph capacity " + g.getMaxItemCount() + " < " + s.nodeCount() + " nodes");
        }
        if (s.liveNodes() != items.size()) {
            throw new IllegalStateException("graph has " + s.liveNodes() + " live nodes for " + items.size() + " items");
        }
        try {
            AtomicReferenceArray<Object> nodes = (AtomicReferenceArray<Object>) NODES.get(g);
            MutableObjectIntMap<String> lookup = (MutableObjectIntMap<String>) LOOKUP.get(g);
            MutableObjectLongMap<String> deletedVersions = (MutableObjectLongMap<String>) DELETED_VERSIONS.get(g);
            int maxM = MAX_M.getInt(g);
            int maxM0 = MAX_M0.getInt(g);
            int dim = g.getDimensions();
            for (int i = 0; i < s.nodeCount(); i++) {
                String id = s.ids()[i];
                if (id == null) {
                    continue;
                }
                int[][] levels = s.connections()[i];
                MutableIntList[] lists = new MutableIntList[levels.length];
                for (int l = 0; l < levels.length; l++) {
                    int cap = l == 0 ? maxM0 : maxM;
                    if (levels[l].length > cap) {
                        throw new IllegalStateException("node " + i + " has " + levels[l].length
                                + " neighbours at level " + l + ", more than this graph's " + cap);
                    }
                    IntArrayList list = new IntArrayList(cap);
                    for (int nb : levels[l]) {
                        if (nb < 0 || nb >= s.nodeCount() || s.ids()[nb] == null) {
                            throw new IllegalStateException("node " + i + " links to missing node " + nb);
                        }
                        list.add(nb);
                    }
                    lists[l] = list;
                }
                Entry item;
                if (s.deleted()[i]) {
                    float[] v = s.tombstoneVectors()[i];
                    if (v == null || v.length != dim) {
                        throw new IllegalStateException("tombstone " + i + " has no vector of dimension " + dim);
                    }
                    item = new Entry(id, v, null);
                    deletedVersions.put(id, 0L);
                } else {
                    item = items.get(id);
                    if (item == null) {
                        throw new IllegalStateException("graph node " + i + " names " + id + ", which is not an item");
                    }
                    if (lookup.containsKey(id)) {
                        throw new IllegalStateException("item " + id + " has two live nodes");
                    }
                    lookup.put(id, i);
                }
                nodes.set(i, NODE_CTOR.newInstance(i, lists, item, s.deleted()[i]));
            }
            if (s.entryPoint() >= 0) {
                if (s.entryPoint() >= s.nodeCount() || nodes.get(s.entryPoint()) == null) {
                    throw new IllegalStateException("entry point " + s.entryPoint() + " is not a node");
                }
                ENTRY_POINT.set(g, nodes.get(s.entryPoint()));
            } else if (s.nodeCount() > 0) {
                throw new IllegalStateException("a graph with nodes has no entry point");
            }
            NODE_COUNT.setInt(g, s.nodeCount());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot install the HNSW graph: " + e.getMessage(), e);
        }
    }

    private static void requireAvailable() {
        if (!AVAILABLE) {
            throw new IllegalStateException("this hnswlib-core version does not expose the graph fields vectord reads");
        }
    }
}
