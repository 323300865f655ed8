package org.recsys.core.melu;

import org.junit.jupiter.api.Test;
import org.recsys.core.util.Workers;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MeluTrainerTest {

    private final SyntheticMelu world = new SyntheticMelu(1);
    private final MeluParams params = SyntheticMelu.params();
    private final ParameterLayout layout = new ParameterLayout(world.vocabulary, params.embeddingDim(), params.hidden1(), params.hidden2());

    private float[] initial() {
        return MeluTrainer.initialParameters(layout, new Random(5), 3f);
    }

    /** The support loss at the decision weights {@code w[o..]}. */
    private double supportLoss(float[] w, int o, MetaTask task, float[] x) {
        DecisionNetwork.Workspace ws = new DecisionNetwork.Workspace(layout.network);
        layout.network.forward(w, o, x, task.supportItems().length, ws);
        return DecisionNetwork.loss(task.supportRatings(), task.supportItems().length, ws);
    }

    private float[] supportInputs(float[] params, MetaTask task) {
        int in = layout.network.in;
        int userWidth = layout.sideWidth(FeatureField.Side.USER);
        float[] x = new float[task.supportItems().length * in];
        for (int r = 0; r < task.supportItems().length; r++) {
            layout.embeddings.concat(params, task.user(), x, r * in);
            layout.embeddings.concat(params, world.catalog.features(task.supportItems()[r]), x, r * in + userWidth);
        }
        return x;
    }

    @Test
    void oneLocalStepLowersTheSupportLoss() {
        float[] w = initial();
        for (MetaTask task : world.tasks(5, 10, 5)) {
            float[] x = supportInputs(w, task);
            float[][] steps = LocalUpdate.trajectory(
                layout.network,
                w,
                layout.dense,
                x,
                task.supportRatings(),
                10,
                1,
                0.05f,
                new DecisionNetwork.Workspace(layout.network)
            );
            double before = supportLoss(w, layout.dense, task, x);
            double after = supportLoss(steps[1], 0, task, x);
            assertTrue(after < before, "support loss " + before + " → " + after);
        }
    }

    @Test
    void localStepsChangeOnlyTheDecisionLayers() {
        float[] w = initial();
        float[] copy = w.clone();
        MetaTask task = world.tasks(1, 10, 5).get(0);
        float[] x = supportInputs(w, task);
        float[][] steps = LocalUpdate.trajectory(
            layout.network,
            w,
            layout.dense,
            x,
            task.supportRatings(),
            10,
            3,
            0.05f,
            new DecisionNetwork.Workspace(layout.network)
        );
        assertArrayEquals(copy, w, "the model's parameters, embeddings included, are untouched");
        assertEquals(layout.network.size, steps[3].length, "fast weights are the decision layers only");
        for (int k = 1; k <= 3; k++) {
            assertFalse(Arrays.equals(steps[k - 1], steps[k]), "step " + k + " moved the decision layers");
        }
    }

    @Test
    void theClampBoundsEveryMetaGradient() {
        // A huge local rate makes the fast weights, hence the raw query gradients, explode.
        MeluParams wild = new MeluParams(8, 16, 16, 1, 50f, 0.01f, 8, 1, MetaGradient.FIRST_ORDER, 90, 1f, 5f, 2, 7L);
        List<MetaTask> batch = world.tasks(8, 10, 5);
        float[] w = initial();
        float[] g = new float[layout.size];
        float[] raw = new float[layout.size];
        MetaStep step = new MetaStep(wild, layout, world.catalog, batch.size(), Workers.offline());
        step.metaGradient(w, batch, g);
        step.taskGradient(w, batch.get(0), new MetaStep.Scratch(layout), raw);
        float rawMax = 0;
        for (float v : raw) {
            rawMax = Math.max(rawMax, Math.abs(v));
        }
        assertTrue(rawMax > 10 * MetaStep.CLAMP, "the fixture produces large raw gradients: " + rawMax);
        boolean atBound = false;
        for (float v : g) {
            assertTrue(Math.abs(v) <= MetaStep.CLAMP, "meta-gradient " + v);
            atBound |= Math.abs(v) == MetaStep.CLAMP;
        }
        assertTrue(atBound, "some components were clamped");
    }

    @Test
    void theSameSeedGivesTheSameModelWhateverTheThreads() {
        List<MetaTask> tasks = world.tasks(24, 8, 4);
        MeluModel one = new MeluTrainer(params.withThreads(1)).train(world.vocabulary, world.catalog, tasks);
        AtomicInteger handed = new AtomicInteger();
        Executor counting = runnable -> {
            handed.incrementAndGet();
            new Thread(runnable).start();
        };
        MeluModel two =
            new MeluTrainer(params.withThreads(2)).runOn(new Workers(counting, () -> false)).train(world.vocabulary, world.catalog, tasks);
        assertArrayEquals(one.params, two.params);
        assertTrue(handed.get() > 0, "the second worker runs on the executor the trainer is given");
        MeluParams otherSeed = new MeluParams(8, 16, 16, 2, 0.05f, 0.01f, 8, 15, MetaGradient.FIRST_ORDER, 90, 1f, 5f, 2, 8L);
        assertFalse(Arrays.equals(one.params, new MeluTrainer(otherSeed).train(world.vocabulary, world.catalog, tasks).params));
    }

    /** One local step: with more, ReLUs switching sides make finite differences of the adapted loss too rough. */
    @Test
    void secondOrderMetaGradientMatchesFiniteDifferencesOfTheQueryLossAfterAdaptation() {
        MetaTask task = world.tasks(1, 10, 5).get(0);
        float[] w = initial();
        float[] second = taskGradient(MetaGradient.SECOND_ORDER, w, task);
        float[] first = taskGradient(MetaGradient.FIRST_ORDER, w, task);
        // The user's gender row, the first query item's genre row and the decision weights with the largest gradients.
        int dim = params.embeddingDim();
        int[] probes = new int[8];
        probes[0] = task.user().rows()[0] * dim + 1;
        probes[1] = world.catalog.features(task.queryItems()[0]).rows()[0] * dim;
        Integer[] dense = new Integer[layout.network.size];
        Arrays.setAll(dense, i -> layout.dense + i);
        Arrays.sort(dense, (a, b) -> Float.compare(Math.abs(second[b]), Math.abs(second[a])));
        for (int i = 2; i < probes.length; i++) {
            probes[i] = dense[i - 2];
        }
        double firstOrderError = 0;
        double secondOrderError = 0;
        float eps = 1e-3f;
        for (int p : probes) {
            float[] plus = w.clone();
            float[] minus = w.clone();
            plus[p] += eps;
            minus[p] -= eps;
            double numeric = (queryLoss(plus, task) - queryLoss(minus, task)) / (2 * eps);
            assertEquals(numeric, second[p], 1e-3 + 2e-2 * Math.abs(numeric), "parameter " + p);
            firstOrderError += Math.abs(first[p] - numeric);
            secondOrderError += Math.abs(second[p] - numeric);
        }
        assertTrue(secondOrderError < firstOrderError / 4, "second order " + secondOrderError + ", first order " + firstOrderError);
    }

    private MetaStep oneStep(MetaGradient order) {
        return new MetaStep(
            new MeluParams(8, 16, 16, 1, 0.05f, 0.01f, 1, 1, order, 90, 1f, 5f, 1, 7L),
            layout,
            world.catalog,
            1,
            Workers.offline()
        );
    }

    private float[] taskGradient(MetaGradient order, float[] w, MetaTask task) {
        float[] g = new float[layout.size];
        oneStep(order).taskGradient(w, task, new MetaStep.Scratch(layout), g);
        return g;
    }

    private double queryLoss(float[] w, MetaTask task) {
        return oneStep(MetaGradient.FIRST_ORDER).taskGradient(w, task, new MetaStep.Scratch(layout), new float[layout.size]);
    }

    @Test
    void metaTrainingLearnsAndAdaptationHelps() {
        MeluModel model = new MeluTrainer(params).train(world.vocabulary, world.catalog, world.tasks(200, 10, 5));
        double adapted = 0;
        double unadapted = 0;
        int n = 0;
        for (MetaTask task : world.tasks(40, 10, 5)) {
            String[] items = Arrays.stream(task.supportItems()).mapToObj(world.catalog::id).toArray(String[]::new);
            float[] a = new float[task.queryItems().length];
            float[] u = new float[a.length];
            model.predict(model.adapt(task.user(), items, task.supportRatings()), task.queryItems(), a);
            model.predict(model.unadapted(task.user()), task.queryItems(), u);
            for (int i = 0; i < a.length; i++) {
                adapted += Math.abs(a[i] - task.queryRatings()[i]);
                unadapted += Math.abs(u[i] - task.queryRatings()[i]);
                n++;
            }
        }
        // The global mean predictor's MAE here is about 1.2; features explain ±1 and adaptation the ±0.75 offset.
        assertTrue(unadapted / n < 1.0, "unadapted MAE " + unadapted / n);
        assertTrue(adapted / n < unadapted / n - 0.1, "adapted MAE " + adapted / n + " vs unadapted " + unadapted / n);
    }
}
