package org.recsys.core.melu;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The analytic gradient and Hessian-vector product against central finite differences (the step is small enough
 * that no ReLU of this fixture changes sides; the nearest pre-activation is 0.006 from zero).
 */
class DecisionNetworkTest {

    private static final int ROWS = 3;
    private static final float EPS = 1e-3f;

    private final DecisionNetwork net = new DecisionNetwork(6, 5, 4);
    private final Random random = new Random(3);
    private final float[] w = randoms(net.size, 0.5f);
    private final float[] x = randoms(ROWS * net.in, 1f);
    private final float[] target = { 1f, 3f, 5f };
    private final DecisionNetwork.Workspace ws = new DecisionNetwork.Workspace(net);

    private float[] randoms(int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian() * scale;
        }
        return a;
    }

    private double loss(float[] weights, float[] inputs) {
        net.forward(weights, 0, inputs, ROWS, ws);
        return DecisionNetwork.loss(target, ROWS, ws);
    }

    /** The weight gradient (into the returned array) and the input gradient (into {@code dx}). */
    private float[] gradient(float[] weights, float[] dx) {
        float[] g = new float[net.size];
        net.forward(weights, 0, x, ROWS, ws);
        net.backward(weights, 0, x, target, ROWS, ws, g, 0, dx);
        return g;
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        float[] dx = new float[x.length];
        float[] g = gradient(w, dx);
        for (int p = 0; p < net.size; p++) {
            float[] plus = w.clone();
            float[] minus = w.clone();
            plus[p] += EPS;
            minus[p] -= EPS;
            assertClose((loss(plus, x) - loss(minus, x)) / (2 * EPS), g[p], "weight " + p);
        }
        for (int i = 0; i < x.length; i++) {
            float[] plus = x.clone();
            float[] minus = x.clone();
            plus[i] += EPS;
            minus[i] -= EPS;
            assertClose((loss(w, plus) - loss(w, minus)) / (2 * EPS), dx[i], "input " + i);
        }
    }

    @Test
    void hessianVectorMatchesFiniteDifferencesOfTheGradient() {
        float[] v = randoms(net.size, 1f);
        float[] hv = new float[net.size];
        float[] rdx = new float[x.length];
        net.forward(w, 0, x, ROWS, ws);
        net.hessianVector(w, 0, x, target, ROWS, v, ws, hv, rdx);

        float[] plus = w.clone();
        float[] minus = w.clone();
        for (int p = 0; p < net.size; p++) {
            plus[p] += EPS * v[p];
            minus[p] -= EPS * v[p];
        }
        float[] dxPlus = new float[x.length];
        float[] dxMinus = new float[x.length];
        float[] gPlus = gradient(plus, dxPlus);
        float[] gMinus = gradient(minus, dxMinus);
        for (int p = 0; p < net.size; p++) {
            assertClose((gPlus[p] - gMinus[p]) / (2 * EPS), hv[p], "H·v at weight " + p);
        }
        for (int i = 0; i < x.length; i++) {
            assertClose((dxPlus[i] - dxMinus[i]) / (2 * EPS), rdx[i], "mixed term at input " + i);
        }
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 3e-3 + 3e-3 * Math.abs(expected), what);
    }
}
