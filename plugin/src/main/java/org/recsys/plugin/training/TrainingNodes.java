package org.recsys.plugin.training;

import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.cluster.node.DiscoveryNode;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.common.settings.Setting;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.rest.RestStatus;

import java.util.Comparator;
import java.util.List;

/**
 * Which nodes may train. {@code recsys.training.enabled: false} keeps trainings off a node (say, the nodes that serve
 * searches); every node publishes its value as the node attribute {@code recsys_training}, so the node that receives
 * a {@code _train} can see, in the cluster state, where it may run.
 */
public final class TrainingNodes {

    public static final Setting<Boolean> ENABLED = Setting.boolSetting("recsys.training.enabled", true, Setting.Property.NodeScope);
    static final String ATTRIBUTE = "recsys_training";

    private TrainingNodes() {}

    /** The node attribute that publishes {@link #ENABLED}: what {@code Plugin#additionalSettings} adds. */
    public static Settings attribute(Settings settings) {
        return Settings.builder().put("node.attr." + ATTRIBUTE, ENABLED.get(settings)).build();
    }

    /**
     * The node that runs a training of {@code modelId}: the local node when it may train, else one of those that may,
     * the same one for a model while the nodes do not change (so trainings of different models spread out); none is
     * a 409 that names the setting.
     */
    public static DiscoveryNode choose(DiscoveryNodes nodes, String modelId) {
        if (mayTrain(nodes.getLocalNode())) {
            return nodes.getLocalNode();
        }
        List<DiscoveryNode> eligible =
            nodes.stream().filter(TrainingNodes::mayTrain).sorted(Comparator.comparing(DiscoveryNode::getId)).toList();
        if (eligible.isEmpty()) {
            throw new ElasticsearchStatusException(
                "no node of the cluster may train: every node has [" + ENABLED.getKey() + ": false]; set it to true on at least one node",
                RestStatus.CONFLICT
            );
        }
        return eligible.get(Math.floorMod(modelId.hashCode(), eligible.size()));
    }

    /** A node that publishes no attribute runs another version of the plugin, or none: it is not asked. */
    static boolean mayTrain(DiscoveryNode node) {
        return Boolean.parseBoolean(node.getAttributes().get(ATTRIBUTE));
    }
}
