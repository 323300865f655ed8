package org.recsys.core.melu;

import org.recsys.core.util.Workers;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meta-gradient of a batch of tasks: each task adapted locally, its query loss differentiated at the fast
 * weights, the task gradients averaged and every component clamped to ±{@value #CLAMP}. Task i of a batch writes
 * buffer i and the buffers are summed in order, so the result does not depend on the thread count.
 */
final class MetaStep {

    static final float CLAMP = 10f;

    private final MeluParams params;
    private final ParameterLayout layout;
    private final ItemCatalog catalog;
    private final Workers workers;
    private final Scratch[] scratch;
    private final float[][] buffers;
    private final double[] losses;

    MetaStep(MeluParams params, ParameterLayout layout, ItemCatalog catalog, int maxBatch, Workers workers) {
        this.params = params;
        this.layout = layout;
        this.catalog = catalog;
        this.workers = workers;
        int threads = Math.min(params.threads(), maxBatch);
        scratch = new Scratch[threads];
        for (int w = 0; w < threads; w++) {
            scratch[w] = new Scratch(layout);
        }
        buffers = new float[maxBatch][layout.size];
        losses = new double[maxBatch];
    }

    /** The clamped mean meta-gradient of {@code batch} at {@code weights} into {@code out}; returns the mean query loss. */
    double metaGradient(float[] weights, List<MetaTask> batch, float[] out) {
        AtomicInteger next = new AtomicInteger();
        workers.onEach(scratch.length, worker -> {
            for (int i = next.getAndIncrement(); i < batch.size(); i = next.getAndIncrement()) {
                losses[i] = taskGradient(weights, batch.get(i), scratch[worker], buffers[i]);
            }
        });
        Arrays.fill(out, 0f);
        double loss = 0;
        for (int i = 0; i < batch.size(); i++) {
            float[] b = buffers[i];
            for (int p = 0; p < out.length; p++) {
                out[p] += b[p];
            }
            loss += losses[i];
        }
        float inverse = 1f / batch.size();
        for (int p = 0; p < out.length; p++) {
            out[p] = Math.max(-CLAMP, Math.min(CLAMP, out[p] * inverse));
        }
        return loss / batch.size();
    }

    /**
     * One task's meta-gradient, before averaging and clamping, into {@code g} (cleared first); returns the query loss
     * at the fast weights.
     */
    double taskGradient(float[] weights, MetaTask task, Scratch s, float[] g) {
        DecisionNetwork net = layout.network;
        int in = net.in;
        int ns = task.supportItems().length;
        int nq = task.queryItems().length;
        int steps = params.localSteps();
        s.ensure(in, Math.max(ns, nq));
        layout.embeddings.concat(weights, task.user(), s.user, 0);
        fillInputs(weights, s.user, task.supportItems(), s.support);
        fillInputs(weights, s.user, task.queryItems(), s.query);

        float[][] trajectory =
            LocalUpdate.trajectory(net, weights, layout.dense, s.support, task.supportRatings(), ns, steps, params.localLr(), s.ws);
        float[] fast = trajectory[steps];
        net.forward(fast, 0, s.query, nq, s.ws);
        double loss = DecisionNetwork.loss(task.queryRatings(), nq, s.ws);
        Arrays.fill(g, 0f);
        Arrays.fill(s.dx, 0, nq * in, 0f);
        net.backward(fast, 0, s.query, task.queryRatings(), nq, s.ws, g, layout.dense, s.dx);
        scatterInputs(s.dx, 1f, task.user(), task.queryItems(), g);

        if (params.metaGradient() == MetaGradient.SECOND_ORDER && steps > 0) {
            // v_K = ∂L_q/∂θ_K, v_k = (I − α H_k) v_{k+1}; the embeddings also reach θ_K through the support rows:
            // −α (∂²L_s/∂x∂θ)(θ_k) v_{k+1} per step.
            float[] v = Arrays.copyOfRange(g, layout.dense, layout.size);
            float[] hv = new float[net.size];
            for (int k = steps - 1; k >= 0; k--) {
                net.forward(trajectory[k], 0, s.support, ns, s.ws);
                Arrays.fill(hv, 0f);
                Arrays.fill(s.dx, 0, ns * in, 0f);
                net.hessianVector(trajectory[k], 0, s.support, task.supportRatings(), ns, v, s.ws, hv, s.dx);
                scatterInputs(s.dx, -params.localLr(), task.user(), task.supportItems(), g);
                for (int p = 0; p < v.length; p++) {
                    v[p] -= params.localLr() * hv[p];
                }
            }
            System.arraycopy(v, 0, g, layout.dense, v.length);
        }
        return loss;
    }

    private void fillInputs(float[] weights, float[] user, int[] items, float[] x) {
        int in = layout.network.in;
        for (int r = 0; r < items.length; r++) {
            System.arraycopy(user, 0, x, r * in, user.length);
            layout.embeddings.concat(weights, catalog.features(items[r]), x, r * in + user.length);
        }
    }

    private void scatterInputs(float[] dx, float scale, EncodedFeatures user, int[] items, float[] g) {
        int in = layout.network.in;
        int userWidth = layout.sideWidth(FeatureField.Side.USER);
        for (int r = 0; r < items.length; r++) {
            layout.embeddings.scatter(dx, r * in, scale, user, g);
            layout.embeddings.scatter(dx, r * in + userWidth, scale, catalog.features(items[r]), g);
        }
    }

    /** Per-worker buffers, grown to the largest task seen. */
    static final class Scratch {
        final DecisionNetwork.Workspace ws;
        final float[] user;
        float[] support = new float[0];
        float[] query = new float[0];
        float[] dx = new float[0];

        Scratch(ParameterLayout layout) {
            ws = new DecisionNetwork.Workspace(layout.network);
            user = new float[layout.sideWidth(FeatureField.Side.USER)];
        }

        void ensure(int in, int rows) {
            if (support.length < rows * in) {
                support = new float[rows * in];
                query = new float[rows * in];
                dx = new float[rows * in];
            }
        }
    }
}
