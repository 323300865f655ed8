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

    /** Refuses a {@code factor_field} that is not a {@code dense_vector} of the model's rank. */
    static void checkFactorField(Client client, String index, ProjectionSpec spec, int rank) {
        if (spec.factorField() == null) {
            return;
        }
        int dims = TextVectorField.dims(client, index, spec.factorField(), "projection.factor_field");
        if (dims != rank) {
            throw new IllegalArgumentException(
                "[projection.factor_field] ["
                    + spec.factorField()
                    + "] has ["
                    + dims
                    + "] dims; the model's factors have rank ["
                    + rank
                    + "]"
            );
        }
    }

    /**
     * Factors for the item documents that are not in the model: the vector in {@code factor_field} when the spec names
     * one and the document has it, else the projection of the document's text vector.
     */
    static FactorWriter.Fallback fallback(ProjectionSpec spec, int dims, int rank, Projection projection) {
        String factorField = spec.factorField();
        return new FactorWriter.Fallback() {
            @Override
            public List<String> sourceFields() {
                return factorField == null ? List.of(spec.textField()) : List.of(spec.textField(), factorField);
            }

            @Override
            public float[] factor(SearchHit hit) {
                float[] given = factorField == null ? null : TextVectorField.of(hit, factorField, rank);
                if (given != null) {
                    return given;
                }
                float[] text = TextVectorField.of(hit, spec.textField(), dims);
                return text == null ? null : projection.project(text);
            }
        };
    }
}
