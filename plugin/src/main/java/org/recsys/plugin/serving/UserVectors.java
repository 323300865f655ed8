package org.recsys.plugin.serving;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.client.internal.Client;

/**
 * Turns a {@link UserSpec} into the user as a model's served version sees them, whatever the model's type,
 * asynchronously and as the calling user.
 */
public final class UserVectors {

    private final Client client;
    private final ServedModels models;

    public UserVectors(Client client, ServedModels models) {
        this.client = client;
        this.models = models;
    }

    public void resolve(String modelId, UserSpec user, ActionListener<ModelUser> listener) {
        models.served(modelId, listener.delegateFailureAndWrap((l, served) -> served.resolveUser(user, client, l)));
    }
}
