package org.recsys.plugin.training;

import org.elasticsearch.client.internal.Client;
import org.recsys.plugin.store.ModelRecord;
import org.recsys.plugin.store.ModelStore;

import java.util.Map;

/**
 * How one model type trains. {@link ModelTraining} owns what every type shares (the claim of a version, its record,
 * the switch, failures and cancellation); a trainer checks its sources, trains, writes the claimed slot and stores
 * its blobs, reading and writing indices with the tools every type shares.
 */
public abstract class ModelTrainer<S extends TrainingSpec> {

    private final String type;
    private final Class<S> specClass;
    protected final Client client;
    protected final ModelStore store;
    protected final InteractionReader reader;
    protected final FactorWriter writer;

    protected ModelTrainer(String type, Class<S> specClass, Client client, ModelStore store) {
        this.type = type;
        this.specClass = specClass;
        this.client = client;
        this.store = store;
        this.reader = new InteractionReader(client);
        this.writer = new FactorWriter(client);
    }

    /** The model type, as {@code _train}'s {@code type} names it. */
    public final String type() {
        return type;
    }

    public final Class<S> specClass() {
        return specClass;
    }

    /** Checks sources and targets before a version is claimed: an {@link IllegalArgumentException} names the problem. */
    public abstract void check(S spec);

    /**
     * Trains the claimed version, writes its slot and stores its blobs with {@code ModelStore#putBlob}.
     *
     * @param metrics filled with what the version's record and the response report
     * @return the stored blobs: name to number of chunks
     */
    public abstract Map<String, Integer> train(S spec, ModelRecord.TrainingClaim claim, ModelTask task, Map<String, Object> metrics);
}
