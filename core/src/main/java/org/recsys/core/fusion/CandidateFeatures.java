package org.recsys.core.fusion;

import org.recsys.core.data.Csr;
import org.recsys.core.topk.TopK;
import org.recsys.core.wals.WalsModel;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Offline, what the node does per request: a user's first-phase candidates (the top {@code window} items by WALS
 * score that the user has not interacted with, as {@code knn} on the factor field with the user's items filtered
 * out) and each candidate's features as the rescorer computes them. Popularity is each item's number of users in
 * {@code seen}, as training writes it beside the factor.
 * <p>
 * A catalogue may also hold items without interactions whose factors were projected from their text: their indices
 * follow the model's own items. Their scores are on another scale, so the best {@code reserved} of them by
 * collaborative score join the candidates beside the window (those it does not hold already; a second {@code knn}
 * restricted to projected items, on the node), and the fusion decides where they belong.
 */
public final class CandidateFeatures {

    /** One user's candidates, best first-phase first; features as in {@link CandidateLists}. */
    public record Candidates(int[] items, double[] features) {}

    private final WalsModel model;
    private final Csr seen;
    private final float[][] itemTexts;
    private final double[] popularity;
    private final int trained;
    private final float[] factors;
    private final float[] projectedFactors;
    private final int projected;
    private final int reserved;

    /**
     * @param seen      each user's items (rows: the model's users, columns: its items)
     * @param itemTexts text vector per item index (null entries for items without one), or null for no content
     */
    public CandidateFeatures(WalsModel model, Csr seen, float[][] itemTexts) {
        this(model, seen, itemTexts, new float[0], 0);
    }

    /**
     * @param itemTexts        text vector per catalogue index (the model's items, then the projected ones), or null
     * @param projectedFactors the factors of the items past the model's own, flat
     * @param reserved         how many projected items join each user's window (the best by collaborative score; those
     *                         the window holds already count once); 0 for none
     */
    public CandidateFeatures(WalsModel model, Csr seen, float[][] itemTexts, float[] projectedFactors, int reserved) {
        if (reserved < 0) {
            throw new IllegalArgumentException("[reserved] is [" + reserved + "]; it must be >= 0");
        }
        this.model = model;
        this.seen = seen;
        this.itemTexts = itemTexts;
        this.trained = model.items().size();
        this.projectedFactors = projectedFactors;
        this.projected = projectedFactors.length / model.rank();
        this.reserved = reserved;
        this.factors = new float[(trained + projected) * model.rank()];
        System.arraycopy(model.itemFactors(), 0, factors, 0, trained * model.rank());
        System.arraycopy(projectedFactors, 0, factors, trained * model.rank(), projectedFactors.length);
        this.popularity = new double[trained + projected];
        Csr byItem = seen.transpose();
        for (int i = 0; i < trained; i++) {
            popularity[i] = FusionFeatures.popularity(i < byItem.rows() ? byItem.rowLength(i) : 0);
        }
    }

    /** The model's items and the projected ones. */
    public int catalogueSize() {
        return trained + projected;
    }

    public Candidates forUser(int user, int window) {
        int k = model.rank();
        BitSet excluded = new BitSet(catalogueSize());
        List<float[]> texts = new ArrayList<>();
        for (int e = seen.start(user); e < seen.end(user); e++) {
            int item = seen.columns()[e];
            excluded.set(item);
            if (itemTexts != null && itemTexts[item] != null) {
                texts.add(itemTexts[item]);
            }
        }
        float[] profile = FusionFeatures.contentProfile(texts);
        TopK.Result top = TopK.dotProduct(model.userFactors(), user * k, factors, catalogueSize(), k, window, excluded);
        TopK.Result extra = reservedFor(user);
        int inWindow = top.indices().length;
        int n = inWindow;
        int[] items = java.util.Arrays.copyOf(top.indices(), inWindow + extra.indices().length);
        float[] scores = java.util.Arrays.copyOf(top.scores(), items.length);
        BitSet inTop = new BitSet(catalogueSize());
        for (int item : top.indices()) {
            inTop.set(item);
        }
        for (int e = 0; e < extra.indices().length; e++) {
            int item = trained + extra.indices()[e];
            if (inTop.get(item) == false) {
                items[n] = item;
                scores[n++] = extra.scores()[e];
            }
        }
        items = java.util.Arrays.copyOf(items, n);
        double[] features = new double[n * FusionFeature.COUNT];
        for (int c = 0; c < n; c++) {
            int item = items[c];
            float score = scores[c];
            int at = c * FusionFeature.COUNT;
            features[at + FusionFeature.COLLABORATIVE.ordinal()] = score;
            features[at + FusionFeature.CONTENT.ordinal()] = itemTexts == null ? 0 : FusionFeatures.content(profile, itemTexts[item]);
            features[at + FusionFeature.POPULARITY.ordinal()] = popularity[item];
            features[at + FusionFeature.FIRST_PHASE.ordinal()] = FusionFeatures.nonNegative(score);
            features[at + FusionFeature.PROJECTED.ordinal()] = item >= trained ? 1 : 0;
        }
        return new Candidates(items, features);
    }

    /**
     * The best {@code reserved} projected items (a user has never interacted with one), whether or not the window has
     * them too, as a second {@code knn} restricted to projected items finds them on the node.
     */
    private TopK.Result reservedFor(int user) {
        if (reserved == 0 || projected == 0) {
            return new TopK.Result(new int[0], new float[0]);
        }
        return TopK.dotProduct(model.userFactors(), user * model.rank(), projectedFactors, projected, model.rank(), reserved, null);
    }

    /**
     * Every user's candidate list with relevance from {@code heldOut} (rows: the model's users; columns: its items);
     * {@code heldOutTotal[u]} counts the user's held-out items including those the model does not know. Users with
     * nothing held out are left out.
     */
    public CandidateLists lists(Csr heldOut, int[] heldOutTotal, int window) {
        return lists(new Csr[]{ heldOut }, new int[][]{ heldOutTotal }, window)[0];
    }

    /**
     * The same candidates labelled by several relevance sets (all held-out items, and parts of them, say): one
     * {@link CandidateLists} per set, over the same users in the same order (those with something in the first set),
     * so that splitting each with one seed splits them alike.
     */
    public CandidateLists[] lists(Csr[] heldOut, int[][] heldOutTotal, int window) {
        int sets = heldOut.length;
        CandidateLists.Builder[] out = new CandidateLists.Builder[sets];
        BitSet[] relevant = new BitSet[sets];
        for (int s = 0; s < sets; s++) {
            out[s] = new CandidateLists.Builder();
            relevant[s] = new BitSet(catalogueSize());
        }
        double[] row = new double[FusionFeature.COUNT];
        for (int u = 0; u < model.users().size(); u++) {
            if (heldOutTotal[0][u] == 0) {
                continue;
            }
            Candidates c = forUser(u, window);
            for (int s = 0; s < sets; s++) {
                relevant[s].clear();
                for (int e = heldOut[s].start(u); e < heldOut[s].end(u); e++) {
                    relevant[s].set(heldOut[s].columns()[e]);
                }
                out[s].startList(heldOutTotal[s][u]);
                for (int i = 0; i < c.items().length; i++) {
                    System.arraycopy(c.features(), i * FusionFeature.COUNT, row, 0, FusionFeature.COUNT);
                    out[s].add(row, relevant[s].get(c.items()[i]));
                }
            }
        }
        CandidateLists[] built = new CandidateLists[sets];
        for (int s = 0; s < sets; s++) {
            built[s] = out[s].build();
        }
        return built;
    }
}
