package org.recsys.plugin.evaluation;

import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.core.Releasable;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentParser;
import org.recsys.core.data.IdIndex;
import org.recsys.core.eval.Rating;
import org.recsys.core.eval.TopNMetrics;
import org.recsys.core.topk.TopK;
import org.recsys.plugin.memory.RecsysBreaker;
import org.recsys.plugin.store.BlobCodec;
import org.recsys.plugin.store.ModelBlobs;
import org.recsys.plugin.store.ModelStore;
import org.recsys.plugin.store.VersionRecord;
import org.recsys.plugin.training.InteractionReader;
import org.recsys.plugin.training.InteractionSource;
import org.recsys.plugin.training.ModelTask;
import org.recsys.plugin.training.TrainingSpec;
import org.recsys.plugin.training.TrainingSpecs;
import org.recsys.plugin.training.WalsTrainingSpec;
import org.recsys.plugin.util.BodyParsing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code _evaluate}: the P1 top-N metrics of the served version on held-out interactions, computed in the node.
 * For every user of the held-out interactions, all items are ranked by the stored factors, the items the user has
 * in the training interactions (read again with the model's own source and query) are excluded, and the top k are
 * scored exactly as {@code evaluate.py topn} does ({@link TopNMetrics}); a user without a factor counts with no hits.
 */
public final class ModelEvaluation {

    /** The body of {@code _evaluate}: the held-out interactions, shaped like the training ones where not given, and k. */
    private static final ObjectParser<Body, Void> PARSER = new ObjectParser<>("evaluate", Body::new);
    static {
        PARSER.declareObject((b, v) -> b.interactions = v, InteractionSource.PARSER, new ParseField("interactions"));
        PARSER.declareInt((b, v) -> b.k = v, new ParseField("k"));
        PARSER.declareRequiredFieldSet("interactions");
    }

    private static final class Body {
        private InteractionSource.Builder interactions;
        private int k = 10;
    }

    private final ModelStore store;
    private final InteractionReader reader;
    private final RecsysBreaker memory;

    public ModelEvaluation(Client client, ModelStore store, RecsysBreaker memory) {
        this.store = store;
        this.reader = new InteractionReader(client);
        this.memory = memory;
    }

    /** @param request the body as the REST layer read it; parsed here, where the request is run */
    public Map<String, Object> run(String modelId, Map<String, Object> request, ModelTask task) throws IOException {
        Body body;
        try (XContentParser parser = BodyParsing.parserOf(request)) {
            body = PARSER.parse(parser, null);
        }
        int k = body.k;
        if (k < 1 || k > 1000) {
            throw new IllegalArgumentException("[k] is [" + k + "]; it must be between 1 and 1000");
        }
        ModelStore.Stored stored = store.requireModel(modelId);
        if (stored.model().hasActiveVersion() == false) {
            throw new ElasticsearchStatusException("model [" + modelId + "] has no trained version to evaluate", RestStatus.CONFLICT);
        }
        VersionRecord version = store.version(modelId, stored.model().activeVersion());
        TrainingSpec spec = TrainingSpecs.ofVersion(version);
        if (spec instanceof WalsTrainingSpec == false) {
            throw new IllegalArgumentException("model [" + modelId + "] is a [" + spec.type() + "] model; _evaluate ranks [wals] models");
        }
        InteractionSource trained = spec.interactions();
        InteractionSource heldOut = body.interactions.overriding(trained);
        reader.checkMapping(heldOut);
        InteractionReader.Size heldOutSize = reader.size(heldOut);
        if (heldOutSize.interactions() == 0) {
            throw new IllegalArgumentException("no held-out interactions in index [" + heldOut.index() + "]");
        }
        InteractionReader.Size trainedSize = reader.size(trained);
        try (Releasable reserved = memory.reserve(
            estimateBytes(version, ((WalsTrainingSpec) spec).params().rank(), heldOutSize, trainedSize),
            "evaluation of model [" + modelId + "]"
        )) {
            return evaluate(modelId, k, version, trained, heldOut, task);
        }
    }

    /**
     * The held-out and training interactions as objects, every id, both factor matrices, and a bit set of seen items
     * per held-out user: an upper estimate, from counts taken before reading.
     */
    private static long estimateBytes(VersionRecord version, long rank, InteractionReader.Size heldOut, InteractionReader.Size trained) {
        long users = ((Number) version.metrics().getOrDefault("users", trained.users())).longValue();
        long items = ((Number) version.metrics().getOrDefault("items", trained.items())).longValue();
        return 120L * (heldOut.interactions() + trained.interactions()) + (users + items) * (4 * rank + 100)
            + heldOut.users() * (items / 8 + 64);
    }

    private Map<String, Object> evaluate(
        String modelId,
        int k,
        VersionRecord version,
        InteractionSource trained,
        InteractionSource heldOut,
        ModelTask task
    ) {
        task.phase("reading_held_out");
        List<Rating> test = new ArrayList<>();
        reader.read(heldOut, task, (user, item, weight) -> test.add(new Rating(user, item, weight, 0)));
        if (test.isEmpty()) {
            throw new IllegalArgumentException("no held-out interactions in index [" + heldOut.index() + "]");
        }
        Set<String> testUsers = new HashSet<>();
        test.forEach(r -> testUsers.add(r.user()));

        task.phase("reading_training");
        List<Rating> train = new ArrayList<>();
        reader.read(trained, task, (user, item, weight) -> {
            if (testUsers.contains(user)) {
                train.add(new Rating(user, item, weight, 0));
            }
        });

        task.phase("ranking");
        IdIndex items = index(BlobCodec.toStrings(store.blob(version, ModelBlobs.ITEM_IDS)));
        IdIndex users = index(BlobCodec.toStrings(store.blob(version, ModelBlobs.USER_IDS)));
        float[] itemFactors = BlobCodec.toFloats(store.blob(version, ModelBlobs.ITEM_FACTORS));
        float[] userFactors = BlobCodec.toFloats(store.blob(version, ModelBlobs.USER_FACTORS));
        int rank = itemFactors.length / items.size();
        Map<String, BitSet> seen = new HashMap<>();
        for (Rating r : train) {
            int item = items.indexOf(r.item());
            if (item >= 0) {
                seen.computeIfAbsent(r.user(), u -> new BitSet(items.size())).set(item);
            }
        }
        Map<String, List<String>> recommendations = new HashMap<>();
        int withoutFactor = 0;
        for (String user : testUsers) {
            task.checkCancelled();
            int u = users.indexOf(user);
            if (u < 0) {
                withoutFactor++;
                continue;
            }
            TopK.Result top = TopK.dotProduct(userFactors, u * rank, itemFactors, items.size(), rank, k, seen.get(user));
            List<String> ranked = new ArrayList<>(k);
            for (int i : top.indices()) {
                ranked.add(items.id(i));
            }
            recommendations.put(user, ranked);
        }
        Map<String, Double> scored = TopNMetrics.evaluate(train, test, recommendations, k, null);
        Map<String, Object> metrics = new LinkedHashMap<>();
        scored.forEach((name, value) -> {
            if (name.contains("@")) {
                metrics.put(name, value);
            }
        });
        Map<String, Object> evaluation = new LinkedHashMap<>();
        evaluation.put("index", heldOut.index());
        evaluation.put("k", k);
        evaluation.put("users", testUsers.size());
        evaluation.put("users_without_factor", withoutFactor);
        evaluation.put("held_out_interactions", test.size());
        evaluation.put("metrics", metrics);
        evaluation.put("evaluated_millis", System.currentTimeMillis());
        store.putVersion(version.evaluated(evaluation));

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_id", modelId);
        out.put("version", version.version());
        out.putAll(evaluation);
        return out;
    }

    private static IdIndex index(List<String> ids) {
        IdIndex index = new IdIndex();
        ids.forEach(index::add);
        return index;
    }
}
