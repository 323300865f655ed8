package org.recsys.core.topk;

import org.recsys.core.vector.FlatVectors;

import java.util.BitSet;

/** Exact top-k by dot product over the rows of a flat matrix, with a bounded min-heap of primitives. */
public final class TopK {

    /** Row indices, best first, and their scores. */
    public record Result(int[] indices, float[] scores) {}

    private TopK() {}

    /**
     * The {@code k} rows of {@code rows} (n×dim, flat) with the highest dot product with {@code query}, skipping rows
     * set in {@code excluded} (may be null). Equal scores rank the lower index first.
     */
    public static Result dotProduct(float[] query, int queryOffset, float[] rows, int n, int dim, int k, BitSet excluded) {
        return best(n, r -> FlatVectors.dot(query, queryOffset, rows, r * dim, dim), k, excluded);
    }

    /** The {@code k} highest of {@code scores}, skipping indices set in {@code excluded} (may be null); ties as above. */
    public static Result of(float[] scores, int k, BitSet excluded) {
        return best(scores.length, r -> scores[r], k, excluded);
    }

    @FunctionalInterface
    private interface RowScore {
        float score(int row);
    }

    private static Result best(int n, RowScore score, int k, BitSet excluded) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got [" + k + "]");
        }
        float[] heapScore = new float[k];
        int[] heapIndex = new int[k];
        int size = 0;
        for (int r = 0; r < n; r++) {
            if (excluded != null && excluded.get(r)) {
                continue;
            }
            float s = score.score(r);
            if (size < k) {
                heapScore[size] = s;
                heapIndex[size] = r;
                siftUp(heapScore, heapIndex, size++);
            } else if (s > heapScore[0]) {
                heapScore[0] = s;
                heapIndex[0] = r;
                siftDown(heapScore, heapIndex, size);
            }
        }
        // Pop the heap's minimum into the back of the result.
        int[] indices = new int[size];
        float[] scores = new float[size];
        for (int out = size - 1; out >= 0; out--) {
            indices[out] = heapIndex[0];
            scores[out] = heapScore[0];
            heapScore[0] = heapScore[out];
            heapIndex[0] = heapIndex[out];
            siftDown(heapScore, heapIndex, out);
        }
        return new Result(indices, scores);
    }

    /** True when a should sit above b in the min-heap: a lower score, or an equal score with a higher index. */
    private static boolean worse(float sa, int ia, float sb, int ib) {
        return sa < sb || (sa == sb && ia > ib);
    }

    private static void siftUp(float[] score, int[] index, int at) {
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (worse(score[at], index[at], score[parent], index[parent]) == false) {
                return;
            }
            swap(score, index, at, parent);
            at = parent;
        }
    }

    private static void siftDown(float[] score, int[] index, int size) {
        int at = 0;
        while (true) {
            int left = 2 * at + 1;
            if (left >= size) {
                return;
            }
            int child = left + 1 < size && worse(score[left + 1], index[left + 1], score[left], index[left]) ? left + 1 : left;
            if (worse(score[child], index[child], score[at], index[at]) == false) {
                return;
            }
            swap(score, index, at, child);
            at = child;
        }
    }

    private static void swap(float[] score, int[] index, int a, int b) {
        float s = score[a];
        score[a] = score[b];
        score[b] = s;
        int i = index[a];
        index[a] = index[b];
        index[b] = i;
    }
}
