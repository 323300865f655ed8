package org.recsys.core.encoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A small random BERT- or RoBERTa-shaped model written as a Hugging Face directory, with an independent plain-Java
 * reference forward pass in double precision (loops, no DJL) to check {@link SafetensorsTransformer} against.
 */
final class TinyTransformer {

    final String modelType;
    final int hidden = 32, heads = 4, layers = 5, intermediate = 48, vocab = 50, maxPositions = 20, pad = 1;
    final float eps = 1e-5f;
    final Map<String, SafetensorsFile.Tensor> tensors = new java.util.LinkedHashMap<>();

    TinyTransformer(String modelType, long seed) {
        this.modelType = modelType;
        Random random = new Random(seed);
        put("roberta.embeddings.word_embeddings.weight", random, 0.5f, 0f, vocab, hidden);
        put("roberta.embeddings.position_embeddings.weight", random, 0.5f, 0f, maxPositions, hidden);
        put("roberta.embeddings.token_type_embeddings.weight", random, 0.5f, 0f, 1, hidden);
        put("roberta.embeddings.LayerNorm.weight", random, 0.1f, 1f, hidden);
        put("roberta.embeddings.LayerNorm.bias", random, 0.1f, 0f, hidden);
        for (int l = 0; l < layers; l++) {
            String p = "roberta.encoder.layer." + l + ".";
            for (String m : new String[]{
                "attention.self.query",
                "attention.self.key",
                "attention.self.value",
                "attention.output.dense" }) {
                put(p + m + ".weight", random, 0.3f, 0f, hidden, hidden);
                put(p + m + ".bias", random, 0.1f, 0f, hidden);
            }
            put(p + "attention.output.LayerNorm.weight", random, 0.1f, 1f, hidden);
            put(p + "attention.output.LayerNorm.bias", random, 0.1f, 0f, hidden);
            put(p + "intermediate.dense.weight", random, 0.3f, 0f, intermediate, hidden);
            put(p + "intermediate.dense.bias", random, 0.1f, 0f, intermediate);
            put(p + "output.dense.weight", random, 0.3f, 0f, hidden, intermediate);
            put(p + "output.dense.bias", random, 0.1f, 0f, hidden);
            put(p + "output.LayerNorm.weight", random, 0.1f, 1f, hidden);
            put(p + "output.LayerNorm.bias", random, 0.1f, 0f, hidden);
        }
    }

    private void put(String name, Random random, float scale, float center, long... shape) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = center + (float) random.nextGaussian() * scale;
        }
        tensors.put(name, new SafetensorsFile.Tensor(shape, data));
    }

    Path writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), String.format(Locale.ROOT, """
            {"model_type": "%s", "hidden_size": %d, "num_hidden_layers": %d, "num_attention_heads": %d,
             "intermediate_size": %d, "max_position_embeddings": %d, "type_vocab_size": 1,
             "layer_norm_eps": %s, "pad_token_id": %d, "hidden_act": "gelu"}
            """, modelType, hidden, layers, heads, intermediate, maxPositions, eps, pad));
        SafetensorsFile.write(dir.resolve("model.safetensors"), tensors);
        return dir;
    }

    int firstPosition() {
        return modelType.equals("bert") ? 0 : pad + 1;
    }

    /** The reference: one sequence alone, no padding, every step written out. */
    double[] forward(long[] ids, Pooling pooling) {
        int n = ids.length;
        double[][] h = new double[n][hidden];
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < hidden; i++) {
                h[t][i] = w("embeddings.word_embeddings.weight")[(int) ids[t] * hidden + i]
                    + w("embeddings.position_embeddings.weight")[(firstPosition() + t) * hidden + i]
                    + w("embeddings.token_type_embeddings.weight")[i];
            }
        }
        h = layerNorm(h, "embeddings.LayerNorm");
        double[][] top = new double[n][hidden];
        for (int l = 0; l < layers; l++) {
            String p = "encoder.layer." + l + ".";
            double[][] q = linear(h, p + "attention.self.query", hidden);
            double[][] k = linear(h, p + "attention.self.key", hidden);
            double[][] v = linear(h, p + "attention.self.value", hidden);
            int hd = hidden / heads;
            double[][] context = new double[n][hidden];
            for (int head = 0; head < heads; head++) {
                for (int t = 0; t < n; t++) {
                    double[] score = new double[n];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int s = 0; s < n; s++) {
                        for (int d = 0; d < hd; d++) {
                            score[s] += q[t][head * hd + d] * k[s][head * hd + d];
                        }
                        score[s] /= Math.sqrt(hd);
                        max = Math.max(max, score[s]);
                    }
                    double z = 0;
                    for (int s = 0; s < n; s++) {
                        score[s] = Math.exp(score[s] - max);
                        z += score[s];
                    }
                    for (int s = 0; s < n; s++) {
                        for (int d = 0; d < hd; d++) {
                            context[t][head * hd + d] += score[s] / z * v[s][head * hd + d];
                        }
                    }
                }
            }
            double[][] attended =
                layerNorm(add(linear(context, p + "attention.output.dense", hidden), h), p + "attention.output.LayerNorm");
            double[][] inner = linear(attended, p + "intermediate.dense", intermediate);
            for (double[] row : inner) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = 0.5 * row[i] * (1 + erf(row[i] / Math.sqrt(2)));
                }
            }
            h = layerNorm(add(linear(inner, p + "output.dense", hidden), attended), p + "output.LayerNorm");
            if (l >= layers - 4) {
                top = add(top, h);
            }
        }
        double[] out = new double[hidden];
        switch (pooling) {
            case CLS -> out = h[0].clone();
            case MEAN, TOP4_MEAN -> {
                double[][] states = pooling == Pooling.MEAN ? h : top;
                double divisor = pooling == Pooling.MEAN ? n : 4.0 * n;
                for (double[] row : states) {
                    for (int i = 0; i < hidden; i++) {
                        out[i] += row[i] / divisor;
                    }
                }
            }
        }
        return out;
    }

    private float[] w(String name) {
        return tensors.get("roberta." + name).data();
    }

    private double[][] linear(double[][] x, String name, int outSize) {
        float[] weight = w(name + ".weight");
        float[] bias = w(name + ".bias");
        int in = x[0].length;
        double[][] y = new double[x.length][outSize];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < outSize; o++) {
                double s = bias[o];
                for (int i = 0; i < in; i++) {
                    s += weight[o * in + i] * x[t][i];
                }
                y[t][o] = s;
            }
        }
        return y;
    }

    private double[][] layerNorm(double[][] x, String name) {
        float[] gamma = w(name + ".weight");
        float[] beta = w(name + ".bias");
        double[][] y = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            double mean = 0, var = 0;
            for (double v : x[t]) {
                mean += v / x[t].length;
            }
            for (double v : x[t]) {
                var += (v - mean) * (v - mean) / x[t].length;
            }
            y[t] = new double[x[t].length];
            for (int i = 0; i < x[t].length; i++) {
                y[t][i] = (x[t][i] - mean) / Math.sqrt(var + eps) * gamma[i] + beta[i];
            }
        }
        return y;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] c = new double[a.length][a[0].length];
        for (int t = 0; t < a.length; t++) {
            for (int i = 0; i < a[0].length; i++) {
                c[t][i] = a[t][i] + b[t][i];
            }
        }
        return c;
    }

    /** Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7. */
    static double erf(double x) {
        double sign = Math.signum(x);
        x = Math.abs(x);
        double t = 1 / (1 + 0.3275911 * x);
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        return sign * (1 - poly * Math.exp(-x * x));
    }
}
