package org.recsys.core.eval;

import org.recsys.core.data.Csr;
import org.recsys.core.data.InteractionMatrix;
import org.recsys.core.topk.TopK;
import org.recsys.core.wals.WalsModel;
import org.recsys.core.wals.WalsParams;
import org.recsys.core.wals.WalsTrainer;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Trains WALS on rating rows and ranks, for every user, the items they have not interacted with. */
public final class WalsRecommendations {

    private WalsRecommendations() {}

    public static InteractionMatrix matrix(List<Rating> rows, Weighting weighting) {
        InteractionMatrix.Builder builder = new InteractionMatrix.Builder();
        for (Rating r : rows) {
            builder.add(r.user(), r.item(), weighting.weight(r));
        }
        return builder.build();
    }

    public static WalsModel train(List<Rating> rows, Weighting weighting, WalsParams params) {
        return new WalsTrainer(params).train(matrix(rows, weighting));
    }

    /** Each user's top {@code k} items, best first, excluding the items of the user's row in {@code seen}. */
    public static Map<String, List<String>> topN(WalsModel model, Csr seen, int k) {
        int nUsers = model.users().size();
        int nItems = model.items().size();
        List<List<String>> perUser = new ArrayList<>(nUsers);
        for (int u = 0; u < nUsers; u++) {
            perUser.add(null);
        }
        ThreadLocal<BitSet> excluded = ThreadLocal.withInitial(() -> new BitSet(nItems));
        IntStream.range(0, nUsers).parallel().forEach(u -> {
            BitSet ex = excluded.get();
            ex.clear();
            for (int e = seen.start(u); e < seen.end(u); e++) {
                ex.set(seen.columns()[e]);
            }
            TopK.Result top = TopK.dotProduct(model.userFactors(), u * model.rank(), model.itemFactors(), nItems, model.rank(), k, ex);
            List<String> items = new ArrayList<>(top.indices().length);
            for (int i : top.indices()) {
                items.add(model.items().id(i));
            }
            perUser.set(u, items);
        });
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int u = 0; u < nUsers; u++) {
            out.put(model.users().id(u), perUser.get(u));
        }
        return out;
    }

    /** NDCG@k and the other P1 metrics of a model trained on {@code fit} and scored on {@code heldOut}. */
    public static Map<String, Double> evaluate(List<Rating> fit, List<Rating> heldOut, Weighting weighting, WalsParams params, int k) {
        InteractionMatrix matrix = matrix(fit, weighting);
        WalsModel model = new WalsTrainer(params).computeLoss(false).train(matrix);
        return TopNMetrics.evaluate(fit, heldOut, topN(model, matrix.byUser(), k), k, null);
    }
}
