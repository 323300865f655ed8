package org.recsys.core.melu;

import org.recsys.core.vector.FlatVectors;

import java.util.Arrays;

/**
 * The decision layers {@code in → h1 → h2 → 1} with ReLU, as one flat weight block (W1 row-major, b1, W2, b2, w3,
 * b3) read at an offset, so global parameters and fast weights use the same code. Loss: mean squared error over
 * the rows. Besides the gradient it computes exact Hessian-vector products (Pearlmutter's R-operator), which the
 * second-order meta-gradient needs; ReLU's second derivative is zero almost everywhere.
 */
final class DecisionNetwork {

    /** Activations of the last {@link #forward} and per-row scratch; one per thread. */
    static final class Workspace {
        float[] z1 = new float[0];
        float[] z2 = new float[0];
        float[] y = new float[0];
        private final float[] d1;
        private final float[] r1;
        private final float[] r2;
        private final float[] rd1;

        Workspace(DecisionNetwork net) {
            d1 = new float[net.h1];
            r1 = new float[net.h1];
            r2 = new float[net.h2];
            rd1 = new float[net.h1];
        }

        void ensure(DecisionNetwork net, int rows) {
            if (y.length < rows) {
                int n = Math.max(rows, 2 * y.length);
                z1 = new float[n * net.h1];
                z2 = new float[n * net.h2];
                y = new float[n];
            }
        }
    }

    final int in;
    final int h1;
    final int h2;
    final int w1;
    final int b1;
    final int w2;
    final int b2;
    final int w3;
    final int b3;
    final int size;

    DecisionNetwork(int in, int h1, int h2) {
        this.in = in;
        this.h1 = h1;
        this.h2 = h2;
        w1 = 0;
        b1 = w1 + h1 * in;
        w2 = b1 + h1;
        b2 = w2 + h2 * h1;
        w3 = b2 + h2;
        b3 = w3 + h2;
        size = b3 + 1;
    }

    /** Outputs of {@code n} input rows ({@code x} row i at {@code i · in}) into {@code ws.y}, activations kept. */
    void forward(float[] w, int o, float[] x, int n, Workspace ws) {
        ws.ensure(this, n);
        for (int i = 0; i < n; i++) {
            ws.y[i] = forwardRow(w, o, x, i * in, ws.z1, i * h1, ws.z2, i * h2);
        }
    }

    /** One row; {@code z1}, {@code z2} receive the hidden activations. */
    float forwardRow(float[] w, int o, float[] x, int xOffset, float[] z1, int z1Offset, float[] z2, int z2Offset) {
        for (int k = 0; k < h1; k++) {
            z1[z1Offset + k] = Math.max(0f, w[o + b1 + k] + FlatVectors.dot(w, o + w1 + k * in, x, xOffset, in));
        }
        for (int j = 0; j < h2; j++) {
            z2[z2Offset + j] = Math.max(0f, w[o + b2 + j] + FlatVectors.dot(w, o + w2 + j * h1, z1, z1Offset, h1));
        }
        return w[o + b3] + FlatVectors.dot(w, o + w3, z2, z2Offset, h2);
    }

    /**
     * This network with its first {@code width} inputs fixed to {@code x}, as a network {@code rest} of the other
     * inputs: the fixed inputs' share of the first layer joins its biases, every other weight is copied. Written
     * into {@code out} at {@code rest}'s layout; {@code rest} has this network's hidden sizes.
     */
    void fixInputs(float[] w, int o, float[] x, int width, DecisionNetwork rest, float[] out) {
        if (rest.in != in - width || rest.h1 != h1 || rest.h2 != h2) {
            throw new IllegalArgumentException(
                "network [" + rest.in + ", " + rest.h1 + ", " + rest.h2 + "] is not this one without " + width + " inputs"
            );
        }
        for (int k = 0; k < h1; k++) {
            out[rest.b1 + k] = w[o + b1 + k] + FlatVectors.dot(w, o + w1 + k * in, x, 0, width);
            System.arraycopy(w, o + w1 + k * in + width, out, rest.w1 + k * rest.in, rest.in);
        }
        // W2, b2, w3 and b3 lie in the same order in both layouts.
        System.arraycopy(w, o + w2, out, rest.w2, size - w2);
    }

    /** Mean squared error of the last {@link #forward} against {@code target}. */
    static double loss(float[] target, int n, Workspace ws) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = ws.y[i] - target[i];
            sum += e * e;
        }
        return n == 0 ? 0 : sum / n;
    }

    /**
     * Adds the gradient of the loss of the last {@link #forward} (at weights {@code w}) to {@code g} (weights' layout
     * from {@code go}) and, when {@code dx} is not null, the gradient with respect to each input row to {@code dx}.
     */
    void backward(float[] w, int o, float[] x, float[] target, int n, Workspace ws, float[] g, int go, float[] dx) {
        float[] d1 = ws.d1;
        for (int i = 0; i < n; i++) {
            int xo = i * in;
            int z1o = i * h1;
            int z2o = i * h2;
            float dy = 2f * (ws.y[i] - target[i]) / n;
            FlatVectors.axpy(dy, ws.z2, z2o, g, go + w3, h2);
            g[go + b3] += dy;
            Arrays.fill(d1, 0f);
            for (int j = 0; j < h2; j++) {
                float d = ws.z2[z2o + j] > 0 ? dy * w[o + w3 + j] : 0f;
                if (d != 0f) {
                    g[go + b2 + j] += d;
                    FlatVectors.axpy(d, ws.z1, z1o, g, go + w2 + j * h1, h1);
                    FlatVectors.axpy(d, w, o + w2 + j * h1, d1, 0, h1);
                }
            }
            for (int k = 0; k < h1; k++) {
                float d = ws.z1[z1o + k] > 0 ? d1[k] : 0f;
                if (d != 0f) {
                    g[go + b1 + k] += d;
                    FlatVectors.axpy(d, x, xo, g, go + w1 + k * in, in);
                    if (dx != null) {
                        FlatVectors.axpy(d, w, o + w1 + k * in, dx, xo, in);
                    }
                }
            }
        }
    }

    /**
     * At the weights of the last {@link #forward}: adds H·v (H the Hessian of the loss in the weights) to {@code hv},
     * and the derivative of (gradient · v) with respect to each input row to {@code rdx}.
     */
    void hessianVector(float[] w, int o, float[] x, float[] target, int n, float[] v, Workspace ws, float[] hv, float[] rdx) {
        float[] d1 = ws.d1;
        float[] r1 = ws.r1;
        float[] r2 = ws.r2;
        float[] rd1 = ws.rd1;
        for (int i = 0; i < n; i++) {
            int xo = i * in;
            int z1o = i * h1;
            int z2o = i * h2;
            // R-forward: directional derivatives of the activations along v (inputs fixed).
            for (int k = 0; k < h1; k++) {
                r1[k] = ws.z1[z1o + k] > 0 ? v[b1 + k] + FlatVectors.dot(v, w1 + k * in, x, xo, in) : 0f;
            }
            for (int j = 0; j < h2; j++) {
                r2[j] = ws.z2[z2o + j] > 0
                    ? v[b2 + j] + FlatVectors.dot(v, w2 + j * h1, ws.z1, z1o, h1) + FlatVectors.dot(w, o + w2 + j * h1, r1, 0, h1)
                    : 0f;
            }
            float ry = v[b3] + FlatVectors.dot(v, w3, ws.z2, z2o, h2) + FlatVectors.dot(w, o + w3, r2, 0, h2);
            float dy = 2f * (ws.y[i] - target[i]) / n;
            float rdy = 2f * ry / n;
            // R-backward: directional derivatives of the gradient.
            FlatVectors.axpy(rdy, ws.z2, z2o, hv, w3, h2);
            FlatVectors.axpy(dy, r2, 0, hv, w3, h2);
            hv[b3] += rdy;
            Arrays.fill(d1, 0f);
            Arrays.fill(rd1, 0f);
            for (int j = 0; j < h2; j++) {
                if (ws.z2[z2o + j] <= 0) {
                    continue;
                }
                float d = dy * w[o + w3 + j];
                float rd = v[w3 + j] * dy + w[o + w3 + j] * rdy;
                hv[b2 + j] += rd;
                FlatVectors.axpy(rd, ws.z1, z1o, hv, w2 + j * h1, h1);
                FlatVectors.axpy(d, r1, 0, hv, w2 + j * h1, h1);
                FlatVectors.axpy(d, v, w2 + j * h1, rd1, 0, h1);
                FlatVectors.axpy(rd, w, o + w2 + j * h1, rd1, 0, h1);
                FlatVectors.axpy(d, w, o + w2 + j * h1, d1, 0, h1);
            }
            for (int k = 0; k < h1; k++) {
                if (ws.z1[z1o + k] <= 0) {
                    continue;
                }
                hv[b1 + k] += rd1[k];
                FlatVectors.axpy(rd1[k], x, xo, hv, w1 + k * in, in);
                FlatVectors.axpy(d1[k], v, w1 + k * in, rdx, xo, in);
                FlatVectors.axpy(rd1[k], w, o + w1 + k * in, rdx, xo, in);
            }
        }
    }
}
