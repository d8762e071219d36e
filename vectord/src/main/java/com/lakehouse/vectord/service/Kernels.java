package com.lakehouse.vectord.service;

import org.jboss.logging.Logger;

/**
 * Distance kernels. With the JDK Vector API available ({@code --add-modules jdk.incubator.vector} on the
 * command line) they run as SIMD lanes ({@link SimdKernels}); without it, as scalar loops with four
 * accumulators. Same results either way up to float rounding order.
 */
final class Kernels {
    private static final Logger LOG = Logger.getLogger(Kernels.class);
    static final boolean SIMD = simdAvailable();

    private Kernels() {
    }

    private static boolean simdAvailable() {
        if (Boolean.getBoolean("vectord.simd.disabled")) {
            return false;
        }
        try {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                LOG.info("distance kernels: scalar (start the JVM with --add-modules jdk.incubator.vector for SIMD)");
                return false;
            }
            float check = SimdKernels.dot(new float[]{1, 2, 3}, new float[]{4, 5, 6});
            LOG.infof("distance kernels: JDK Vector API, %d float lanes", SimdKernels.lanes());
            return check == 32f;
        } catch (Throwable t) {
            LOG.infof("distance kernels: scalar (Vector API unusable: %s)", t.toString());
            return false;
        }
    }

    static float dot(float[] a, float[] b) {
        if (SIMD) {
            return SimdKernels.dot(a, b);
        }
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        int n = a.length;
        for (; i + 3 < n; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < n; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** 1 - cos(a, b); 1 when either vector is all zeros. */
    static float cosineDistance(float[] a, float[] b) {
        if (SIMD) {
            return SimdKernels.cosineDistance(a, b);
        }
        float d0 = 0, d1 = 0, na0 = 0, na1 = 0, nb0 = 0, nb1 = 0;
        int i = 0;
        int n = a.length;
        for (; i + 1 < n; i += 2) {
            d0 += a[i] * b[i];
            d1 += a[i + 1] * b[i + 1];
            na0 += a[i] * a[i];
            na1 += a[i + 1] * a[i + 1];
            nb0 += b[i] * b[i];
            nb1 += b[i + 1] * b[i + 1];
        }
        for (; i < n; i++) {
            d0 += a[i] * b[i];
            na0 += a[i] * a[i];
            nb0 += b[i] * b[i];
        }
        return finishCosine(d0 + d1, na0 + na1, nb0 + nb1);
    }

    static float finishCosine(float dot, float na, float nb) {
        double denom = Math.sqrt((double) na * nb);
        return denom == 0 ? 1f : (float) (1.0 - dot / denom);
    }

    static float euclidean(float[] a, float[] b) {
        if (SIMD) {
            return SimdKernels.euclidean(a, b);
        }
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        int n = a.length;
        for (; i + 3 < n; i += 4) {
            float x0 = a[i] - b[i];
            float x1 = a[i + 1] - b[i + 1];
            float x2 = a[i + 2] - b[i + 2];
            float x3 = a[i + 3] - b[i + 3];
            s0 += x0 * x0;
            s1 += x1 * x1;
            s2 += x2 * x2;
            s3 += x3 * x3;
        }
        for (; i < n; i++) {
            float x = a[i] - b[i];
            s0 += x * x;
        }
        return (float) Math.sqrt((s0 + s1) + (s2 + s3));
    }
}
