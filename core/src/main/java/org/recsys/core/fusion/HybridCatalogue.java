package org.recsys.core.fusion;

import org.recsys.core.data.Csr;
import org.recsys.core.data.IdIndex;
import org.recsys.core.projection.Projection;
import org.recsys.core.projection.ProjectionParams;
import org.recsys.core.projection.RidgeProjection;
import org.recsys.core.wals.WalsModel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A mixed catalogue: a WALS model's items, then the items it does not have but whose text vector is known, placed in
 * its space by a ridge projection fitted on its items. Indices follow {@link CandidateFeatures}' convention (the
 * model's items first, the projected ones after them).
 *
 * @param items            every item's id: the model's in its order, then the projected ones in id order
 * @param trained          how many of them the model has
 * @param projectedFactors the projected items' factors, flat
 * @param texts            text vector per catalogue index (null for a trained item without one)
 */
public record HybridCatalogue(IdIndex items, int trained, float[] projectedFactors, float[][] texts, Projection projection) {

    /**
     * @param byItem the model's interactions by item (its rows: the model's items), for the items' weights
     * @param texts  text vectors by item id; those the model lacks are projected
     */
    public static HybridCatalogue place(WalsModel model, Csr byItem, Map<String, float[]> texts, ProjectionParams params) {
        int k = model.rank();
        IdIndex modelItems = model.items();
        RidgeProjection ridge = null;
        for (int i = 0; i < modelItems.size(); i++) {
            float[] text = texts.get(modelItems.id(i));
            if (text != null) {
                ridge = ridge == null ? new RidgeProjection(text.length, k) : ridge;
                ridge.add(text, model.itemFactors(), i * k, params.weighting().weight(i < byItem.rows() ? byItem.rowLength(i) : 0));
            }
        }
        if (ridge == null) {
            throw new IllegalArgumentException("no item of the model has a text vector to fit the projection on");
        }
        Projection projection = ridge.solve(params.lambda());
        List<String> newItems = new ArrayList<>();
        for (String id : texts.keySet()) {
            if (modelItems.indexOf(id) < 0) {
                newItems.add(id);
            }
        }
        Collections.sort(newItems);
        IdIndex items = new IdIndex();
        modelItems.ids().forEach(items::add);
        newItems.forEach(items::add);
        float[] projected = new float[newItems.size() * k];
        float[][] byIndex = new float[items.size()][];
        for (int i = 0; i < items.size(); i++) {
            byIndex[i] = texts.get(items.id(i));
        }
        for (int p = 0; p < newItems.size(); p++) {
            System.arraycopy(projection.project(texts.get(newItems.get(p))), 0, projected, p * k, k);
        }
        return new HybridCatalogue(items, modelItems.size(), projected, byIndex, projection);
    }

    /**
     * This catalogue with the new items' factors given rather than projected (by an encoder fine-tuned onto this
     * model's factors, say); {@code factors} must hold every new item's.
     */
    public HybridCatalogue withNewItemFactors(Map<String, float[]> factors) {
        int k = projection.rank();
        float[] given = new float[projectedFactors.length];
        for (int p = trained; p < size(); p++) {
            float[] f = factors.get(items.id(p));
            if (f == null || f.length != k) {
                throw new IllegalArgumentException("no factor of rank " + k + " for the new item [" + items.id(p) + "]");
            }
            System.arraycopy(f, 0, given, (p - trained) * k, k);
        }
        return new HybridCatalogue(items, trained, given, texts, projection);
    }

    public int size() {
        return items.size();
    }

    /** The candidates of the model's users over this catalogue, {@code reserved} projected items beside each window. */
    public CandidateFeatures candidates(WalsModel model, Csr seen, int reserved) {
        return new CandidateFeatures(model, seen, texts, projectedFactors, reserved);
    }
}
