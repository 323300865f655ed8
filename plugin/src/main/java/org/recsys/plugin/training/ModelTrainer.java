package org.recsys.plugin.training;

import org.elasticsearch.client.internal.Client;
import org.recsys.core.util.Workers;
import org.recsys.plugin.store.ModelRecord;
import org.recsys.plugin.store.ModelStore;
import org.recsys.plugin.threadpool.RecsysPools;

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

    /**
     * Checks sources and targets before a version is claimed, changing nothing: an {@link IllegalArgumentException}
     * names a problem, a security exception a missing privilege (the checks read and probe as the calling user).
     *
     * @return the training's estimated peak heap in bytes, from the sizes counted before reading
     */
    public abstract long check(S spec);

    /** The size of the training's interactions; none is a 400 before anything changes. */
    protected InteractionReader.Size sizeOf(InteractionSource source) {
        InteractionReader.Size size = reader.size(source);
        if (size.interactions() == 0) {
            throw new IllegalArgumentException(
                "no interactions to train on: no document of index [" + source.index() + "] matches the query"
            );
        }
        return size;
    }

    /** Where the task's parallel parts run (the node's training workers pool), cancelled with the task. */
    protected Workers workers(ModelTask task) {
        return new Workers(client.threadPool().executor(RecsysPools.TRAINING_WORKERS), task::isCancelled);
    }

    /** The heap that read interactions and their ids hold, whatever the model type. */
    static long interactionBytes(InteractionReader.Size size) {
        return 48L * size.interactions() + 100L * (size.users() + size.items());
    }

    /**
     * Trains the claimed version, writes its slot and stores its blobs with {@code ModelStore#putBlob}.
     *
     * @param metrics filled with what the version's record and the response report
     * @return the stored blobs: name to number of chunks
     */
    public abstract Map<String, Integer> train(S spec, ModelRecord.TrainingClaim claim, ModelTask task, Map<String, Object> metrics);
}
