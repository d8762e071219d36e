package com.lakehouse.vectord.service;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API kernels; loaded only when jdk.incubator.vector is in the boot layer (see {@link Kernels}). */
final class SimdKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private SimdKernels() {
    }

    static int lanes() {
        return S.length();
    }

    static float dot(float[] a, float[] b) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        int upper = S.loopBound(a.length);
        for (; i < upper; i += S.length()) {
            acc = FloatVector.fromArray(S, a, i).fma(FloatVector.fromArray(S, b, i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static float cosineDistance(float[] a, float[] b) {
        FloatVector d = FloatVector.zero(S);
        FloatVector na = FloatVector.zero(S);
        FloatVector nb = FloatVector.zero(S);
        int i = 0;
        int upper = S.loopBound(a.length);
        for (; i < upper; i += S.length()) {
            FloatVector va = FloatVector.fromArray(S, a, i);
            FloatVector vb = FloatVector.fromArray(S, b, i);
            d = va.fma(vb, d);
            na = va.fma(va, na);
            nb = vb.fma(vb, nb);
        }
        float sd = d.reduceLanes(VectorOperators.ADD);
        float sa = na.reduceLanes(VectorOperators.ADD);
        float sb = nb.reduceLanes(VectorOperators.ADD);
        for (; i < a.length; i++) {
            sd += a[i] * b[i];
            sa += a[i] * a[i];
            sb += b[i] * b[i];
        }
        return Kernels.finishCosine(sd, sa, sb);
    }

    static float euclidean(float[] a, float[] b) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        int upper = S.loopBound(a.length);
        for (; i < upper; i += S.length()) {
            FloatVector diff = FloatVector.fromArray(S, a, i).sub(FloatVector.fromArray(S, b, i));
            acc = diff.fma(diff, acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < a.length; i++) {
            float x = a[i] - b[i];
            s += x * x;
        }
        return (float) Math.sqrt(s);
    }
}
