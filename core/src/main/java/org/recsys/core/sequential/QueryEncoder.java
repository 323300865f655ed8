package org.recsys.core.sequential;

import java.util.Map;

/**
 * The forward pass of {@link SequentialNetwork} in plain Java, for one history at inference (no dropout, no autograd):
 * the history's tokens then the mask, and the mask's final hidden state is the query. The last layer is computed for
 * the mask's row only, since no other row is read after it. Buffers are per call: a query is a few hundred rows.
 */
final class QueryEncoder {

    private final ModelShape shape;
    private final float[] tokenEmbedding;
    private final float[] positionEmbedding;
    private final Layer[] layers;
    private final float[] finalNormWeight;
    private final float[] finalNormBias;

    private record Layer(
        float[] attentionNormWeight,
        float[] attentionNormBias,
        float[] query,
        float[] queryBias,
        float[] key,
        float[] keyBias,
        float[] value,
        float[] valueBias,
        float[] output,
        float[] outputBias,
        float[] feedForwardNormWeight,
        float[] feedForwardNormBias,
        float[] in,
        float[] inBias,
        float[] out,
        float[] outBias
    ) {}

    QueryEncoder(ModelShape shape, Map<String, float[]> p) {
        this.shape = shape;
        this.tokenEmbedding = p.get("token_embedding");
        this.positionEmbedding = p.get("position_embedding");
        this.layers = new Layer[shape.layers()];
        for (int l = 0; l < layers.length; l++) {
            String n = "layer." + l + ".";
            layers[l] = new Layer(
                p.get(n + "attention_norm.weight"),
                p.get(n + "attention_norm.bias"),
                p.get(n + "query.weight"),
                p.get(n + "query.bias"),
                p.get(n + "key.weight"),
                p.get(n + "key.bias"),
                p.get(n + "value.weight"),
                p.get(n + "value.bias"),
                p.get(n + "output.weight"),
                p.get(n + "output.bias"),
                p.get(n + "feed_forward_norm.weight"),
                p.get(n + "feed_forward_norm.bias"),
                p.get(n + "feed_forward_in.weight"),
                p.get(n + "feed_forward_in.bias"),
                p.get(n + "feed_forward_out.weight"),
                p.get(n + "feed_forward_out.bias")
            );
        }
        this.finalNormWeight = p.get("final_norm.weight");
        this.finalNormBias = p.get("final_norm.bias");
    }

    /** {@code [q, 1]} for item indices, oldest first; the caller checks the length ({@link ModelShape#maxHistory()}) and the indices. */
    float[] encode(int[] history) {
        int d = shape.hidden();
        // A masked model reads a mask after the history; a causal one the history's last item.
        int length = shape.causal() ? history.length : history.length + 1;
        float[] x = new float[length * d];
        for (int t = 0; t < length; t++) {
            int token = t < history.length ? history[t] + 1 : shape.maskToken();
            int position = length - 1 - t;
            for (int j = 0; j < d; j++) {
                x[t * d + j] = tokenEmbedding[token * d + j] + positionEmbedding[position * d + j];
            }
        }
        float[] normed = new float[length * d];
        float[] q = new float[length * d];
        float[] k = new float[length * d];
        float[] v = new float[length * d];
        float[] context = new float[length * d];
        float[] scores = new float[length];
        float[] inner = new float[shape.feedForward()];
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            // After the last layer only the mask's row is read, so that layer updates that row alone.
            int first = l == layers.length - 1 ? length - 1 : 0;
            for (int t = 0; t < length; t++) {
                layerNorm(x, t * d, d, layer.attentionNormWeight, layer.attentionNormBias, normed, t * d);
                linear(normed, t * d, layer.key, layer.keyBias, d, d, k, t * d);
                linear(normed, t * d, layer.value, layer.valueBias, d, d, v, t * d);
            }
            for (int t = first; t < length; t++) {
                linear(normed, t * d, layer.query, layer.queryBias, d, d, q, t * d);
                attend(q, k, v, t, shape.causal() ? t + 1 : length, scores, context);
                linearAdd(context, t * d, layer.output, layer.outputBias, d, d, x, t * d);
                layerNorm(x, t * d, d, layer.feedForwardNormWeight, layer.feedForwardNormBias, normed, t * d);
                linear(normed, t * d, layer.in, layer.inBias, d, inner.length, inner, 0);
                for (int j = 0; j < inner.length; j++) {
                    inner[j] = gelu(inner[j]);
                }
                linearAdd(inner, 0, layer.out, layer.outBias, inner.length, d, x, t * d);
            }
        }
        float[] query = new float[d + 1];
        layerNorm(x, (length - 1) * d, d, finalNormWeight, finalNormBias, query, 0);
        query[d] = 1f;
        return query;
    }

    /** Multi-head attention of row t over rows {@code 0..length-1} (a query has no padding), into {@code context}'s row t. */
    private void attend(float[] q, float[] k, float[] v, int t, int length, float[] scores, float[] context) {
        int d = shape.hidden();
        int headSize = shape.headSize();
        float scale = (float) (1 / Math.sqrt(headSize));
        for (int h = 0; h < shape.heads(); h++) {
            int offset = h * headSize;
            float max = Float.NEGATIVE_INFINITY;
            for (int s = 0; s < length; s++) {
                float dot = 0;
                for (int j = 0; j < headSize; j++) {
                    dot += q[t * d + offset + j] * k[s * d + offset + j];
                }
                scores[s] = dot * scale;
                max = Math.max(max, scores[s]);
            }
            float sum = 0;
            for (int s = 0; s < length; s++) {
                scores[s] = (float) Math.exp(scores[s] - max);
                sum += scores[s];
            }
            int c = t * d + offset;
            for (int j = 0; j < headSize; j++) {
                context[c + j] = 0;
            }
            for (int s = 0; s < length; s++) {
                float weight = scores[s] / sum;
                for (int j = 0; j < headSize; j++) {
                    context[c + j] += weight * v[s * d + offset + j];
                }
            }
        }
    }

    /** {@code out[o..] = x[xo..] · W + b} with W row-major {@code in × outs}. */
    private static void linear(float[] x, int xo, float[] w, float[] b, int in, int outs, float[] out, int oo) {
        System.arraycopy(b, 0, out, oo, outs);
        accumulate(x, xo, w, in, outs, out, oo);
    }

    /** {@code out[o..] += x[xo..] · W + b}: a residual connection. */
    private static void linearAdd(float[] x, int xo, float[] w, float[] b, int in, int outs, float[] out, int oo) {
        for (int j = 0; j < outs; j++) {
            out[oo + j] += b[j];
        }
        accumulate(x, xo, w, in, outs, out, oo);
    }

    private static void accumulate(float[] x, int xo, float[] w, int in, int outs, float[] out, int oo) {
        for (int i = 0; i < in; i++) {
            float xi = x[xo + i];
            int row = i * outs;
            for (int j = 0; j < outs; j++) {
                out[oo + j] += xi * w[row + j];
            }
        }
    }

    static void layerNorm(float[] x, int xo, int d, float[] weight, float[] bias, float[] out, int oo) {
        float mean = 0;
        for (int j = 0; j < d; j++) {
            mean += x[xo + j];
        }
        mean /= d;
        float variance = 0;
        for (int j = 0; j < d; j++) {
            float c = x[xo + j] - mean;
            variance += c * c;
        }
        float inv = (float) (1 / Math.sqrt(variance / d + ModelShape.LAYER_NORM_EPS));
        for (int j = 0; j < d; j++) {
            out[oo + j] = (x[xo + j] - mean) * inv * weight[j] + bias[j];
        }
    }

    /** GELU, tanh form; {@link SequentialNetwork} uses the same form. */
    static float gelu(float x) {
        return 0.5f * x * (1f + (float) Math.tanh(GELU_C * (x + 0.044715f * x * x * x)));
    }

    static final float GELU_C = (float) Math.sqrt(2 / Math.PI);
}
