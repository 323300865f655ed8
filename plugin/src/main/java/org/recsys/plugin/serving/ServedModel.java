package org.recsys.plugin.serving;

import org.elasticsearch.core.Nullable;
import org.recsys.core.projection.Projection;
import org.recsys.plugin.training.FactorWriter;
import org.recsys.plugin.training.TrainingSpec;

/**
 * The version a model serves, as query-time code needs it: where its factors are (the served slot's fields), how
 * it was trained (the spec, for fold-in's parameters and the interactions to exclude), the items' Gram matrix for
 * fold-in, and the cold-start projection when it has one.
 */
public record ServedModel(String modelId, long version, String slot, TrainingSpec spec, double[] itemGram, @Nullable Projection projection) {

    public String itemIndex() {
        return spec.items().index();
    }

    public String itemField() {
        return spec.items().field(slot);
    }

    public String itemSourceField() {
        return FactorWriter.sourceField(spec.items(), slot);
    }

    public String userIndex() {
        return spec.users().index();
    }

    public String userField() {
        return spec.users().field(slot);
    }

    public int rank() {
        return spec.params().rank();
    }
}
