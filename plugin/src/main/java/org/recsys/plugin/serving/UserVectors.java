package org.recsys.plugin.serving;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.search.builder.SearchSourceBuilder;

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

    /**
     * As {@link #resolve}, for a caller who must be allowed to read the model's item index ({@code _user}): a search
     * of it that reads nothing makes sure, since a stored user is resolved from the user and interaction indices
     * alone. Inside a search of the item index ({@code recsys_user}, the rescorer, {@code _recommend}) that search
     * itself is the check.
     */
    public void resolveForItemReader(String modelId, UserSpec user, ActionListener<ModelUser> listener) {
        resolve(modelId, user, listener.delegateFailureAndWrap((l, resolved) -> {
            SearchSourceBuilder nothing = new SearchSourceBuilder().size(0).trackTotalHits(false);
            client.prepareSearch(resolved.itemIndex()).setSource(nothing).execute(l.map(searched -> resolved));
        }));
    }
}
