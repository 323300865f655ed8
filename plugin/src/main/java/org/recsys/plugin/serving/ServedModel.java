package org.recsys.plugin.serving;

import org.recsys.plugin.training.TrainingSpec;

/** The version a model serves on this node, in the form its type's query-time code needs. */
public interface ServedModel {

    String modelId();

    long version();

    TrainingSpec spec();

    default String type() {
        return spec().type();
    }
}
