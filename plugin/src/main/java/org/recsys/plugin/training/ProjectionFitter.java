package org.recsys.plugin.training;

import org.elasticsearch.client.internal.Client;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.search.SearchHit;
import org.recsys.core.data.Csr;
import org.recsys.core.data.IdIndex;
import org.recsys.core.projection.Projection;
import org.recsys.core.projection.RidgeProjection;

import java.util.List;

/**
 * The cold-start step of a training: streams the text vectors of the item documents that are in the model into
 * core's {@link RidgeProjection} (weighted by each item's number of interactions as the spec asks), and then
 * projects the text of the documents that are not in the model, for {@link FactorWriter}.
 */
final class ProjectionFitter {

    private ProjectionFitter() {}

    static Projection fit(
        Client client,
        FactorTarget items,
        ProjectionSpec spec,
        int dims,
        IdIndex ids,
        float[] factors,
        int k,
        Csr byItem,
        ModelTask task
    ) {
        RidgeProjection ridge = new RidgeProjection(dims, k);
        IndexScan.forEach(
            client,
            items.index(),
            QueryBuilders.existsQuery(spec.textField()),
            items.idDocValueFields(),
            List.of(spec.textField()),
            task,
            hit -> {
                String id = items.externalId(hit);
                int row = id == null ? -1 : ids.indexOf(id);
                float[] text = row < 0 ? null : TextVectorField.of(hit, spec.textField(), dims);
                if (text != null) {
                    ridge.add(text, factors, row * k, spec.params().weighting().weight(byItem.end(row) - byItem.start(row)));
                }
            }
        );
        if (ridge.items() == 0) {
            throw new IllegalArgumentException(
                "no trained item of index [" + items.index() + "] has a vector in [" + spec.textField() + "] to fit the projection on"
            );
        }
        return ridge.solve(spec.params().lambda());
    }

    /** Projected factors for the item documents that have a text vector and are not in the model. */
    static FactorWriter.Fallback fallback(ProjectionSpec spec, int dims, Projection projection) {
        return new FactorWriter.Fallback() {
            @Override
            public List<String> sourceFields() {
                return List.of(spec.textField());
            }

            @Override
            public float[] factor(SearchHit hit) {
                float[] text = TextVectorField.of(hit, spec.textField(), dims);
                return text == null ? null : projection.project(text);
            }
        };
    }
}
