package org.recsys.plugin.action;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.HandledTransportAction;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportService;
import org.recsys.plugin.store.ModelRecord;
import org.recsys.plugin.store.ModelStore;
import org.recsys.plugin.store.VersionRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET _recsys/models[/{id}]}: each model with the version it serves, the fields that hold that version's
 * factors (what a {@code knn} search names), a training in progress, and every kept version.
 */
public final class GetModelsAction {

    public static final ActionType<MapResponse> TYPE = new ActionType<>("cluster:monitor/recsys/model/get");

    private GetModelsAction() {}

    public static final class Transport extends HandledTransportAction<IdRequest, MapResponse> {
        private final ModelStore store;

        @Inject
        public Transport(TransportService transportService, ActionFilters actionFilters, ThreadPool threadPool, ModelStore store) {
            // The store's calls block: the generic pool, never a transport thread.
            super(TYPE.name(), transportService, actionFilters, IdRequest::new, threadPool.generic());
            this.store = store;
        }

        @Override
        protected void doExecute(Task task, IdRequest request, ActionListener<MapResponse> listener) {
            List<ModelRecord> models = request.id() == null ? store.models() : List.of(store.requireModel(request.id()).model());
            List<Map<String, Object>> out = new ArrayList<>();
            for (ModelRecord m : models) {
                out.add(describe(m, store.versions(m.modelId())));
            }
            listener.onResponse(new MapResponse(Map.of("models", out)));
        }
    }

    static Map<String, Object> describe(ModelRecord model, List<VersionRecord> versions) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_id", model.modelId());
        out.put("type", model.type());
        out.put("created_millis", model.createdMillis());
        Map<String, Object> served = null;
        List<Map<String, Object>> kept = new ArrayList<>();
        for (VersionRecord v : versions) {
            Map<String, Object> version = new LinkedHashMap<>();
            version.put("version", v.version());
            version.put("status", v.status().id());
            version.put("slot", v.slot());
            version.put("store_format", v.format());
            version.put("started_millis", v.startedMillis());
            version.put("finished_millis", v.finishedMillis());
            if (v.error() != null) {
                version.put("error", v.error());
            }
            version.put("spec", v.spec());
            version.put("metrics", v.metrics());
            if (v.evaluation() != null) {
                version.put("evaluation", v.evaluation());
            }
            kept.add(version);
            if (v.version() == model.activeVersion()) {
                served = served(v);
            }
        }
        out.put("served", served);
        if (model.training() != null) {
            out.put(
                "training",
                Map.of(
                    "version",
                    model.training().version(),
                    "task",
                    model.training().taskId(),
                    "started_millis",
                    model.training().startedMillis()
                )
            );
        }
        out.put("versions", kept);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> served(VersionRecord v) {
        Map<String, Object> items = (Map<String, Object>) v.spec().get("items");
        Map<String, Object> users = (Map<String, Object>) v.spec().get("users");
        Map<String, Object> served = new LinkedHashMap<>();
        served.put("version", v.version());
        served.put("slot", v.slot());
        served.put("item_index", items.get("index"));
        served.put("item_field", items.get("vector_field") + "_" + v.slot());
        // Only a model with user vectors (wals) has a user field to serve.
        if (users != null && users.containsKey("vector_field")) {
            served.put("user_index", users.get("index"));
            served.put("user_field", users.get("vector_field") + "_" + v.slot());
        }
        Map<String, Object> projection = (Map<String, Object>) v.spec().get("projection");
        if (projection != null) {
            served.put(
                "projection",
                Map.of("text_field", projection.get("text_field"), "source_field", items.get("vector_field") + "_" + v.slot() + "_source")
            );
        }
        return served;
    }
}
