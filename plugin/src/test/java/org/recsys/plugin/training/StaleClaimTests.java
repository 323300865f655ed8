package org.recsys.plugin.training;

import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.action.admin.cluster.node.tasks.get.GetTaskRequest;
import org.elasticsearch.action.bulk.BulkRequestBuilder;
import org.elasticsearch.action.support.WriteRequest;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.tasks.TaskManager;
import org.elasticsearch.transport.TransportService;
import org.recsys.plugin.RecsysNodeTestCase;
import org.recsys.plugin.action.TrainModelAction;
import org.recsys.plugin.store.ModelRecord;
import org.recsys.plugin.store.ModelStore;
import org.recsys.plugin.store.VersionRecord;

import java.util.Map;

import static org.hamcrest.Matchers.containsString;

/**
 * A model's training claim left behind by a task, in a real single node: taken over (and its version marked failed)
 * only when the task is known to be gone; a running task, or one whose state cannot be read, keeps it (409).
 */
public class StaleClaimTests extends RecsysNodeTestCase {

    private static final String MODEL = "stale";

    private ModelStore store;

    @Override
    public void setUp() throws Exception {
        super.setUp();
        store = new ModelStore(client(), getInstanceFromNode(ClusterService.class));
        client().admin().indices().prepareCreate("ratings").setMapping("user_id", "type=keyword", "item_id", "type=keyword").get();
        client().admin().indices().prepareCreate("movies").get();
        BulkRequestBuilder bulk = client().prepareBulk().setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE);
        for (int item = 0; item < 6; item++) {
            bulk.add(client().prepareIndex("movies").setId("i" + item).setSource("title", "movie " + item));
        }
        for (int user = 0; user < 5; user++) {
            for (int item = user % 2; item < 6; item += 2) {
                bulk.add(client().prepareIndex("ratings").setSource("user_id", "u" + user, "item_id", "i" + item));
            }
        }
        assertFalse(bulk.get().hasFailures());
    }

    /** What a training leaves when its node stops before it ends: the model's claim and a version still "training". */
    private void plantClaim(String taskId) {
        ModelRecord.TrainingClaim claim = new ModelRecord.TrainingClaim(1, "a", taskId, System.currentTimeMillis());
        store.putModel(ModelRecord.create(MODEL, "wals", System.currentTimeMillis()).claimed(claim), null);
        store.putVersion(new VersionRecord(MODEL, 1, VersionRecord.Status.TRAINING, "a", Map.of(), Map.of(), null, null, 0, 0, Map.of()));
    }

    private Map<String, Object> train() {
        return train("ratings");
    }

    private Map<String, Object> train(String interactions) {
        TrainingSpec spec = TrainingSpecs.parse(
            MODEL,
            Map.of(
                "interactions",
                Map.of("index", interactions),
                "items",
                Map.of("index", "movies"),
                "users",
                Map.of("index", "people"),
                "params",
                Map.of("rank", 2, "iterations", 2, "threads", 1)
            ),
            1
        );
        return client().execute(TrainModelAction.TYPE, new TrainModelAction.Request(spec)).actionGet().body();
    }

    public void testTheClaimOfATaskWhoseNodeLeftIsTakenOver() {
        plantClaim("node-that-left:42");
        Map<String, Object> trained = train();
        assertEquals(trained.toString(), "complete", trained.get("status"));
        assertEquals(2L, ((Number) trained.get("version")).longValue());
        assertNull(store.requireModel(MODEL).model().training());
    }

    public void testTheVersionOfATakenOverClaimIsMarkedFailed() {
        plantClaim("node-that-left:42");
        // A successful training deletes failed versions as it ends; one that fails after its claim keeps them all.
        // This one fails as it reads: its documents pass the checks but none names an item.
        client().admin().indices().prepareCreate("views").setMapping("user_id", "type=keyword", "item_id", "type=keyword").get();
        client().prepareIndex("views").setSource("user_id", "u0").setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE).get();
        Exception failed = expectThrows(Exception.class, () -> train("views"));
        VersionRecord abandoned = store.version(MODEL, 1);
        assertThat(failed.getMessage(), containsString("no interactions to train on"));
        assertEquals(VersionRecord.Status.FAILED, abandoned.status());
        assertThat(abandoned.error(), containsString("abandoned: task [node-that-left:42] ended without finishing"));
        assertEquals(VersionRecord.Status.FAILED, store.version(MODEL, 2).status());
        assertNull(store.requireModel(MODEL).model().training());
    }

    public void testTheClaimOfARunningTaskIsAConflictAndChangesNothing() {
        TaskManager tasks = getInstanceFromNode(TransportService.class).getTaskManager();
        Task running = tasks.register("transport", "cluster:admin/recsys/model/train", new GetTaskRequest());
        try {
            String taskId = getInstanceFromNode(ClusterService.class).localNode().getId() + ":" + running.getId();
            plantClaim(taskId);
            ElasticsearchStatusException e = expectThrows(ElasticsearchStatusException.class, this::train);
            assertEquals(RestStatus.CONFLICT, e.status());
            assertThat(e.getMessage(), containsString("is already being trained (version [1], task [" + taskId + "])"));
            assertEquals(VersionRecord.Status.TRAINING, store.version(MODEL, 1).status());
            assertEquals(taskId, store.requireModel(MODEL).model().training().taskId());
        } finally {
            tasks.unregister(running);
        }
    }

    public void testTheClaimOfATaskWhoseStateCannotBeReadIsAConflict() {
        // The task's node left, and the index of finished tasks, where its result would be, cannot be read.
        client().admin().indices().prepareCreate(".tasks").get();
        client().admin().indices().prepareClose(".tasks").get();
        plantClaim("node-that-left:42");
        ElasticsearchStatusException e = expectThrows(ElasticsearchStatusException.class, this::train);
        assertEquals(RestStatus.CONFLICT, e.status());
        assertThat(e.getMessage(), containsString("whether that task still runs could not be checked"));
        assertEquals(VersionRecord.Status.TRAINING, store.version(MODEL, 1).status());
    }
}
