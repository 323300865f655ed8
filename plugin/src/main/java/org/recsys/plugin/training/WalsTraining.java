package org.recsys.plugin.training;

import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.action.admin.cluster.node.tasks.get.GetTaskResponse;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.xcontent.XContentHelper;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.tasks.TaskCancelledException;
import org.elasticsearch.xcontent.ToXContent;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentFactory;
import org.elasticsearch.xcontent.XContentType;
import org.recsys.core.data.InteractionMatrix;
import org.recsys.core.fusion.ContentProfiles;
import org.recsys.core.fusion.FusionFeature;
import org.recsys.core.fusion.FusionNet;
import org.recsys.core.fusion.FusionTrainer;
import org.recsys.core.fusion.HybridCatalogue;
import org.recsys.core.fusion.HybridFusion;
import org.recsys.core.fusion.LearnedFusion;
import org.recsys.core.projection.Projection;
import org.recsys.core.vector.FlatVectors;
import org.recsys.core.wals.FoldIn;
import org.recsys.core.wals.WalsModel;
import org.recsys.core.wals.WalsParams;
import org.recsys.core.wals.WalsTrainer;
import org.recsys.plugin.store.BlobCodec;
import org.recsys.plugin.store.ModelRecord;
import org.recsys.plugin.store.ModelStore;
import org.recsys.plugin.store.VersionRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code wals} model type: read the interactions, train, optionally fit the cold-start projection, write the
 * factors into the claimed slot of the item and user indices, and store ids, factors and the Gram matrix.
 */
public final class WalsTraining extends ModelTrainer<WalsTrainingSpec> {

    public static final String ITEM_IDS = "item_ids";
    public static final String USER_IDS = "user_ids";
    public static final String ITEM_FACTORS = "item_factors";
    public static final String USER_FACTORS = "user_factors";
    public static final String ITEM_GRAM = "item_gram";
    public static final String PROJECTION = "projection";
    public static final String FUSION_NET = "fusion_net";

    /** Where a version's metrics report its search, and where serving finds the chosen parameters. */
    public static final String TUNE = "tune";

    private final WalsTuning tuning;

    public WalsTraining(Client client, ModelStore store) {
        super(WalsTrainingSpec.WALS, WalsTrainingSpec.class, client, store);
        this.tuning = new WalsTuning(client, reader);
    }

    @Override
    public long check(WalsTrainingSpec spec) {
        reader.checkMapping(spec.interactions());
        InteractionReader.Size size = sizeOf(spec.interactions());
        WalsParams start = spec.tune() == null ? spec.params() : tuning.start(spec);
        slotMappings(spec.tune() == null ? spec : spec.tuned(start));
        if (spec.projection() != null) {
            TextVectors.dims(client, spec.items().index(), spec.projection().textField(), "projection.text_field");
        }
        int rank = spec.tune() == null ? start.rank() : tuning.space(spec, start).maxRank(start);
        long bytes = WalsTrainer.estimateBytes(size.interactions(), size.users(), size.items(), rank, spec.params().threads());
        if (spec.tune() != null) {
            // The interactions as read (20 bytes each), the fitted part of the carve-out, and the factors of the
            // trials a rung keeps (a third of a bracket's, at most 1 + 24/6 at the default budget; 8 here).
            bytes += 68L * size.interactions() + 8L * 4 * rank * (size.users() + size.items());
        }
        if (spec.content() != null) {
            long texts = spec.fusion() != null && spec.fusion().uses(FusionFeature.CONTENT) ? size.items() : 0;
            bytes += ContentProfiles.bytes(Math.toIntExact(size.users() + texts), profileDims(spec));
        }
        return bytes;
    }

    /**
     * The slot fields of both indices. The user index comes first: creating it when it is missing is the one change
     * whose permission cannot be checked beforehand, so it is made before anything else is.
     */
    private List<FactorWriter.SlotMapping> slotMappings(WalsTrainingSpec spec) {
        int rank = spec.params().rank();
        return List.of(
            writer.plan(spec.users(), rank, true, spec.content() == null ? List.of() : List.of(FactorWriter.SlotField.profile(profileDims(spec))), true, "users"),
            writer.plan(spec.items(), rank, true, List.of(FactorWriter.SlotField.count()), false, "items")
        );
    }

    /** Refuses to train on nothing: no matching document, or none with a user, an item and a valid weight. */
    static void checkRead(InteractionSource source, InteractionReader.Counts counts) {
        if (counts.used() == 0) {
            throw new IllegalArgumentException(
                counts.read() == 0
                    ? "no interactions to train on: no document of index [" + source.index() + "] matches the query"
                    : "no interactions to train on: " + counts.read() + " documents of index [" + source.index()
                        + "] match, but none has a user, an item and a valid weight"
            );
        }
    }

    private int profileDims(WalsTrainingSpec spec) {
        return spec.content() == null ? 0 : TextVectors.dims(client, spec.items().index(), spec.content().textField(), "content.text_field");
    }

    @Override
    public Map<String, Integer> train(WalsTrainingSpec request, ModelRecord.TrainingClaim claim, ModelTask task, Map<String, Object> metrics) {
        int textDims = request.projection() == null ? 0 : TextVectors.dims(client, request.items().index(), request.projection().textField(), "projection.text_field");
        task.phase("reading");
        long t0 = System.nanoTime();
        WalsTrainingSpec resolved = request;
        InteractionMatrix matrix;
        InteractionReader.Counts counts;
        double tuneSeconds = 0;
        if (request.tune() == null) {
            InteractionMatrix.Builder builder = new InteractionMatrix.Builder();
            counts = reader.read(request.interactions(), task, builder::add);
            checkRead(request.interactions(), counts);
            matrix = builder.build();
        } else {
            WalsTuning.Tuned tuned = tuning.run(request, task);
            resolved = request.tuned(tuned.chosen());
            matrix = tuned.matrix();
            counts = tuned.counts();
            metrics.put(TUNE, tuned.report());
            tuneSeconds = (double) tuned.report().get("seconds");
        }
        WalsTrainingSpec spec = resolved;
        int rank = spec.params().rank();
        double readSeconds = ModelTraining.secondsSince(t0) - tuneSeconds;

        task.phase("training");
        t0 = System.nanoTime();
        WalsModel model = new WalsTrainer(spec.params()).listener((it, n, loss, s) -> task.iteration(it, n, loss))
            .cancelWhen(task::isCancelled)
            .train(matrix);
        double trainSeconds = ModelTraining.secondsSince(t0);

        Projection projection = null;
        FactorWriter.Fallback projected = null;
        Map<String, float[]> catalogueTexts = null;
        if (spec.projection() != null) {
            task.phase("projecting");
            if (spec.fusion() != null) {
                // The hybrid fusion needs every item's text at hand; the projection is then the catalogue's, as offline.
                catalogueTexts = ItemTexts.all(client, spec.items(), spec.projection().textField(), textDims, task);
                projection = HybridCatalogue.place(model, matrix.byItem(), catalogueTexts, spec.projection().params()).projection();
            } else {
                projection = ProjectionFitter.fit(
                    client, spec.items(), spec.projection(), textDims, matrix.items(), model.itemFactors(), rank, matrix.byItem(), task
                );
            }
            projected = ProjectionFitter.fallback(spec.projection(), textDims, projection);
        }

        ContentProfiles profiles = null;
        float[][] fusionTexts = null;
        if (spec.content() != null) {
            task.phase("profiling");
            int dims = profileDims(spec);
            profiles = new ContentProfiles(matrix.byItem(), dims);
            if (spec.fusion() != null && spec.fusion().uses(FusionFeature.CONTENT) && catalogueTexts == null) {
                fusionTexts = new float[matrix.items().size()][];
            }
            ContentProfiles sums = profiles;
            float[][] texts = fusionTexts;
            ItemTexts.forEach(client, spec.items(), spec.content().textField(), dims, matrix.items(), task, (text, row) -> {
                sums.add(row, text);
                if (texts != null) {
                    texts[row] = text;
                }
            });
        }

        FusionNet fusion = null;
        if (spec.fusion() != null) {
            task.phase("fusion");
            FusionTrainer.EpochListener progress = (epoch, loss, ndcg) -> task.iteration(epoch, spec.fusion().params().trainer().epochs(), loss);
            HybridFusion.Result hybrid = null;
            LearnedFusion.Result fit;
            if (catalogueTexts != null) {
                HybridFusion.Params params = spec.fusion().hybrid(spec.projection().params());
                hybrid = HybridFusion.carveOut(matrix, catalogueTexts, spec.params(), params, task::isCancelled).fit(params, progress);
                fit = hybrid.fit();
            } else {
                fit = LearnedFusion.fit(matrix, spec.fusion().holdout(), fusionTexts, spec.params(), spec.fusion().params(), task::isCancelled, progress);
            }
            task.checkCancelled();
            boolean served = hybrid != null ? hybrid.servesNetwork() : fit.beatsFirstPhase();
            fusion = hybrid != null ? hybrid.chosen() : fit.chosen();
            int k = spec.fusion().params().k();
            Map<String, Object> fusionMetrics = new LinkedHashMap<>();
            fusionMetrics.put("features", Arrays.stream(spec.fusion().features()).map(FusionFeature::id).toList());
            fusionMetrics.put("served", served ? "network" : "model_order");
            fusionMetrics.put("validation_ndcg@" + k, fit.fit().validationNdcg());
            fusionMetrics.put("first_phase_ndcg@" + k, fit.fit().firstPhaseNdcg());
            fusionMetrics.put("best_epoch", fit.fit().bestEpoch());
            fusionMetrics.put("training_users", fit.trainingLists());
            fusionMetrics.put("validation_users", fit.validationLists());
            if (hybrid != null) {
                fusionMetrics.put("pseudo_cold_items", hybrid.pseudoColdItems());
                fusionMetrics.put("projected_offset", hybrid.offset());
                fusionMetrics.put("validation_warm_ndcg@" + k, hybrid.warmNdcg(fusion));
                fusionMetrics.put("validation_cold_ndcg@" + k, hybrid.coldNdcg(fusion));
                fusionMetrics.put("first_phase_warm_ndcg@" + k, hybrid.warmNdcg(FusionNet.identity(FusionFeature.COLLABORATIVE)));
                fusionMetrics.put("first_phase_cold_ndcg@" + k, hybrid.coldNdcg(FusionNet.identity(FusionFeature.COLLABORATIVE)));
            }
            metrics.put("fusion", fusionMetrics);
        }

        t0 = System.nanoTime();
        task.phase("writing_items");
        task.checkCancelled();
        slotMappings(spec).forEach(writer::apply);
        FactorWriter.Counts items = writer.write(
            spec.items(), claim.slot(), matrix.items(), model.itemFactors(), rank, false, projected,
            List.of(FactorWriter.SlotField.count().withValues(row -> (long) matrix.byItem().rowLength(row))), task, task::itemsWritten
        );
        task.phase("writing_users");
        FactorWriter.Counts users = writer.write(
            spec.users(), claim.slot(), matrix.users(), model.userFactors(), rank, true, null,
            profiles == null ? List.of() : List.of(FactorWriter.SlotField.profile(profiles.dims()).withValues(profiles::profile)), task,
            task::usersWritten
        );
        double writeSeconds = ModelTraining.secondsSince(t0);

        task.phase("storing");
        task.checkCancelled();
        Map<String, Integer> blobs = new LinkedHashMap<>();
        blobs.put(ITEM_IDS, store.putBlob(spec.modelId(), claim.version(), ITEM_IDS, BlobCodec.strings(matrix.items().ids())));
        blobs.put(USER_IDS, store.putBlob(spec.modelId(), claim.version(), USER_IDS, BlobCodec.strings(matrix.users().ids())));
        blobs.put(ITEM_FACTORS, store.putBlob(spec.modelId(), claim.version(), ITEM_FACTORS, BlobCodec.floats(model.itemFactors())));
        blobs.put(USER_FACTORS, store.putBlob(spec.modelId(), claim.version(), USER_FACTORS, BlobCodec.floats(model.userFactors())));
        double[] gram = FoldIn.gram(model.itemFactors(), matrix.items().size(), rank);
        blobs.put(ITEM_GRAM, store.putBlob(spec.modelId(), claim.version(), ITEM_GRAM, BlobCodec.doubles(gram)));
        if (projection != null) {
            blobs.put(PROJECTION, store.putBlob(spec.modelId(), claim.version(), PROJECTION, BlobCodec.floats(projection.weights())));
            metrics.put("projection", Map.of("text_dims", textDims, "items_projected", items.projected()));
        }
        if (profiles != null) {
            metrics.put("content", Map.of("text_field", spec.content().textField(), "text_dims", profiles.dims()));
        }
        if (fusion != null) {
            blobs.put(FUSION_NET, store.putBlob(spec.modelId(), claim.version(), FUSION_NET, BlobCodec.floats(fusion.toFloats())));
        }

        metrics.put("interactions", Map.of(
            "read", counts.read(),
            "used", counts.used(),
            "distinct", matrix.nnz(),
            "skipped_missing_user_or_item", counts.missingUserOrItem(),
            "skipped_invalid_weight", counts.invalidWeight()
        ));
        metrics.put("users", matrix.users().size());
        metrics.put("items", matrix.items().size());
        metrics.put("loss", model.loss());
        metrics.put("items_written", items.written());
        metrics.put("items_cleared", items.cleared());
        metrics.put("items_without_document", items.withoutDocument());
        metrics.put("users_written", users.written());
        metrics.put("users_created", users.created());
        metrics.put("users_cleared", users.cleared());
        metrics.put("seconds", request.tune() == null
            ? Map.of("read", readSeconds, "train", trainSeconds, "write", writeSeconds)
            : Map.of("read", readSeconds, "tune", tuneSeconds, "train", trainSeconds, "write", writeSeconds));
        // Which kernels trained it: SIMD only when the node's JVM resolves jdk.incubator.vector.
        metrics.put("kernels", FlatVectors.implementation());
        return blobs;
    }
}
