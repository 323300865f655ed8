package org.recsys.core.melu;

import java.util.Arrays;

/** The local adaptation: plain SGD steps on the decision layers only, over one user's support rows. */
final class LocalUpdate {

    private LocalUpdate() {}

    /**
     * The decision weights before and after each step: element 0 is a copy of {@code w[o..]}, element k the weights
     * after k steps. {@code x} holds the support input rows; embeddings are inputs here, so they never change.
     */
    static float[][] trajectory(
        DecisionNetwork net,
        float[] w,
        int o,
        float[] x,
        float[] target,
        int n,
        int steps,
        float lr,
        DecisionNetwork.Workspace ws
    ) {
        float[][] weights = new float[steps + 1][];
        weights[0] = new float[net.size];
        System.arraycopy(w, o, weights[0], 0, net.size);
        float[] grad = new float[net.size];
        for (int k = 0; k < steps; k++) {
            float[] current = weights[k];
            net.forward(current, 0, x, n, ws);
            Arrays.fill(grad, 0f);
            net.backward(current, 0, x, target, n, ws, grad, 0, null);
            float[] next = current.clone();
            for (int p = 0; p < next.length; p++) {
                next[p] -= lr * grad[p];
            }
            weights[k + 1] = next;
        }
        return weights;
    }
}
