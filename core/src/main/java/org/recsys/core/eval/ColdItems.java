package org.recsys.core.eval;

import org.recsys.core.data.IdIndex;
import org.recsys.core.projection.Projection;
import org.recsys.core.projection.ProjectionParams;
import org.recsys.core.projection.RidgeProjection;
import org.recsys.core.topk.TopK;
import org.recsys.core.vector.FlatVectors;
import org.recsys.core.wals.WalsModel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Protocol P2 (cold items): items that no training interaction mentions are ranked for the users who rated them in
 * the test, from their text alone. Three rankings: the projection of the item's text vector into the WALS space
 * scored against the user's factor; content only (cosine between the mean text vector of the user's training items
 * and the item's); and a seeded random order.
 */
public final class ColdItems {

    private final Map<String, float[]> textVectors;
    private final int dimension;

    /** @param textVectors every item's text vector (unit length), by item id */
    public ColdItems(Map<String, float[]> textVectors) {
        this.textVectors = textVectors;
        this.dimension = textVectors.values().iterator().next().length;
    }

    /** Fits the projection on the model's items that have a text vector. */
    public Projection fit(WalsModel model, List<Rating> train, ProjectionParams params) {
        IdIndex items = model.items();
        int k = model.rank();
        Map<String, Integer> counts = new HashMap<>();
        train.forEach(r -> counts.merge(r.item(), 1, Integer::sum));
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (textVectors.containsKey(items.id(i))) {
                rows.add(i);
            }
        }
        int n = rows.size();
        float[] x = new float[n * dimension];
        float[] y = new float[n * k];
        float[] w = new float[n];
        for (int r = 0; r < n; r++) {
            int item = rows.get(r);
            System.arraycopy(textVectors.get(items.id(item)), 0, x, r * dimension, dimension);
            System.arraycopy(model.itemFactors(), item * k, y, r * k, k);
            w[r] = params.weighting().weight(counts.getOrDefault(items.id(item), 0));
        }
        return RidgeProjection.fit(x, dimension, y, k, n, w, params.lambda());
    }

    /** Each user's top k candidates by their factor times the candidates' projected factors. */
    public Map<String, List<String>> byProjection(
        WalsModel model,
        Projection projection,
        List<String> candidates,
        Set<String> users,
        int k
    ) {
        Map<String, float[]> projected = new HashMap<>();
        for (String c : candidates) {
            projected.put(c, projection.project(textVectors.get(c)));
        }
        return byFactors(model, projected, candidates, users, k);
    }

    /** Each user's top k candidates by their factor times the candidates' factors (from any source, by item id). */
    public static Map<String, List<String>> byFactors(
        WalsModel model,
        Map<String, float[]> factors,
        List<String> candidates,
        Set<String> users,
        int k
    ) {
        int rank = model.rank();
        float[] projected = new float[candidates.size() * rank];
        for (int c = 0; c < candidates.size(); c++) {
            float[] f = factors.get(candidates.get(c));
            if (f.length != rank) {
                throw new IllegalArgumentException(
                    "item [" + candidates.get(c) + "] has a factor of " + f.length + " dims; the model's rank is " + rank
                );
            }
            System.arraycopy(f, 0, projected, c * rank, rank);
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String user : users) {
            int u = model.users().indexOf(user);
            if (u >= 0) {
                out.put(user, ids(TopK.dotProduct(model.userFactors(), u * rank, projected, candidates.size(), rank, k, null), candidates));
            }
        }
        return out;
    }

    /** Each user's top k candidates by cosine between the mean text vector of their training items and the candidate's. */
    public Map<String, List<String>> byContent(List<Rating> train, List<String> candidates, Set<String> users, int k) {
        Map<String, float[]> profiles = new HashMap<>();
        for (Rating r : train) {
            float[] t = textVectors.get(r.item());
            if (t != null && users.contains(r.user())) {
                FlatVectors.axpy(1f, t, 0, profiles.computeIfAbsent(r.user(), u -> new float[dimension]), 0, dimension);
            }
        }
        float[] vectors = new float[candidates.size() * dimension];
        for (int c = 0; c < candidates.size(); c++) {
            System.arraycopy(textVectors.get(candidates.get(c)), 0, vectors, c * dimension, dimension);
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        profiles.forEach((user, profile) -> {
            // Candidates are unit vectors, so ranking by the dot product with the summed profile is ranking by cosine.
            out.put(user, ids(TopK.dotProduct(profile, 0, vectors, candidates.size(), dimension, k, null), candidates));
        });
        return out;
    }

    public static Map<String, List<String>> random(List<String> candidates, Set<String> users, int k, long seed) {
        Random random = new Random(seed);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String user : users) {
            List<String> shuffled = new ArrayList<>(candidates);
            Collections.shuffle(shuffled, random);
            out.put(user, shuffled.subList(0, Math.min(k, shuffled.size())));
        }
        return out;
    }

    private static List<String> ids(TopK.Result top, List<String> candidates) {
        List<String> ids = new ArrayList<>(top.indices().length);
        for (int i : top.indices()) {
            ids.add(candidates.get(i));
        }
        return ids;
    }
}
