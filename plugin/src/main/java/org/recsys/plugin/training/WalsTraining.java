package org.recsys.plugin.training;

import org.elasticsearch.client.internal.Client;
import org.recsys.core.data.InteractionMatrix;
import org.recsys.core.fusion.ContentProfiles;
import org.recsys.core.fusion.FusionFeature;
import org.recsys.core.fusion.FusionNet;
import org.recsys.core.fusion.FusionTrainer;
import org.recsys.core.fusion.HybridCatalogue;
import org.recsys.core.fusion.HybridFusion;
import org.recsys.core.fusion.LearnedFusion;
import org.recsys.core.projection.Projection;
import org.recsys.core.util.Workers;
import org.recsys.core.vector.FlatVectors;
import org.recsys.core.wals.FoldIn;
import org.recsys.core.wals.WalsModel;
import org.recsys.core.wals.WalsParams;
import org.recsys.core.wals.WalsTrainer;
import org.recsys.plugin.store.BlobCodec;
import org.recsys.plugin.store.ModelRecord;
import org.recsys.plugin.store.ModelStore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.recsys.plugin.store.ModelBlobs.FUSION_NET;
import static org.recsys.plugin.store.ModelBlobs.ITEM_FACTORS;
import static org.recsys.plugin.store.ModelBlobs.ITEM_GRAM;
import static org.recsys.plugin.store.ModelBlobs.ITEM_IDS;
import static org.recsys.plugin.store.ModelBlobs.PROJECTION;
import static org.recsys.plugin.store.ModelBlobs.USER_FACTORS;
import static org.recsys.plugin.store.ModelBlobs.USER_IDS;
import static org.recsys.plugin.store.ModelBlobs.USER_LAMBDA_SCALE;
import static org.recsys.plugin.store.ModelBlobs.USER_WEIGHT_SCALE;

/**
 * The {@code wals} model type, in named phases that the task reports ({@link Run}): read the interactions (and search
 * the parameters with {@code tune}), train, optionally fit the cold-start projection, the users' content profiles and
 * the learned fusion, write the factors into the claimed slot of the item and user indices, and store ids, factors and
 * the Gram matrix.
 */
public final class WalsTraining extends ModelTrainer<WalsTrainingSpec> {

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
            TextVectorField.dims(client, spec.items().index(), spec.projection().textField(), "projection.text_field");
            ProjectionFitter.checkFactorField(client, spec.items().index(), spec.projection(), start.rank());
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
            writer.plan(
                spec.users(),
                rank,
                true,
                spec.content() == null ? List.of() : List.of(FactorWriter.SlotField.profile(profileDims(spec))),
                true,
                "users"
            ),
            writer.plan(spec.items(), rank, true, itemSlotFields(spec, FactorWriter.SlotField.count()), false, "items")
        );
    }

    /**
     * What the items' slots keep beside the factor: the counts, each document's {@code _id} in doc values when it is
     * the item id (what {@code _recommend} answers with; an items' own id field has doc values already), and when the
     * served fusion reserves projected items for each window, their factors again in a field of their own (its second
     * {@code knn} searches that).
     */
    private static List<FactorWriter.SlotField> itemSlotFields(WalsTrainingSpec spec, FactorWriter.SlotField counts) {
        List<FactorWriter.SlotField> fields = new ArrayList<>(List.of(counts));
        fields.addAll(FactorWriter.SlotField.documentIds(spec.items()));
        if (reservesProjected(spec)) {
            fields.add(FactorWriter.SlotField.projected(spec.params().rank()));
        }
        return fields;
    }

    static boolean reservesProjected(WalsTrainingSpec spec) {
        return spec.projection() != null && spec.fusion() != null && spec.fusion().reserved() > 0;
    }

    /** Refuses to train on nothing: no matching document, or none with a user, an item and a valid weight. */
    static void checkRead(InteractionSource source, InteractionReader.Counts counts) {
        if (counts.used() == 0) {
            throw new IllegalArgumentException(
                counts.read() == 0
                    ? "no interactions to train on: no document of index [" + source.index() + "] matches the query"
                    : "no interactions to train on: "
                        + counts.read()
                        + " documents of index ["
                        + source.index()
                        + "] match, but none has a user, an item and a valid weight"
            );
        }
    }

    private int profileDims(WalsTrainingSpec spec) {
        return spec.content() == null
            ? 0
            : TextVectorField.dims(client, spec.items().index(), spec.content().textField(), "content.text_field");
    }

    @Override
    public Map<String, Integer> train(
        WalsTrainingSpec request,
        ModelRecord.TrainingClaim claim,
        ModelTask task,
        Map<String, Object> metrics
    ) {
        Run run = new Run(request, claim, task, metrics);
        run.read();
        run.train();
        if (run.spec.projection() != null) {
            run.project();
        }
        if (run.spec.content() != null) {
            run.profile();
        }
        if (run.spec.fusion() != null) {
            run.fuse();
        }
        run.write();
        Map<String, Integer> blobs = run.store();
        run.report();
        return blobs;
    }

    /**
     * One training, phase by phase: each method is a phase that the task reports by name, and the fields carry what
     * one phase hands to the next.
     */
    private final class Run {

        private final WalsTrainingSpec request;
        private final ModelRecord.TrainingClaim claim;
        private final ModelTask task;
        private final Map<String, Object> metrics;
        /** Where every phase's parallel parts run, cancelled with the task. */
        private final Workers workers;
        private final int textDims;
        /** The request with the tuned parameters once {@link #read} has searched them. */
        private WalsTrainingSpec spec;
        private InteractionMatrix matrix;
        private InteractionReader.Counts counts;
        private WalsModel model;
        private Projection projection;
        private FactorWriter.Fallback projected;
        /** Every item's text vector, read when the hybrid fusion needs them all. */
        private Map<String, float[]> catalogueTexts;
        private ContentProfiles profiles;
        /** The known items' text vectors, for the learned fusion's content feature. */
        private float[][] fusionTexts;
        private FusionNet fusion;
        private FactorWriter.Counts items;
        private FactorWriter.Counts users;
        private double readSeconds;
        private double tuneSeconds;
        private double trainSeconds;
        private double writeSeconds;

        Run(WalsTrainingSpec request, ModelRecord.TrainingClaim claim, ModelTask task, Map<String, Object> metrics) {
            this.request = request;
            this.claim = claim;
            this.task = task;
            this.metrics = metrics;
            this.workers = workers(task);
            this.spec = request;
            this.textDims = request.projection() == null
                ? 0
                : TextVectorField.dims(client, request.items().index(), request.projection().textField(), "projection.text_field");
        }

        /** The interactions into a matrix; with {@code tune}, the search too, which reads them itself. */
        void read() {
            task.phase("reading");
            long t0 = System.nanoTime();
            if (request.tune() == null) {
                InteractionMatrix.Builder builder = new InteractionMatrix.Builder();
                counts = reader.read(request.interactions(), task, builder::add);
                checkRead(request.interactions(), counts);
                matrix = builder.build();
            } else {
                WalsTuning.Tuned tuned = tuning.run(request, task, workers);
                spec = request.tuned(tuned.chosen());
                matrix = tuned.matrix();
                counts = tuned.counts();
                metrics.put(TUNE, tuned.report());
                tuneSeconds = (double) tuned.report().get("seconds");
            }
            readSeconds = ModelTraining.secondsSince(t0) - tuneSeconds;
        }

        void train() {
            task.phase("training");
            long t0 = System.nanoTime();
            model = new WalsTrainer(spec.params()).listener((it, n, loss, s) -> task.iteration(it, n, loss)).runOn(workers).train(matrix);
            trainSeconds = ModelTraining.secondsSince(t0);
        }

        /** The cold-start projection of text vectors into the factor space, and the factors it gives items without interactions. */
        void project() {
            task.phase("projecting");
            if (spec.fusion() != null) {
                // The hybrid fusion needs every item's text at hand; the projection is then the catalogue's, as offline.
                catalogueTexts = ItemTextVectorScan.all(client, spec.items(), spec.projection().textField(), textDims, task);
                projection = HybridCatalogue.place(model, matrix.byItem(), catalogueTexts, spec.projection().params()).projection();
            } else {
                projection = ProjectionFitter.fit(
                    client,
                    spec.items(),
                    spec.projection(),
                    textDims,
                    matrix.items(),
                    model.itemFactors(),
                    spec.params().rank(),
                    matrix.byItem(),
                    task
                );
            }
            projected = ProjectionFitter.fallback(spec.projection(), textDims, spec.params().rank(), projection);
        }

        /** The users' content profiles: the mean text vector of the items each has touched. */
        void profile() {
            task.phase("profiling");
            int dims = profileDims(spec);
            profiles = new ContentProfiles(matrix.byItem(), dims);
            if (spec.fusion() != null && spec.fusion().uses(FusionFeature.CONTENT) && catalogueTexts == null) {
                fusionTexts = new float[matrix.items().size()][];
            }
            ContentProfiles sums = profiles;
            float[][] texts = fusionTexts;
            ItemTextVectorScan.forEach(client, spec.items(), spec.content().textField(), dims, matrix.items(), task, (text, row) -> {
                sums.add(row, text);
                if (texts != null) {
                    texts[row] = text;
                }
            });
        }

        /** The learned fusion, fitted on a carve-out of the interactions as it will be served. */
        void fuse() {
            task.phase("fusion");
            FusionTrainer.EpochListener progress =
                (epoch, loss, ndcg) -> task.iteration(epoch, spec.fusion().params().trainer().epochs(), loss);
            HybridFusion.Result hybrid = null;
            LearnedFusion.Result fit;
            if (catalogueTexts != null) {
                HybridFusion.Params params = spec.fusion().hybrid(spec.projection().params());
                hybrid = HybridFusion.carveOut(matrix, catalogueTexts, spec.params(), params, workers).fit(params, progress);
                fit = hybrid.fit();
            } else {
                fit = LearnedFusion
                    .fit(matrix, spec.fusion().holdout(), fusionTexts, spec.params(), spec.fusion().params(), workers, progress);
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

        /** The slot mappings, then the factors (and counts, profiles) into the claimed slot of both indices. */
        void write() {
            long t0 = System.nanoTime();
            int rank = spec.params().rank();
            task.phase("writing_items");
            task.checkCancelled();
            slotMappings(spec).forEach(writer::apply);
            items = writer.write(
                spec.items(),
                claim.slot(),
                matrix.items(),
                model.itemFactors(),
                rank,
                false,
                projected,
                itemSlotFields(spec, FactorWriter.SlotField.count().withValues(row -> (long) matrix.byItem().rowLength(row))),
                task,
                task::itemsWritten
            );
            task.phase("writing_users");
            users = writer.write(
                spec.users(),
                claim.slot(),
                matrix.users(),
                model.userFactors(),
                rank,
                true,
                null,
                profiles == null ? List.of() : List.of(FactorWriter.SlotField.profile(profiles.dims()).withValues(profiles::profile)),
                task,
                task::usersWritten
            );
            writeSeconds = ModelTraining.secondsSince(t0);
        }

        /** The version's blobs: what serving and fold-in read. */
        Map<String, Integer> store() {
            task.phase("storing");
            task.checkCancelled();
            Map<String, Integer> blobs = new LinkedHashMap<>();
            put(blobs, ITEM_IDS, BlobCodec.strings(matrix.items().ids()));
            put(blobs, USER_IDS, BlobCodec.strings(matrix.users().ids()));
            put(blobs, ITEM_FACTORS, BlobCodec.floats(model.itemFactors()));
            put(blobs, USER_FACTORS, BlobCodec.floats(model.userFactors()));
            put(blobs, ITEM_GRAM, BlobCodec.doubles(FoldIn.gram(model.itemFactors(), matrix.items().size(), spec.params().rank())));
            if (model.params().userWeightExponent() > 0) {
                put(blobs, USER_WEIGHT_SCALE, BlobCodec.floats(new float[]{ model.userWeightScale() }));
            }
            if (model.params().userLambdaExponent() > 0) {
                put(blobs, USER_LAMBDA_SCALE, BlobCodec.floats(new float[]{ model.userLambdaScale() }));
            }
            if (projection != null) {
                put(blobs, PROJECTION, BlobCodec.floats(projection.weights()));
            }
            if (fusion != null) {
                put(blobs, FUSION_NET, BlobCodec.floats(fusion.toFloats()));
            }
            return blobs;
        }

        private void put(Map<String, Integer> blobs, String name, byte[] bytes) {
            blobs.put(name, store.putBlob(spec.modelId(), claim.version(), name, bytes));
        }

        /** What the version's record and the response report. */
        void report() {
            if (projection != null) {
                Map<String, Object> projected = new LinkedHashMap<>();
                projected.put("text_dims", textDims);
                projected.put("items_projected", items.projected());
                if (spec.projection().factorField() != null) {
                    projected.put("factor_field", spec.projection().factorField());
                }
                if (reservesProjected(spec)) {
                    projected.put(FactorWriter.PROJECTED_FIELD_METRIC, FactorWriter.projectedField(spec.items(), claim.slot()));
                }
                metrics.put("projection", projected);
            }
            if (profiles != null) {
                metrics.put("content", Map.of("text_field", spec.content().textField(), "text_dims", profiles.dims()));
            }
            metrics.put(
                "interactions",
                Map.of(
                    "read",
                    counts.read(),
                    "used",
                    counts.used(),
                    "distinct",
                    matrix.nnz(),
                    "skipped_missing_user_or_item",
                    counts.missingUserOrItem(),
                    "skipped_invalid_weight",
                    counts.invalidWeight()
                )
            );
            metrics.put("users", matrix.users().size());
            metrics.put("items", matrix.items().size());
            metrics.put("loss", model.loss());
            if (spec.items().idIsDocumentId()) {
                metrics.put(FactorWriter.ITEM_ID_FIELD_METRIC, FactorWriter.documentIdField(spec.items(), claim.slot()));
            }
            metrics.put("items_written", items.written());
            metrics.put("items_cleared", items.cleared());
            metrics.put("items_without_document", items.withoutDocument());
            metrics.put("users_written", users.written());
            metrics.put("users_created", users.created());
            metrics.put("users_cleared", users.cleared());
            metrics.put(
                "seconds",
                request.tune() == null
                    ? Map.of("read", readSeconds, "train", trainSeconds, "write", writeSeconds)
                    : Map.of("read", readSeconds, "tune", tuneSeconds, "train", trainSeconds, "write", writeSeconds)
            );
            // Which kernels trained it: SIMD only when the node's JVM resolves jdk.incubator.vector.
            metrics.put("kernels", FlatVectors.implementation());
        }
    }
}
