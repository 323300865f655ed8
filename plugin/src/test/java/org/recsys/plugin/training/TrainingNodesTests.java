package org.recsys.plugin.training;

import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.cluster.node.DiscoveryNode;
import org.elasticsearch.cluster.node.DiscoveryNodeUtils;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.test.ESTestCase;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Where a training runs: here when this node may, else on a node that may (the same one per model), else a 409. */
public class TrainingNodesTests extends ESTestCase {

    private static DiscoveryNode node(String id, Boolean mayTrain) {
        Map<String, String> attributes = mayTrain == null ? Map.of() : Map.of(TrainingNodes.ATTRIBUTE, mayTrain.toString());
        return DiscoveryNodeUtils.builder(id).attributes(attributes).build();
    }

    private static DiscoveryNodes nodes(String local, DiscoveryNode... nodes) {
        DiscoveryNodes.Builder b = DiscoveryNodes.builder();
        for (DiscoveryNode n : nodes) {
            b.add(n);
        }
        return b.localNodeId(local).masterNodeId(nodes[0].getId()).build();
    }

    public void testTheAttributePublishesTheSetting() {
        assertEquals("true", TrainingNodes.attribute(Settings.EMPTY).get("node.attr.recsys_training"));
        assertEquals(
            "false",
            TrainingNodes.attribute(Settings.builder().put("recsys.training.enabled", false).build()).get("node.attr.recsys_training")
        );
    }

    public void testALocalNodeThatMayTrainTrains() {
        DiscoveryNodes nodes = nodes("a", node("a", true), node("b", true));
        assertEquals("a", TrainingNodes.choose(nodes, "m").getId());
    }

    public void testOtherwiseANodeThatMayTrainTheSameForAModel() {
        DiscoveryNodes nodes = nodes("a", node("a", false), node("b", true), node("c", true), node("d", null));
        Set<String> chosen = new HashSet<>();
        for (int m = 0; m < 50; m++) {
            String target = TrainingNodes.choose(nodes, "model-" + m).getId();
            assertEquals(target, TrainingNodes.choose(nodes, "model-" + m).getId());
            chosen.add(target);
        }
        assertEquals(Set.of("b", "c"), chosen);
    }

    public void testNoNodeThatMayTrainIsAConflictNamingTheSetting() {
        DiscoveryNodes nodes = nodes("a", node("a", false), node("b", null));
        ElasticsearchStatusException e = expectThrows(ElasticsearchStatusException.class, () -> TrainingNodes.choose(nodes, "m"));
        assertEquals(RestStatus.CONFLICT, e.status());
        assertTrue(e.getMessage(), e.getMessage().contains("recsys.training.enabled"));
    }
}
