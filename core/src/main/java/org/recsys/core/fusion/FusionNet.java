package org.recsys.core.fusion;

/**
 * The learned fusion: the chosen features, standardised with the training set's mean and deviation, through one
 * hidden layer of ReLU units into one output. The standardisation is folded into the first layer once, so
 * {@link #raw} is two small loops over primitive arrays.
 * <p>
 * {@link #contributions} says for each input how much the output moves when that feature is set to its training
 * mean with the others unchanged (a network's parts do not add up to its output, unlike a weighted sum's).
 */
public final class FusionNet implements Fusion {

    public static final String TYPE = "learned";
    private static final int FORMAT = 1;

    private final int[] inputs;
    private final int hidden;
    private final double[] mean;
    private final double[] std;
    private final float[] w1;
    private final float[] b1;
    private final float[] w2;
    private final float b2;
    private final double[] foldedW1;
    private final double[] foldedB1;

    /**
     * @param inputs feature ordinals, in input order
     * @param w1     hidden×inputs weights over standardised inputs, row-major
     */
    public FusionNet(int[] inputs, double[] mean, double[] std, float[] w1, float[] b1, float[] w2, float b2) {
        int n = inputs.length;
        this.hidden = b1.length;
        if (n == 0 || mean.length != n || std.length != n || w1.length != hidden * n || w2.length != hidden) {
            throw new IllegalArgumentException("inconsistent fusion network shapes: inputs " + n + ", hidden " + hidden);
        }
        this.inputs = inputs.clone();
        this.mean = mean.clone();
        this.std = std.clone();
        this.w1 = w1.clone();
        this.b1 = b1.clone();
        this.w2 = w2.clone();
        this.b2 = b2;
        this.foldedW1 = new double[hidden * n];
        this.foldedB1 = new double[hidden];
        for (int j = 0; j < hidden; j++) {
            double bias = b1[j];
            for (int i = 0; i < n; i++) {
                double w = w1[j * n + i] / std[i];
                foldedW1[j * n + i] = w;
                bias -= w * mean[i];
            }
            foldedB1[j] = bias;
        }
    }

    /**
     * The network whose output is the feature itself, relu(x) − relu(−x) = x: a learned fusion that keeps the order of
     * one feature exactly (what a fit that did not beat that order on validation serves).
     */
    public static FusionNet identity(FusionFeature feature) {
        return new FusionNet(
            new int[]{ feature.ordinal() },
            new double[]{ 0 },
            new double[]{ 1 },
            new float[]{ 1, -1 },
            new float[]{ 0, 0 },
            new float[]{ 1, -1 },
            0
        );
    }

    /**
     * This network plus {@code offset · feature}, as two more hidden units (relu(x) − relu(−x) = x on the raw feature),
     * so the result is still one {@link FusionNet} that the store and the rescorer take as any other.
     */
    public FusionNet withOffset(FusionFeature feature, double offset) {
        int n = inputs.length;
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = inputs[i] == feature.ordinal() ? i : at;
        }
        if (at < 0) {
            throw new IllegalArgumentException("the network does not read [" + feature.id() + "]");
        }
        int h = hidden + 2;
        float[] nw1 = java.util.Arrays.copyOf(w1, h * n);
        // Over standardised inputs: z·std + mean is the raw feature.
        nw1[hidden * n + at] = (float) std[at];
        nw1[(hidden + 1) * n + at] = (float) -std[at];
        float[] nb1 = java.util.Arrays.copyOf(b1, h);
        nb1[hidden] = (float) mean[at];
        nb1[hidden + 1] = (float) -mean[at];
        float[] nw2 = java.util.Arrays.copyOf(w2, h);
        nw2[hidden] = (float) offset;
        nw2[hidden + 1] = (float) -offset;
        return new FusionNet(inputs, mean, std, nw1, nb1, nw2, b2);
    }

    public int[] inputs() {
        return inputs.clone();
    }

    public int hidden() {
        return hidden;
    }

    /**
     * Four hidden units at a time: each unit's sum is a chain of dependent additions, and four independent chains keep
     * the CPU's pipeline busy; the ReLU as a max has no branch to mispredict. Each unit's sum and the output's are
     * added in the same order as one unit at a time would (0.5 of the time over 110 rows of 6 inputs, 130 units).
     */
    @Override
    public double raw(double[] features) {
        int n = inputs.length;
        double out = b2;
        int j = 0;
        for (; j + 4 <= hidden; j += 4) {
            int o0 = j * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
            double a0 = foldedB1[j], a1 = foldedB1[j + 1], a2 = foldedB1[j + 2], a3 = foldedB1[j + 3];
            for (int i = 0; i < n; i++) {
                double x = features[inputs[i]];
                a0 += foldedW1[o0 + i] * x;
                a1 += foldedW1[o1 + i] * x;
                a2 += foldedW1[o2 + i] * x;
                a3 += foldedW1[o3 + i] * x;
            }
            out += w2[j] * Math.max(a0, 0d);
            out += w2[j + 1] * Math.max(a1, 0d);
            out += w2[j + 2] * Math.max(a2, 0d);
            out += w2[j + 3] * Math.max(a3, 0d);
        }
        for (; j < hidden; j++) {
            double a = foldedB1[j];
            for (int i = 0; i < n; i++) {
                a += foldedW1[j * n + i] * features[inputs[i]];
            }
            out += w2[j] * Math.max(a, 0d);
        }
        return out;
    }

    @Override
    public void contributions(double[] features, double[] out) {
        java.util.Arrays.fill(out, 0d);
        double full = raw(features);
        double[] atMean = features.clone();
        for (int i = 0; i < inputs.length; i++) {
            int f = inputs[i];
            atMean[f] = mean[i];
            out[f] = full - raw(atMean);
            atMean[f] = features[f];
        }
    }

    @Override
    public boolean reads(FusionFeature feature) {
        for (int input : inputs) {
            if (input == feature.ordinal()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String toString() {
        String[] names = new String[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            names[i] = FusionFeature.values()[inputs[i]].id();
        }
        return TYPE + java.util.Arrays.toString(names) + " with " + hidden + " hidden units";
    }

    /** The network as floats, for the model store: format, sizes, inputs, mean, std, w1, b1, w2, b2. */
    public float[] toFloats() {
        int n = inputs.length;
        float[] out = new float[3 + 3 * n + hidden * n + 2 * hidden + 1];
        int p = 0;
        out[p++] = FORMAT;
        out[p++] = n;
        out[p++] = hidden;
        for (int i = 0; i < n; i++) {
            out[p++] = inputs[i];
        }
        for (int i = 0; i < n; i++) {
            out[p++] = (float) mean[i];
        }
        for (int i = 0; i < n; i++) {
            out[p++] = (float) std[i];
        }
        System.arraycopy(w1, 0, out, p, w1.length);
        p += w1.length;
        System.arraycopy(b1, 0, out, p, hidden);
        p += hidden;
        System.arraycopy(w2, 0, out, p, hidden);
        p += hidden;
        out[p] = b2;
        return out;
    }

    public static FusionNet fromFloats(float[] in) {
        if (in.length < 3 || in[0] != FORMAT) {
            throw new IllegalArgumentException("not a stored fusion network (format " + (in.length == 0 ? "none" : in[0]) + ")");
        }
        int n = (int) in[1];
        int hidden = (int) in[2];
        if (in.length != 3 + 3 * n + hidden * n + 2 * hidden + 1) {
            throw new IllegalArgumentException("stored fusion network has " + in.length + " numbers; its sizes need another count");
        }
        int p = 3;
        int[] inputs = new int[n];
        double[] mean = new double[n];
        double[] std = new double[n];
        for (int i = 0; i < n; i++) {
            inputs[i] = (int) in[p++];
        }
        for (int i = 0; i < n; i++) {
            mean[i] = in[p++];
        }
        for (int i = 0; i < n; i++) {
            std[i] = in[p++];
        }
        float[] w1 = java.util.Arrays.copyOfRange(in, p, p + hidden * n);
        p += hidden * n;
        float[] b1 = java.util.Arrays.copyOfRange(in, p, p + hidden);
        p += hidden;
        float[] w2 = java.util.Arrays.copyOfRange(in, p, p + hidden);
        p += hidden;
        return new FusionNet(inputs, mean, std, w1, b1, w2, in[p]);
    }
}
