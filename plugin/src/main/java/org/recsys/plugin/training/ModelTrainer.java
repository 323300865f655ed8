package org.recsys.plugin.training;

import org.recsys.plugin.store.ModelRecord;

import java.util.Map;

/**
 * How one model type trains. {@link ModelTraining} owns what every type shares (the claim of a version, its record,
 * the switch, failures and cancellation); a trainer checks its sources, trains, writes the claimed slot and stores
 * its blobs.
 */
public interface ModelTrainer<S extends TrainingSpec> {

    /** The model type, as {@code _train}'s {@code type} names it. */
    String type();

    Class<S> specClass();

    /** Checks sources and targets before a version is claimed: an {@link IllegalArgumentException} names the problem. */
    void check(S spec);

    /**
     * Trains the claimed version, writes its slot and stores its blobs with {@code ModelStore#putBlob}.
     *
     * @param metrics filled with what the version's record and the response report
     * @return the stored blobs: name to number of chunks
     */
    Map<String, Integer> train(S spec, ModelRecord.TrainingClaim claim, ModelTask task, Map<String, Object> metrics);
}
