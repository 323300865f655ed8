package org.recsys.core.sequential;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Initial parameters from a seeded {@link Random}, so a seed fixes them on any machine: embeddings and weights from
 * a normal distribution with standard deviation 0.02 cut at two deviations (as BERT), norms at weight 1, biases 0.
 */
final class Initialisation {

    private static final double STD = 0.02;

    private Initialisation() {}

    static Map<String, float[]> of(ModelShape shape, Random random) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (ModelShape.Tensor t : shape.parameters()) {
            float[] values = new float[t.size()];
            if (t.name().endsWith("norm.weight")) {
                Arrays.fill(values, 1f);
            } else if (t.rows() > 1) {
                for (int i = 0; i < values.length; i++) {
                    double g;
                    do {
                        g = random.nextGaussian();
                    } while (Math.abs(g) > 2);
                    values[i] = (float) (g * STD);
                }
            }
            out.put(t.name(), values);
        }
        return out;
    }
}
