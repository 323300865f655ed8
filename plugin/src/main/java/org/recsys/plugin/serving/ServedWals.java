package org.recsys.plugin.serving;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.core.Nullable;
import org.recsys.core.projection.Projection;
import org.recsys.plugin.store.BlobCodec;
import org.recsys.plugin.store.ModelBlobs;
import org.recsys.plugin.store.ModelStore;
import org.recsys.plugin.store.VersionRecord;
import org.recsys.plugin.training.FactorWriter;
import org.recsys.plugin.training.WalsTrainingSpec;

import java.util.Map;

/**
 * The version a {@code wals} model serves, as query-time code needs it: where its factors are (the served slot's
 * fields), how it was trained (the spec, for fold-in's parameters and the interactions to exclude), the items' Gram
 * matrix and the scales of the user weights and of the users' λ for fold-in, and the cold-start projection, the users' content profiles and the learned fusion when it has
 * them, and the field holding its projected items' factors alone when it wrote one.
 */
public record ServedWals(
    String modelId,
    long version,
    String slot,
    WalsTrainingSpec spec,
    double[] itemGram,
    float userWeightScale,
    float userLambdaScale,
    @Nullable Projection projection,
    @Nullable float[] learnedFusion,
    @Nullable String projectedField,
    @Nullable String itemIdField,
    long memoryBytes
) implements ServedModel {

    /** Loads a stored version of a {@code wals} model. */
    static ServedWals load(ModelStore store, VersionRecord version, WalsTrainingSpec spec) {
        double[] gram = BlobCodec.toDoubles(store.blob(version, ModelBlobs.ITEM_GRAM));
        long bytes = (long) gram.length * Double.BYTES;
        float userWeightScale = scale(store, version, ModelBlobs.USER_WEIGHT_SCALE);
        float userLambdaScale = scale(store, version, ModelBlobs.USER_LAMBDA_SCALE);
        Projection projection = null;
        if (spec.projection() != null && version.blobChunks().containsKey(ModelBlobs.PROJECTION)) {
            float[] weights = BlobCodec.toFloats(store.blob(version, ModelBlobs.PROJECTION));
            int rank = spec.params().rank();
            projection = new Projection(weights.length / rank - 1, rank, weights);
            bytes += (long) weights.length * Float.BYTES;
        }
        float[] fusion =
            version.blobChunks().containsKey(ModelBlobs.FUSION_NET) ? BlobCodec.toFloats(store.blob(version, ModelBlobs.FUSION_NET)) : null;
        if (fusion != null) {
            bytes += (long) fusion.length * Float.BYTES;
        }
        String projectedField =
            version.metrics().get("projection") instanceof Map<?, ?> p && p.get(FactorWriter.PROJECTED_FIELD_METRIC) instanceof String field
                ? field
                : null;
        return new ServedWals(
            version.modelId(),
            version.version(),
            version.slot(),
            spec,
            gram,
            userWeightScale,
            userLambdaScale,
            projection,
            fusion,
            projectedField,
            VersionFields.itemIdField(spec.items(), version.metrics()),
            bytes
        );
    }

    /** A scale fold-in needs, stored as one float when training used it; 1 (no scaling) otherwise. */
    private static float scale(ModelStore store, VersionRecord version, String blob) {
        return version.blobChunks().containsKey(blob) ? BlobCodec.toFloats(store.blob(version, blob))[0] : 1f;
    }

    public String itemIndex() {
        return spec.items().index();
    }

    public String itemField() {
        return spec.items().field(slot);
    }

    public String itemSourceField() {
        return FactorWriter.sourceField(spec.items(), slot);
    }

    public String userIndex() {
        return spec.users().index();
    }

    public String userField() {
        return spec.users().field(slot);
    }

    public int rank() {
        return spec.params().rank();
    }

    /** The items' text vector field the users' content profiles were made from, or null when the version has none. */
    @Nullable
    public String contentField() {
        return spec.content() == null ? null : spec.content().textField();
    }

    /** What the shards need of this version to score its items. */
    public VersionFields fields() {
        boolean hybrid = spec.projection() != null && spec.fusion() != null && learnedFusion != null;
        return new VersionFields(
            modelId,
            version,
            itemIndex(),
            itemField(),
            contentField(),
            FactorWriter.countField(spec.items(), slot),
            learnedFusion,
            hybrid ? itemSourceField() : null,
            hybrid ? projectedField : null,
            hybrid ? spec.fusion().reserved() : 0,
            itemIdField,
            spec.items().idField()
        );
    }

    /**
     * The field this version keeps each item's {@code _id} in, for {@code wals_projection} to write for the items it
     * projects: null when the items are keyed by an id field of their own (its doc values answer) or the version
     * predates the copy.
     */
    @Nullable
    public String documentIdCopyField() {
        return spec.items().idIsDocumentId() ? itemIdField : null;
    }

    /** The user documents' field holding this version's content profiles, or null when it has none. */
    @Nullable
    public String userProfileField() {
        return spec.content() == null ? null : FactorWriter.profileField(spec.users(), slot);
    }

    @Override
    public void resolveUser(UserSpec user, Client client, ActionListener<ModelUser> listener) {
        WalsUsers.resolve(this, user, client, listener);
    }
}
