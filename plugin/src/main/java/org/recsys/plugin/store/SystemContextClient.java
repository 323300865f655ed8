package org.recsys.plugin.store;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.support.ContextPreservingActionListener;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.client.internal.FilterClient;
import org.elasticsearch.common.util.concurrent.ThreadContext;

import java.util.function.Supplier;

/**
 * Runs each request in an empty system context, the way a plugin that is not part of X-Pack reaches what it owns
 * (its system index, its node-to-node refresh): security authenticates such a request as its internal system user,
 * which may read and write data of any index, system ones included, and run {@code internal:} actions, but nothing
 * a role grants. An {@code OriginSettingClient} would not do: X-Pack refuses every origin it does not know. Answers
 * come back in the caller's context, as {@code OriginSettingClient}'s do.
 */
public final class SystemContextClient extends FilterClient {

    public SystemContextClient(Client in) {
        super(in);
    }

    @Override
    protected <Request extends ActionRequest, Response extends ActionResponse> void doExecute(
        ActionType<Response> action,
        Request request,
        ActionListener<Response> listener
    ) {
        ThreadContext context = threadPool().getThreadContext();
        Supplier<ThreadContext.StoredContext> caller = context.newRestorableContext(false);
        try (ThreadContext.StoredContext ignored = context.newEmptySystemContext()) {
            super.doExecute(action, request, new ContextPreservingActionListener<>(caller, listener));
        }
    }
}
