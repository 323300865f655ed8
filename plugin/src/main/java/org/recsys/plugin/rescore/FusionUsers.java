package org.recsys.plugin.rescore;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.support.GroupedActionListener;
import org.elasticsearch.action.support.SubscribableListener;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.core.Nullable;
import org.recsys.core.fusion.Fusion;
import org.recsys.core.fusion.FusionFeature;
import org.recsys.core.fusion.FusionFeatures;
import org.recsys.plugin.serving.ModelUser;
import org.recsys.plugin.serving.UserSpec;
import org.recsys.plugin.serving.UserVectorAction;
import org.recsys.plugin.util.ReadableSources;
import org.recsys.plugin.util.VectorsInSource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Resolves what a fused score needs of a user, on the coordinating node: the user as the rescorer's model and each
 * other model of the request see them (one {@link UserVectorAction} each, all at once), the content profile when the
 * fusion reads it, and the popularity field (the request's, else the counts the model's training wrote).
 * The profile is, in order of preference: the request's {@code content_vector}; the one the model's version keeps
 * with the user when the request compares with the same text field; else the mean of the text vectors of the
 * user's items, read by one multi-get.
 */
final class FusionUsers {

    private FusionUsers() {}

    /** @param model the user as the rescorer's model sees them when the caller already has it (as {@code _recommend} does), else null */
    static void resolve(
        Client client,
        String modelId,
        UserSpec user,
        FusionRequest fusion,
        @Nullable ModelUser model,
        ActionListener<ResolvedUser> listener
    ) {
        SubscribableListener<List<ModelUser>> others = SubscribableListener.newForked(l -> others(client, user, fusion, l));
        ActionListener<ModelUser> withModel = listener.delegateFailureAndWrap((l, m) -> {
            Fusion f = fusion.fusion(m);
            profile(client, m, fusion, f.reads(FusionFeature.CONTENT), l.delegateFailureAndWrap((l2, profile) -> {
                String textField = fusion.textField() != null ? fusion.textField() : m.contentField();
                String popularityField = fusion.popularityField() != null ? fusion.popularityField() : m.countField();
                others.addListener(l2.map(o -> new ResolvedUser(m, textField, profile, popularityField, o)));
            }));
        });
        if (model != null) {
            withModel.onResponse(model);
        } else {
            client.execute(
                UserVectorAction.TYPE,
                new UserVectorAction.Request(modelId, user, false),
                withModel.map(UserVectorAction.Response::user)
            );
        }
    }

    private static void others(Client client, UserSpec user, FusionRequest fusion, ActionListener<List<ModelUser>> listener) {
        List<ModelWeight> models = fusion.models();
        if (models.isEmpty()) {
            listener.onResponse(List.of());
            return;
        }
        // Answers arrive in any order; they are put back in the request's.
        GroupedActionListener<ModelUser> all = new GroupedActionListener<>(models.size(), listener.map((Collection<ModelUser> users) -> {
            List<ModelUser> ordered = new ArrayList<>(users);
            ordered.sort(Comparator.comparingInt(u -> indexOf(models, u.modelId())));
            return ordered;
        }));
        for (ModelWeight m : models) {
            client.execute(
                UserVectorAction.TYPE,
                new UserVectorAction.Request(m.model(), user, false),
                all.map(UserVectorAction.Response::user)
            );
        }
    }

    private static int indexOf(List<ModelWeight> models, String modelId) {
        for (int i = 0; i < models.size(); i++) {
            if (models.get(i).model().equals(modelId)) {
                return i;
            }
        }
        throw new IllegalStateException("model [" + modelId + "] was not asked for");
    }

    private static void profile(Client client, ModelUser user, FusionRequest fusion, boolean needed, ActionListener<float[]> listener) {
        if (fusion.contentVector() != null) {
            listener.onResponse(FusionFeatures.unit(fusion.contentVector().clone()));
            return;
        }
        if (needed == false) {
            listener.onResponse(null);
            return;
        }
        String textField = fusion.textField() != null ? fusion.textField() : user.contentField();
        if (textField == null) {
            listener.onFailure(
                new IllegalArgumentException(
                    "the fusion gives [content] a weight, but names no [text_field] and model ["
                        + user.modelId()
                        + "] keeps no content profiles; name the items' text vector field, or train the model with [content]"
                )
            );
            return;
        }
        if (textField.equals(user.contentField())) {
            listener.onResponse(user.contentProfile());
            return;
        }
        if (user.seenItems().isEmpty()) {
            listener.onResponse(null);
            return;
        }
        String[] fields = { textField };
        ReadableSources.byId(client, user.itemIndex(), user.served().itemKeyField(), user.seenItems(), fields, listener.map(sources -> {
            List<float[]> texts = new ArrayList<>();
            for (String item : user.seenItems()) {
                float[] t = VectorsInSource.read(sources.getOrDefault(item, Map.of()), textField);
                if (t != null) {
                    texts.add(t);
                }
            }
            return FusionFeatures.contentProfile(texts);
        }));
    }
}
