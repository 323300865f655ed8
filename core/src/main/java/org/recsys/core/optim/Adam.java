package org.recsys.core.optim;

/**
 * Adam (Kingma and Ba) with PyTorch's defaults: β1 0.9, β2 0.999, ε 1e-8, bias-corrected moments, over one flat array
 * of parameters: MeLU's meta-parameters (float) and the learned fusion's network (double). Each precision keeps the
 * arithmetic its trainer was measured with, so both steps live here and nowhere else. The sequential model's
 * parameters live in PyTorch, where its trainer runs AdamW on the engine's arrays.
 */
public final class Adam {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final double lr;
    private final float[] firstF;
    private final float[] secondF;
    private final double[] firstD;
    private final double[] secondD;
    private int t;

    private Adam(double lr, float[] firstF, float[] secondF, double[] firstD, double[] secondD) {
        this.lr = lr;
        this.firstF = firstF;
        this.secondF = secondF;
        this.firstD = firstD;
        this.secondD = secondD;
    }

    /** Adam over {@code size} float parameters, with float moments. */
    public static Adam ofFloats(float lr, int size) {
        return new Adam(lr, new float[size], new float[size], null, null);
    }

    /** Adam over {@code size} double parameters, with double moments. */
    public static Adam ofDoubles(double lr, int size) {
        return new Adam(lr, null, null, new double[size], new double[size]);
    }

    /** One step of float parameters from their gradient. */
    public void step(float[] params, float[] grad) {
        t++;
        float b1 = (float) BETA1;
        float b2 = (float) BETA2;
        float stepSize = (float) (lr / (1 - Math.pow(BETA1, t)));
        float correction2 = (float) Math.sqrt(1 - Math.pow(BETA2, t));
        for (int p = 0; p < params.length; p++) {
            float g = grad[p];
            firstF[p] = b1 * firstF[p] + (1 - b1) * g;
            secondF[p] = b2 * secondF[p] + (1 - b2) * g * g;
            params[p] -= stepSize * firstF[p] / ((float) Math.sqrt(secondF[p]) / correction2 + (float) EPSILON);
        }
    }

    /** One step of double parameters from a gradient summed over {@code batch} examples, which it then zeroes. */
    public void step(double[] params, double[] gradSum, int batch) {
        t++;
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        for (int i = 0; i < params.length; i++) {
            double g = gradSum[i] / batch;
            firstD[i] = BETA1 * firstD[i] + (1 - BETA1) * g;
            secondD[i] = BETA2 * secondD[i] + (1 - BETA2) * g * g;
            params[i] -= lr * (firstD[i] / c1) / (Math.sqrt(secondD[i] / c2) + EPSILON);
            gradSum[i] = 0;
        }
    }
}
