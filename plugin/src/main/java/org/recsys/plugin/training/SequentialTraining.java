package org.recsys.plugin.training;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import org.elasticsearch.action.fieldcaps.FieldCapabilities;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.hash.MessageDigests;
import org.recsys.core.data.IdIndex;
import org.recsys.core.sequential.SequentialModel;
import org.recsys.core.sequential.SequentialModelFile;
import org.recsys.core.sequential.SequentialTrainer;
import org.recsys.core.sequential.UserSequences;
import org.recsys.plugin.encoder.EncoderRegistry;
import org.recsys.plugin.store.ModelBlobs;
import org.recsys.plugin.store.ModelRecord;
import org.recsys.plugin.store.ModelStore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code sequential} model type: read the interactions with their timestamps, order each user's items and hold
 * out the last as the validation step ({@link OrderedSequences}), train core's transformer (masked-item or causal, as the params say) on DJL's
 * PyTorch engine with the request's thread count (so a node's model is the one core trains offline from the same data,
 * seed and threads), write each item's vector {@code [v, b]} into the claimed slot of the item documents, and store the
 * whole network as a blob: serving runs its encoder in plain Java from it.
 */
public final class SequentialTraining extends ModelTrainer<SequentialTrainingSpec> {

    private static final Set<String> NUMERIC_IDS = Set.of("long", "integer", "short", "byte");

    public SequentialTraining(Client client, ModelStore store) {
        super(SequentialTrainingSpec.SEQUENTIAL, SequentialTrainingSpec.class, client, store);
    }

    @Override
    public long check(SequentialTrainingSpec spec) {
        reader.checkMapping(spec.interactions());
        checkItemIdField(spec.items());
        InteractionReader.Size size = sizeOf(spec.interactions());
        slotMapping(spec);
        // The sequences and ids, and the item table ([v, b] per item) with its gradient and Adam's two moments.
        return ModelTrainer.interactionBytes(size) + 16L * size.items() * (spec.params().hidden() + 1);
    }

    /**
     * Items keyed by a field of their own must have it as a keyword: serving finds the successors of a history's last
     * item by that field's terms in each segment.
     */
    private void checkItemIdField(FactorTarget items) {
        if (items.idIsDocumentId()) {
            return;
        }
        Map<String, FieldCapabilities> types =
            client.prepareFieldCaps(items.index()).setFields(items.idField()).get().getField(items.idField());
        if (types == null || Set.of("keyword").equals(types.keySet()) == false) {
            throw new IllegalArgumentException(
                "[items.id_field] ["
                    + items.idField()
                    + "] of index ["
                    + items.index()
                    + "] must be mapped as keyword, whose terms serving looks the items up by"
                    + (types == null ? "; it is not mapped" : ", not " + types.keySet())
            );
        }
    }

    private FactorWriter.SlotMapping slotMapping(SequentialTrainingSpec spec) {
        return writer
            .plan(spec.items(), spec.params().hidden() + 1, true, itemSlotFields(spec, FactorWriter.SlotField.count()), false, "items");
    }

    /** The counts, and each document's {@code _id} in doc values when it is the item id (what {@code _recommend} answers with). */
    private static List<FactorWriter.SlotField> itemSlotFields(SequentialTrainingSpec spec, FactorWriter.SlotField counts) {
        List<FactorWriter.SlotField> fields = new ArrayList<>(List.of(counts));
        fields.addAll(FactorWriter.SlotField.documentIds(spec.items()));
        return fields;
    }

    @Override
    public Map<String, Integer> train(
        SequentialTrainingSpec spec,
        ModelRecord.TrainingClaim claim,
        ModelTask task,
        Map<String, Object> metrics
    ) {
        task.phase("reading");
        long t0 = System.nanoTime();
        OrderedSequences read = new OrderedSequences();
        InteractionReader.Counts counts =
            reader.readTimed(spec.interactions(), task, (user, item, weight, time) -> read.add(user, item, time));
        if (counts.used() == 0) {
            throw new IllegalArgumentException(
                counts.read() == 0
                    ? "no interactions to train on: no document of index [" + spec.interactions().index() + "] matches the query"
                    : "no interactions to train on: "
                        + counts.read()
                        + " documents of index ["
                        + spec.interactions().index()
                        + "] match, but none has a user, an item and a timestamp"
            );
        }
        InteractionSource source = spec.interactions();
        OrderedSequences.Split split = read.split(numeric(source, source.userField()), numeric(source, source.itemField()));
        if (split.validation().size() == 0) {
            throw new IllegalArgumentException(
                "no user of index ["
                    + spec.interactions().index()
                    + "] has two interactions: a [sequential] model holds out each user's "
                    + "last interaction to choose its best epoch, so at least one user needs two"
            );
        }
        double readSeconds = ModelTraining.secondsSince(t0);

        task.phase("training");
        t0 = System.nanoTime();
        int maxEpochs = spec.params().maxEpochs();
        List<Double> validationNdcg = new ArrayList<>();
        List<Double> fusedNdcg = new ArrayList<>();
        SequentialTrainer.Result result = EncoderRegistry.withPluginClassLoader(() -> {
            Engine.getEngine("PyTorch");
            // PyTorch's intra-op threads for this thread's operations: the request's count, whatever the node's encoders use.
            JniUtils.setNumThreads(spec.threads());
            // Grad mode is per thread and on by default: only the thread that loaded the engine has it off. Left on, the
            // optimiser's in-place update of a parameter fails ("a leaf Variable that requires grad ...") on any other
            // thread of the pool; core's trainer records gradients inside its own collector only.
            JniUtils.setGradMode(false);
            return new SequentialTrainer(spec.params()).listener((epoch, loss, validation, s) -> {
                task.iteration(epoch, maxEpochs, loss);
                validationNdcg.add(validation.ndcg());
                fusedNdcg.add(validation.fusedNdcg());
                // Cancelling between epochs: the trainer closes its arrays as the exception leaves it.
                task.checkCancelled();
            }).train(split.training().items(), split.training().sequences(), split.validation());
        });
        double trainSeconds = ModelTraining.secondsSince(t0);
        SequentialModel model = result.model();

        task.phase("writing_items");
        task.checkCancelled();
        writer.apply(slotMapping(spec));
        t0 = System.nanoTime();
        long[] users = usersPerItem(split.training());
        FactorWriter.Counts items = writer.write(
            spec.items(),
            claim.slot(),
            model.items(),
            model.itemVectors(),
            model.shape().vectorDimension(),
            false,
            null,
            itemSlotFields(spec, FactorWriter.SlotField.count().withValues(row -> users[row])),
            task,
            task::itemsWritten
        );
        double writeSeconds = ModelTraining.secondsSince(t0);

        task.phase("storing");
        task.checkCancelled();
        byte[] bytes = SequentialModelFile.toBytes(model);
        Map<String, Integer> blobs = new LinkedHashMap<>();
        blobs.put(ModelBlobs.SEQUENTIAL_MODEL, store.putBlob(spec.modelId(), claim.version(), ModelBlobs.SEQUENTIAL_MODEL, bytes));

        Map<String, Object> interactions = new LinkedHashMap<>();
        interactions.put("read", counts.read());
        interactions.put("used", counts.used());
        interactions.put("skipped_missing_user_or_item", counts.missingUserOrItem());
        interactions.put("skipped_missing_timestamp", counts.missingTimestamp());
        metrics.put("interactions", interactions);
        metrics.put("users", split.users());
        metrics.put("items", model.shape().items());
        metrics.put("validation_users", split.validation().size());
        metrics.put("epochs", result.loss().length);
        metrics.put("best_epoch", result.bestEpoch());
        metrics.put("loss", result.loss());
        metrics.put("validation_ndcg@10", validationNdcg);
        // The served ranking's: the network's score plus the transition term at the weight each epoch's step chose.
        metrics.put("fused_validation_ndcg@10", fusedNdcg);
        metrics.put("transition_weight", model.fusion().weight());
        metrics.put("transition_pairs", model.fusion().rows().pairs());
        metrics.put("item_dims", model.shape().vectorDimension());
        if (spec.items().idIsDocumentId()) {
            metrics.put(FactorWriter.ITEM_ID_FIELD_METRIC, FactorWriter.documentIdField(spec.items(), claim.slot()));
        }
        metrics.put("items_written", items.written());
        metrics.put("items_cleared", items.cleared());
        metrics.put("items_without_document", items.withoutDocument());
        metrics.put("model_bytes", bytes.length);
        // Names the model's content: equal hashes, equal models (e.g. the node's and one trained offline).
        metrics.put("model_sha256", MessageDigests.toHexString(MessageDigests.sha256().digest(bytes)));
        metrics.put("threads", spec.threads());
        metrics.put("seconds", Map.of("read", readSeconds, "train", trainSeconds, "write", writeSeconds));
        return blobs;
    }

    /** Whether every index maps the field as an integer type, so its ids order as numbers. */
    private boolean numeric(InteractionSource source, String field) {
        Map<String, FieldCapabilities> types = client.prepareFieldCaps(source.index()).setFields(field).get().getField(field);
        return types != null && NUMERIC_IDS.containsAll(types.keySet());
    }

    /** Each item's number of distinct users in the training sequences: the popularity the rescorer reads. */
    private static long[] usersPerItem(UserSequences sequences) {
        IdIndex items = sequences.items();
        long[] users = new long[items.size()];
        int[] lastUser = new int[items.size()];
        Arrays.fill(lastUser, -1);
        int[][] all = sequences.sequences();
        for (int u = 0; u < all.length; u++) {
            for (int item : all[u]) {
                if (lastUser[item] != u) {
                    lastUser[item] = u;
                    users[item]++;
                }
            }
        }
        return users;
    }
}
