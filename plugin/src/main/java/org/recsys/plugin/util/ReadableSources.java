package org.recsys.plugin.util;

import org.elasticsearch.ExceptionsHelper;
import org.elasticsearch.action.get.MultiGetItemResponse;

import java.util.Map;

/**
 * The sources of a multi-get run as the calling user. A multi-get answers a refused item (no {@code read} on its
 * index) as a failed item rather than failing whole; read as "no such document", it would turn a 403 into a wrong
 * answer, so a failure is thrown as it came. Documents hidden by document-level security simply do not exist.
 */
public final class ReadableSources {

    private ReadableSources() {}

    /** The item's source, empty when the document does not exist; throws the item's failure. */
    public static Map<String, Object> source(MultiGetItemResponse item) {
        if (item.isFailed()) {
            throw ExceptionsHelper.convertToRuntime(item.getFailure().getFailure());
        }
        return item.getResponse().isExists() ? item.getResponse().getSourceAsMap() : Map.of();
    }
}
