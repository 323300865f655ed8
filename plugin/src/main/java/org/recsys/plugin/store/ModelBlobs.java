package org.recsys.plugin.store;

/**
 * The names of the blobs a version stores, and the format of each: the store owns them so that the trainers that
 * write a blob and the serving and evaluation code that read it share one name without depending on each other.
 */
public final class ModelBlobs {

    /** {@code wals}: the item ids in factor row order ({@link BlobCodec#strings}). */
    public static final String ITEM_IDS = "item_ids";
    /** {@code wals}: the user ids in factor row order ({@link BlobCodec#strings}). */
    public static final String USER_IDS = "user_ids";
    /** {@code wals}: the item factors, row-major ({@link BlobCodec#floats}). */
    public static final String ITEM_FACTORS = "item_factors";
    /** {@code wals}: the user factors, row-major ({@link BlobCodec#floats}). */
    public static final String USER_FACTORS = "user_factors";
    /** {@code wals}: the items' Gram matrix YᵀY that fold-in solves with ({@link BlobCodec#doubles}). */
    public static final String ITEM_GRAM = "item_gram";
    /** {@code wals} whose users are weighted: the scale of the user weights, one float that fold-in needs ({@link BlobCodec#floats}). */
    public static final String USER_WEIGHT_SCALE = "user_weight_scale";
    /** {@code wals} whose users' λ scale with their items: the scale of the users' λ, one float that fold-in needs ({@link BlobCodec#floats}). */
    public static final String USER_LAMBDA_SCALE = "user_lambda_scale";
    /** {@code wals} with {@code projection}: the ridge projection's weights ({@link BlobCodec#floats}). */
    public static final String PROJECTION = "projection";
    /** {@code wals} with {@code fusion}: the learned fusion network ({@link BlobCodec#floats}). */
    public static final String FUSION_NET = "fusion_net";
    /** {@code melu}: the whole model, in core's {@code MeluModelFormat} bytes. */
    public static final String MELU_MODEL = "melu_model";
    /** {@code sequential}: the whole model, in core's {@code SequentialModelFile} bytes. */
    public static final String SEQUENTIAL_MODEL = "sequential_model";

    private ModelBlobs() {}
}
