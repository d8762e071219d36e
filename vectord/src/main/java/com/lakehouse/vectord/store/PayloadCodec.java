package com.lakehouse.vectord.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.vectord.service.Entry;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * vectord's own payload format, "vectord-items" version 1 (no Java serialization, no library class names):
 * <pre>
 * "VDIT" | int format_version (1) | int dimension | int count
 * count x ( int id_len | id utf8 | dimension x float32 | int md_len (-1 = none) | metadata JSON utf8 )
 * "VEND"
 * </pre>
 * All integers and floats big-endian. The HNSW graph is not stored: it is rebuilt on load with the threaded
 * batch insert.
 */
public final class PayloadCodec {
    public static final String FORMAT = "vectord-items";
    public static final int VERSION = 1;
    private static final int MAGIC = 0x56444954; // VDIT
    private static final int END = 0x56454E44; // VEND
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private PayloadCodec() {
    }

    public static void write(OutputStream raw, int dimension, List<Entry> items) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(dimension);
        out.writeInt(items.size());
        ByteBuffer vb = ByteBuffer.allocate(dimension * 4);
        for (Entry e : items) {
            byte[] id = e.id().getBytes(StandardCharsets.UTF_8);
            out.writeInt(id.length);
            out.write(id);
            vb.clear();
            vb.asFloatBuffer().put(e.vector());
            out.write(vb.array());
            if (e.metadata() == null) {
                out.writeInt(-1);
            } else {
                byte[] md = Json.mapper().writeValueAsBytes(e.metadata());
                out.writeInt(md.length);
                out.write(md);
            }
        }
        out.writeInt(END);
        out.flush();
    }

    public static List<Entry> read(InputStream raw, int expectedDimension) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a vectord-items payload (bad magic)");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("unknown vectord-items payload version " + version + " (this build reads " + VERSION + ")");
        }
        int dim = in.readInt();
        if (dim != expectedDimension) {
            throw new IOException("payload dimension " + dim + " differs from the manifest's " + expectedDimension);
        }
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("negative item count");
        }
        List<Entry> out = new ArrayList<>(count);
        byte[] vbytes = new byte[dim * 4];
        for (int i = 0; i < count; i++) {
            int idLen = in.readInt();
            if (idLen < 0 || idLen > 1 << 20) {
                throw new IOException("bad id length " + idLen + " at item " + i);
            }
            byte[] id = new byte[idLen];
            in.readFully(id);
            in.readFully(vbytes);
            float[] v = new float[dim];
            ByteBuffer.wrap(vbytes).asFloatBuffer().get(v);
            int mdLen = in.readInt();
            Map<String, Object> md = null;
            if (mdLen >= 0) {
                byte[] m = new byte[mdLen];
                in.readFully(m);
                md = Json.mapper().readValue(m, MAP);
            }
            out.add(new Entry(new String(id, StandardCharsets.UTF_8), v, md));
        }
        if (in.readInt() != END) {
            throw new IOException("payload has no end marker (truncated?)");
        }
        return out;
    }
}
