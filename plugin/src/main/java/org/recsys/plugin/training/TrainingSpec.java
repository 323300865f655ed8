package org.recsys.plugin.training;

import org.elasticsearch.common.io.stream.NamedWriteable;
import org.elasticsearch.xcontent.ToXContentFragment;

/**
 * What {@code POST _recsys/models/{id}/_train} asks for, one implementation per model type; the type is also the
 * writeable name. Every type reads its training data from an interactions index. {@code toXContent} writes the
 * whole request back, {@code type} included, so that a stored version's spec parses again with
 * {@link TrainingSpecs#parse}.
 */
public interface TrainingSpec extends NamedWriteable, ToXContentFragment {

    String modelId();

    InteractionSource interactions();

    /** The threads the training computes with. */
    int threads();

    /** The model type: {@code wals}, ... */
    default String type() {
        return getWriteableName();
    }
}
