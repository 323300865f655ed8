package org.recsys.core.melu;

/** Adam (Kingma and Ba) with PyTorch's defaults: β1 0.9, β2 0.999, ε 1e-8, bias-corrected moments. */
final class Adam {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final float lr;
    private final float[] m;
    private final float[] v;
    private int t;

    Adam(float lr, int size) {
        this.lr = lr;
        this.m = new float[size];
        this.v = new float[size];
    }

    void step(float[] params, float[] grad) {
        t++;
        float b1 = (float) BETA1;
        float b2 = (float) BETA2;
        float stepSize = (float) (lr / (1 - Math.pow(BETA1, t)));
        float correction2 = (float) Math.sqrt(1 - Math.pow(BETA2, t));
        for (int p = 0; p < params.length; p++) {
            float g = grad[p];
            m[p] = b1 * m[p] + (1 - b1) * g;
            v[p] = b2 * v[p] + (1 - b2) * g * g;
            params[p] -= stepSize * m[p] / ((float) Math.sqrt(v[p]) / correction2 + (float) EPSILON);
        }
    }
}
