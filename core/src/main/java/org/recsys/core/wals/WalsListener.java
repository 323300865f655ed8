package org.recsys.core.wals;

/** Told about training as it goes; called on the training thread between iterations. */
@FunctionalInterface
public interface WalsListener {

    WalsListener NONE = (iteration, iterations, loss, seconds) -> {
    };

    /**
     * @param iteration 1-based number of the iteration just finished
     * @param loss      the objective after it, NaN when loss is not computed
     * @param seconds   the iteration's wall time
     */
    void iterationDone(int iteration, int iterations, double loss, double seconds);
}
