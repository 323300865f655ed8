package org.recsys.plugin.rest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.common.Table;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.action.RestResponseListener;
import org.elasticsearch.rest.action.cat.AbstractCatAction;
import org.elasticsearch.rest.action.cat.RestTable;
import org.recsys.plugin.action.GetModelsAction;
import org.recsys.plugin.action.IdRequest;
import org.recsys.plugin.action.MapResponse;

import java.util.List;
import java.util.Map;

/** {@code GET _cat/recsys/models}: one row per model. */
public final class RestCatModelsAction extends AbstractCatAction {

    @Override
    public String getName() {
        return "recsys_cat_models";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.GET, "/_cat/recsys/models"));
    }

    @Override
    protected void documentation(StringBuilder sb) {
        sb.append("/_cat/recsys/models\n");
    }

    @Override
    protected Table getTableWithHeader(RestRequest request) {
        Table table = new Table();
        table.startHeaders();
        table.addCell("id", "desc:model id");
        table.addCell("type", "desc:model type");
        table.addCell("version", "desc:served version");
        table.addCell("status", "desc:status of the newest version");
        table.addCell("users", "desc:users in the served version");
        table.addCell("items", "desc:items in the served version");
        table.addCell("rank", "desc:factors per user and item");
        table.addCell("item_field", "desc:field that holds the served item factors");
        table.addCell("training", "desc:version being trained, if any");
        table.endHeaders();
        return table;
    }

    @Override
    protected RestChannelConsumer doCatRequest(RestRequest request, NodeClient client) {
        return channel -> client.execute(GetModelsAction.TYPE, IdRequest.all(), new RestResponseListener<MapResponse>(channel) {
            @Override
            public RestResponse buildResponse(MapResponse response) throws Exception {
                return RestTable.buildResponse(table(request, response), channel);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private Table table(RestRequest request, MapResponse response) {
        Table table = getTableWithHeader(request);
        for (Map<String, Object> model : (List<Map<String, Object>>) response.body().get("models")) {
            List<Map<String, Object>> versions = (List<Map<String, Object>>) model.get("versions");
            Map<String, Object> served = (Map<String, Object>) model.get("served");
            Map<String, Object> servedVersion = versions.stream()
                .filter(v -> served != null && v.get("version").equals(served.get("version")))
                .findFirst()
                .orElse(Map.of());
            Map<String, Object> metrics = (Map<String, Object>) servedVersion.getOrDefault("metrics", Map.of());
            Map<String, Object> spec = (Map<String, Object>) servedVersion.getOrDefault("spec", Map.of());
            Map<String, Object> params = (Map<String, Object>) spec.getOrDefault("params", Map.of());
            Map<String, Object> training = (Map<String, Object>) model.get("training");
            table.startRow();
            table.addCell(model.get("model_id"));
            table.addCell(model.get("type"));
            table.addCell(served == null ? null : served.get("version"));
            table.addCell(versions.isEmpty() ? null : versions.get(0).get("status"));
            table.addCell(metrics.get("users"));
            table.addCell(metrics.get("items"));
            // A tuned version's rank is the one its search chose.
            Object rank = params.get("rank");
            if (rank == null && metrics.get("tune") instanceof Map<?, ?> tune && tune.get("chosen") instanceof Map<?, ?> chosen) {
                rank = chosen.get("rank");
            }
            table.addCell(rank);
            table.addCell(served == null ? null : served.get("item_field"));
            table.addCell(training == null ? null : training.get("version"));
            table.endRow();
        }
        return table;
    }
}
