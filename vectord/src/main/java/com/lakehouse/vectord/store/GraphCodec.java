package com.lakehouse.vectord.store;

import com.lakehouse.vectord.service.GraphSnapshot;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * vectord's graph payload, "vectord-graph" version 1: the HNSW structure of a generation, so a restore installs
 * it instead of rebuilding (minutes at a million vectors). Like the items payload it is our own format, with no
 * library class names; it is derived data, so a graph that is missing, of an unknown version or damaged only
 * costs a rebuild from the generation's verified items.
 * <pre>
 * "VDGR" | int format_version (1) | int dimension | int node_count | int entry_point (-1 = empty)
 * node_count x ( byte kind (0 empty slot, 1 live, 2 tombstone) [ int id_len | id utf8
 *                | (tombstone only) dimension x float32 | byte levels | levels x ( int n | n x int neighbour ) ] )
 * "VGND"
 * </pre>
 * All integers and floats big-endian.
 */
public final class GraphCodec {
    public static final String FORMAT = "vectord-graph";
    public static final int VERSION = 1;
    private static final int MAGIC = 0x56444752; // VDGR
    private static final int END = 0x56474E44; // VGND
    private static final int MAX_LEVELS = 64;

    private GraphCodec() {
    }

    public static void write(OutputStream raw, int dimension, GraphSnapshot g) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(dimension);
        out.writeInt(g.nodeCount());
        out.writeInt(g.entryPoint());
        ByteBuffer vb = ByteBuffer.allocate(dimension * 4);
        for (int i = 0; i < g.nodeCount(); i++) {
            String id = g.ids()[i];
            if (id == null) {
                out.writeByte(0);
                continue;
            }
            boolean tomb = g.deleted()[i];
            out.writeByte(tomb ? 2 : 1);
            byte[] idb = id.getBytes(StandardCharsets.UTF_8);
            out.writeInt(idb.length);
            out.write(idb);
            if (tomb) {
                vb.clear();
                vb.asFloatBuffer().put(g.tombstoneVectors()[i]);
                out.write(vb.array());
            }
            int[][] levels = g.connections()[i];
            out.writeByte(levels.length);
            for (int[] nb : levels) {
                out.writeInt(nb.length);
                for (int x : nb) {
                    out.writeInt(x);
                }
            }
        }
        out.writeInt(END);
        out.flush();
    }

    public static GraphSnapshot read(InputStream raw, int expectedDimension) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a vectord-graph payload (bad magic)");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("unknown vectord-graph payload version " + version + " (this build reads " + VERSION + ")");
        }
        int dim = in.readInt();
        if (dim != expectedDimension) {
            throw new IOException("graph dimension " + dim + " differs from the manifest's " + expectedDimension);
        }
        int count = in.readInt();
        int entry = in.readInt();
        if (count < 0 || entry < -1 || entry >= Math.max(count, 1)) {
            throw new IOException("bad graph header: " + count + " nodes, entry point " + entry);
        }
        String[] ids = new String[count];
        boolean[] deleted = new boolean[count];
        float[][] tomb = new float[count][];
        int[][][] conns = new int[count][][];
        byte[] vbytes = new byte[dim * 4];
        for (int i = 0; i < count; i++) {
            int kind = in.readByte();
            if (kind == 0) {
                continue;
            }
            if (kind != 1 && kind != 2) {
                throw new IOException("bad node kind " + kind + " at node " + i);
            }
            int idLen = in.readInt();
            if (idLen < 0 || idLen > 1 << 20) {
                throw new IOException("bad id length " + idLen + " at node " + i);
            }
            byte[] idb = new byte[idLen];
            in.readFully(idb);
            ids[i] = new String(idb, StandardCharsets.UTF_8);
            if (kind == 2) {
                deleted[i] = true;
                in.readFully(vbytes);
                float[] v = new float[dim];
                ByteBuffer.wrap(vbytes).asFloatBuffer().get(v);
                tomb[i] = v;
            }
            int levels = in.readByte();
            if (levels < 1 || levels > MAX_LEVELS) {
                throw new IOException("bad level count " + levels + " at node " + i);
            }
            conns[i] = new int[levels][];
            for (int l = 0; l < levels; l++) {
                int n = in.readInt();
                if (n < 0 || n > count) {
                    throw new IOException("bad neighbour count " + n + " at node " + i + " level " + l);
                }
                int[] nb = new int[n];
                for (int k = 0; k < n; k++) {
                    nb[k] = in.readInt();
                }
                conns[i][l] = nb;
            }
        }
        if (in.readInt() != END) {
            throw new IOException("graph payload has no end marker (truncated?)");
        }
        return new GraphSnapshot(count, entry, ids, deleted, tomb, conns);
    }
}
