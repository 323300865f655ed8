package org.recsys.plugin.serving;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.client.internal.Client;
import org.recsys.plugin.training.TrainingSpec;

/** The version a model serves on this node, in the form its type's query-time code needs. */
public interface ServedModel {

    String modelId();

    long version();

    TrainingSpec spec();

    /** The bytes of the version's stored parameters that this node holds to serve it (the blobs it loaded). */
    long memoryBytes();

    default String type() {
        return spec().type();
    }

    /**
     * Resolves a user against this version, asynchronously and as the calling user (whose thread context the
     * client carries): an unknown user is a 404, a history the model cannot use a 400, each naming what is wrong.
     */
    void resolveUser(UserSpec user, Client client, ActionListener<ModelUser> listener);
}
