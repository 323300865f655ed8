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
 */
public final class CandidateFeatures {

    /** One user's candidates, best first-phase first; features as in {@link CandidateLists}. */
    public record Candidates(int[] items, double[] features) {}

    private final WalsModel model;
    private final Csr seen;
    private final float[][] itemTexts;
    private final double[] popularity;

    /**
     * @param seen      each user's items (rows: the model's users, columns: its items)
     * @param itemTexts text vector per item index (null entries for items without one), or null for no content
     */
    public CandidateFeatures(WalsModel model, Csr seen, float[][] itemTexts) {
        this.model = model;
        this.seen = seen;
        this.itemTexts = itemTexts;
        this.popularity = new double[model.items().size()];
        Csr byItem = seen.transpose();
        for (int i = 0; i < popularity.length; i++) {
            popularity[i] = FusionFeatures.popularity(i < byItem.rows() ? byItem.rowLength(i) : 0);
        }
    }

    public Candidates forUser(int user, int window) {
        int k = model.rank();
        BitSet excluded = new BitSet(model.items().size());
        List<float[]> texts = new ArrayList<>();
        for (int e = seen.start(user); e < seen.end(user); e++) {
            int item = seen.columns()[e];
            excluded.set(item);
            if (itemTexts != null && itemTexts[item] != null) {
                texts.add(itemTexts[item]);
            }
        }
        float[] profile = FusionFeatures.contentProfile(texts);
        TopK.Result top = TopK.dotProduct(model.userFactors(), user * k, model.itemFactors(), model.items().size(), k, window, excluded);
        int n = top.indices().length;
        double[] features = new double[n * FusionFeature.COUNT];
        for (int c = 0; c < n; c++) {
            int item = top.indices()[c];
            int at = c * FusionFeature.COUNT;
            features[at + FusionFeature.COLLABORATIVE.ordinal()] = top.scores()[c];
            features[at + FusionFeature.CONTENT.ordinal()] = itemTexts == null ? 0 : FusionFeatures.content(profile, itemTexts[item]);
            features[at + FusionFeature.POPULARITY.ordinal()] = popularity[item];
            features[at + FusionFeature.FIRST_PHASE.ordinal()] = FusionFeatures.nonNegative(top.scores()[c]);
        }
        return new Candidates(top.indices(), features);
    }

    /**
     * Every user's candidate list with relevance from {@code heldOut} (rows: the model's users; columns: its items);
     * {@code heldOutTotal[u]} counts the user's held-out items including those the model does not know. Users with
     * nothing held out are left out.
     */
    public CandidateLists lists(Csr heldOut, int[] heldOutTotal, int window) {
        CandidateLists.Builder out = new CandidateLists.Builder();
        double[] row = new double[FusionFeature.COUNT];
        BitSet relevant = new BitSet(model.items().size());
        for (int u = 0; u < model.users().size(); u++) {
            if (heldOutTotal[u] == 0) {
                continue;
            }
            relevant.clear();
            for (int e = heldOut.start(u); e < heldOut.end(u); e++) {
                relevant.set(heldOut.columns()[e]);
            }
            Candidates c = forUser(u, window);
            out.startList(heldOutTotal[u]);
            for (int i = 0; i < c.items().length; i++) {
                System.arraycopy(c.features(), i * FusionFeature.COUNT, row, 0, FusionFeature.COUNT);
                out.add(row, relevant.get(c.items()[i]));
            }
        }
        return out.build();
    }
}
