package org.recsys.core.sequential;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay (AdamW), in place on the parameters, with its moments in its own manager. Written
 * here rather than taken from DJL's optimizers so that every temporary of a step belongs to the step's manager.
 */
final class Adam implements AutoCloseable {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final float learningRate;
    private final float weightDecay;
    private final NDManager manager;
    private final List<NDArray> parameters = new ArrayList<>();
    private final List<NDArray> first = new ArrayList<>();
    private final List<NDArray> second = new ArrayList<>();
    private int steps;

    Adam(Map<String, NDArray> parameters, float learningRate, float weightDecay, NDManager parent) {
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
        this.manager = parent.newSubManager();
        for (NDArray p : parameters.values()) {
            this.parameters.add(p);
            first.add(manager.zeros(p.getShape()));
            second.add(manager.zeros(p.getShape()));
        }
    }

    /** One update from the parameters' gradients, which it then zeroes; temporaries go to {@code step}. */
    void step(NDManager step) {
        steps++;
        float firstCorrection = 1 - (float) Math.pow(BETA1, steps);
        float secondCorrection = 1 - (float) Math.pow(BETA2, steps);
        for (int i = 0; i < parameters.size(); i++) {
            NDArray p = parameters.get(i);
            NDArray g = p.getGradient();
            g.attach(step);
            first.get(i).muli(BETA1).addi(g.mul(1 - BETA1));
            second.get(i).muli(BETA2).addi(g.square().muli(1 - BETA2));
            // Results of ops on the moments belong to this optimiser's manager until moved to the step's.
            NDArray update = first.get(i).div(firstCorrection);
            update.attach(step);
            NDArray scale = second.get(i).div(secondCorrection);
            scale.attach(step);
            update.divi(scale.sqrt().addi(EPSILON));
            if (weightDecay > 0) {
                p.muli(1 - learningRate * weightDecay);
            }
            p.subi(update.muli(learningRate));
            g.subi(g);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
