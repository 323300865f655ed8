package org.recsys.plugin.serving;

import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.BytesRef;
import org.elasticsearch.index.mapper.IdFieldMapper;
import org.elasticsearch.index.mapper.Uid;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * Values given by document id, found in one segment: a seek in the {@code _id} terms per id, so meant for a few ids.
 * The segment's documents are kept sorted, with their values.
 */
final class SegmentIds {

    private static final SegmentIds NONE = new SegmentIds(new int[0], new float[0]);

    private final int[] docs;
    private final float[] values;

    private SegmentIds(int[] docs, float[] values) {
        this.docs = docs;
        this.values = values;
    }

    /**
     * The segment's documents of {@code byId}'s ids, with their values; ids are {@code _id}s or the terms of the items'
     * own keyword id field {@code idField}.
     */
    static SegmentIds of(LeafReader reader, String idField, Map<String, Float> byId) throws IOException {
        Terms ids = byId.isEmpty() ? null : reader.terms(idField);
        boolean documentIds = IdFieldMapper.NAME.equals(idField);
        if (ids == null) {
            return NONE;
        }
        TermsEnum terms = ids.iterator();
        // Each document with its value in one long, the document in the high bits: sorting them sorts by document.
        long[] packed = new long[byId.size()];
        int n = 0;
        PostingsEnum postings = null;
        for (Map.Entry<String, Float> e : byId.entrySet()) {
            if (terms.seekExact(documentIds ? Uid.encodeId(e.getKey()) : new BytesRef(e.getKey()))) {
                postings = terms.postings(postings, PostingsEnum.NONE);
                for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                    if (n == packed.length) {
                        packed = Arrays.copyOf(packed, 2 * n);
                    }
                    packed[n++] = ((long) doc << 32) | (Float.floatToRawIntBits(e.getValue()) & 0xFFFF_FFFFL);
                }
            }
        }
        Arrays.sort(packed, 0, n);
        int[] docs = new int[n];
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            docs[i] = (int) (packed[i] >>> 32);
            values[i] = Float.intBitsToFloat((int) packed[i]);
        }
        return new SegmentIds(docs, values);
    }

    /** The value of {@code doc}, or 0 when its id was not given. */
    float get(int doc) {
        int at = Arrays.binarySearch(docs, doc);
        return at >= 0 ? values[at] : 0f;
    }
}
