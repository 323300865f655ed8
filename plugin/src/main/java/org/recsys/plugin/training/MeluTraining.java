package org.recsys.plugin.training;

import org.elasticsearch.action.fieldcaps.FieldCapabilities;
import org.elasticsearch.action.fieldcaps.FieldCapabilitiesResponse;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.hash.MessageDigests;
import org.elasticsearch.index.query.QueryBuilders;
import org.recsys.core.data.IdIndex;
import org.recsys.core.melu.MeluDataset;
import org.recsys.core.melu.MeluModel;
import org.recsys.core.melu.MeluModelFormat;
import org.recsys.core.melu.MeluParams;
import org.recsys.core.melu.MeluTrainer;
import org.recsys.core.melu.MetaTask;
import org.recsys.core.vector.FlatVectors;
import org.recsys.plugin.store.ModelBlobs;
import org.recsys.plugin.store.ModelRecord;
import org.recsys.plugin.store.ModelStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * The {@code melu} model type: read the ratings with their timestamps, the users' and items' features, meta-train
 * with core's {@link MeluTrainer} (so the node's model is the offline one for the same data and seed), write each
 * item's embedded features into the claimed slot of the item documents (what scorers read from Lucene; embeddings do
 * not adapt per user, so the vectors are fixed for the version), and store the model's bytes.
 */
public final class MeluTraining extends ModelTrainer<MeluTrainingSpec> {

    public MeluTraining(Client client, ModelStore store) {
        super(MeluTrainingSpec.MELU, MeluTrainingSpec.class, client, store);
    }

    @Override
    public long check(MeluTrainingSpec spec) {
        reader.checkMapping(spec.interactions());
        InteractionReader.Size size = sizeOf(spec.interactions());
        checkFields(spec.items(), "items");
        if (spec.users() != null) {
            checkFields(spec.users(), "users");
        }
        slotMapping(spec);
        // The ratings and ids, and each item's feature vector with its serialised copy; the network itself is small.
        return ModelTrainer.interactionBytes(size) + 8L * size.items() * itemDims(spec);
    }

    /** Scorers only read the vectors per document: a flat field, no graph to build. */
    private FactorWriter.SlotMapping slotMapping(MeluTrainingSpec spec) {
        return writer.plan(spec.itemTarget(), itemDims(spec), false, List.of(), false, "items");
    }

    private static int itemDims(MeluTrainingSpec spec) {
        return spec.items().features().size() * spec.params().embeddingDim();
    }

    /** Every feature's field and the id field must be mapped; a missing index fails with index_not_found_exception. */
    private void checkFields(FeatureSource source, String param) {
        List<String> fields = new ArrayList<>(source.sourceFields());
        fields.addAll(FactorTarget.idDocValueFields(source.idField()));
        FieldCapabilitiesResponse caps = client.prepareFieldCaps(source.index()).setFields(fields.toArray(String[]::new)).get();
        if (FactorTarget.ID.equals(source.idField()) == false) {
            Map<String, FieldCapabilities> types = caps.getField(source.idField());
            if (types == null || types.isEmpty() || InteractionReader.ID_TYPES.containsAll(types.keySet()) == false) {
                throw new IllegalArgumentException(
                    "["
                        + param
                        + ".id_field] ["
                        + source.idField()
                        + "] of index ["
                        + source.index()
                        + "] must be mapped as one of "
                        + new TreeSet<>(InteractionReader.ID_TYPES)
                        + (types == null ? "; it is not mapped" : ", not " + types.keySet())
                );
            }
        }
        for (int i = 0; i < source.features().size(); i++) {
            String field = source.features().get(i).field();
            Map<String, FieldCapabilities> types = caps.getField(field);
            String name = "[" + param + ".features[" + i + "].field] [" + field + "]";
            if (types == null || types.isEmpty()) {
                throw new IllegalArgumentException(name + " is not mapped in index [" + source.index() + "]");
            }
            if (types.containsKey("object") || types.containsKey("nested")) {
                throw new IllegalArgumentException(
                    name + " is an object in index [" + source.index() + "]; name a field that holds values"
                );
            }
        }
    }

    @Override
    public Map<String, Integer> train(MeluTrainingSpec spec, ModelRecord.TrainingClaim claim, ModelTask task, Map<String, Object> metrics) {
        MeluParams params = spec.params();
        task.phase("reading");
        long t0 = System.nanoTime();
        MeluDataset.Builder data = new MeluDataset.Builder(spec.schema());
        long[] outsideScale = new long[1];
        InteractionReader.Counts counts = reader.readTimed(spec.interactions(), task, (user, item, rating, time) -> {
            if (rating < params.minRating() || rating > params.maxRating()) {
                outsideScale[0]++;
            } else {
                data.rating(user, item, rating, time);
            }
        });
        long used = counts.used() - outsideScale[0];
        if (used == 0) {
            throw new IllegalArgumentException(
                counts.read() == 0
                    ? "no ratings to train on: no document of index [" + spec.interactions().index() + "] matches the query"
                    : "no ratings to train on: "
                        + counts.read()
                        + " documents of index ["
                        + spec.interactions().index()
                        + "] match, but none has a user, an item, a timestamp and a rating within ["
                        + params.minRating()
                        + ", "
                        + params.maxRating()
                        + "]"
            );
        }
        long userDocuments = spec.users() == null ? 0 : readFeatures(spec.users(), task, data::user);
        long itemDocuments = readFeatures(spec.items(), task, data::item);
        if (itemDocuments == 0) {
            throw new IllegalArgumentException("index [" + spec.items().index() + "] has no item documents to learn features from");
        }
        MeluDataset dataset = data.build();
        List<MetaTask> tasks = dataset.tasks(params.maxSupport());
        double readSeconds = ModelTraining.secondsSince(t0);

        task.phase("training");
        t0 = System.nanoTime();
        List<Double> losses = new ArrayList<>();
        MeluModel model = new MeluTrainer(params).listener((epoch, epochs, loss, s) -> {
            task.iteration(epoch, epochs, loss);
            losses.add(loss);
        }).runOn(workers(task)).train(dataset.vocabulary(), dataset.catalog(), tasks);
        double trainSeconds = ModelTraining.secondsSince(t0);

        task.phase("writing_items");
        task.checkCancelled();
        writer.apply(slotMapping(spec));
        t0 = System.nanoTime();
        IdIndex itemIds = new IdIndex();
        model.catalog().ids().forEach(itemIds::add);
        FactorWriter.Counts items = writer.write(
            spec.itemTarget(),
            claim.slot(),
            itemIds,
            model.itemVectors(),
            model.itemWidth(),
            false,
            null,
            List.of(),
            task,
            task::itemsWritten
        );
        double writeSeconds = ModelTraining.secondsSince(t0);

        task.phase("storing");
        task.checkCancelled();
        Map<String, Integer> blobs = new LinkedHashMap<>();
        byte[] bytes = MeluModelFormat.toBytes(model);
        blobs.put(ModelBlobs.MELU_MODEL, store.putBlob(spec.modelId(), claim.version(), ModelBlobs.MELU_MODEL, bytes));

        Map<String, Object> ratings = new LinkedHashMap<>();
        ratings.put("read", counts.read());
        ratings.put("used", used);
        ratings.put("skipped_missing_user_or_item", counts.missingUserOrItem());
        ratings.put("skipped_invalid_rating", counts.invalidWeight());
        ratings.put("skipped_missing_timestamp", counts.missingTimestamp());
        ratings.put("skipped_outside_scale", outsideScale[0]);
        ratings.put("of_items_without_document", dataset.ratingsOfUnknownItems());
        metrics.put("ratings", ratings);
        metrics.put("users", dataset.ratingUsers());
        metrics.put("user_documents", userDocuments);
        metrics.put("users_without_features", dataset.usersWithoutFeatures());
        metrics.put("items", model.catalog().size());
        metrics.put("tasks", tasks.size());
        metrics.put("loss", losses);
        metrics.put("item_dims", model.itemWidth());
        metrics.put("items_written", items.written());
        metrics.put("items_cleared", items.cleared());
        metrics.put("model_bytes", bytes.length);
        // Names the model's content: equal hashes, equal models (e.g. the node's and an offline one).
        metrics.put("model_sha256", MessageDigests.toHexString(MessageDigests.sha256().digest(bytes)));
        metrics.put("seconds", Map.of("read", readSeconds, "train", trainSeconds, "write", writeSeconds));
        metrics.put("kernels", FlatVectors.implementation());
        return blobs;
    }

    /** Reads every document of a feature source into {@code sink} (id, raw features); answers how many had an id. */
    private long readFeatures(FeatureSource source, ModelTask task, BiConsumer<String, Map<String, List<String>>> sink) {
        long[] read = new long[1];
        IndexScan.forEach(
            client,
            source.index(),
            QueryBuilders.matchAllQuery(),
            FactorTarget.idDocValueFields(source.idField()),
            source.sourceFields(),
            task,
            hit -> {
                String id = source.id(hit);
                if (id != null) {
                    sink.accept(id, source.raw(hit.getSourceAsMap()));
                    read[0]++;
                }
            }
        );
        return read[0];
    }
}
