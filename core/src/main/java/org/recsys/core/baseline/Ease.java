package org.recsys.core.baseline;

import org.recsys.core.linalg.Cholesky;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Locale;

/**
 * EASE (Steck, 2019): the item-to-item weights B = I − P·diag(1/diag P) with P = (XᵀX + λI)⁻¹, X the binary user ×
 * item matrix; a user's score of item j is the sum of B's row i over the user's distinct items i. The inverse is dense:
 * memory grows with the square of the items and time with the cube, so a catalogue whose inverse does not fit in the
 * heap is refused before anything is allocated.
 */
public final class Ease implements NextItemScorer {

    private final int items;
    private final float[] weights;

    /** @param sequences item indices below {@code items}, one array per user (repeats count once) */
    public Ease(int[][] sequences, int items, float lambda) {
        if (lambda <= 0) {
            throw new IllegalArgumentException("EASE's lambda must be positive, got [" + lambda + "]");
        }
        long bytes = bytes(items);
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap / 10 * 8) {
            throw new IllegalArgumentException(
                String.format(
                    Locale.ROOT,
                    "EASE on %d items needs a dense %d x %d inverse: %.1f GB, more than this JVM's heap of %.1f GB allows (and about %.1e "
                        + "multiply-adds); use it on catalogues of a few thousand items",
                    items,
                    items,
                    items,
                    bytes / 1e9,
                    heap / 1e9,
                    Math.pow(items, 3)
                )
            );
        }
        this.items = items;
        int n = items;
        double[] a = gram(sequences, n);
        for (int i = 0; i < n; i++) {
            a[i * n + i] += lambda;
        }
        Cholesky.decompose(a, n);
        // P's columns one by one; P is symmetric, so column j is row j.
        double[] p = new double[n * n];
        double[] column = new double[n];
        for (int j = 0; j < n; j++) {
            Arrays.fill(column, 0);
            column[j] = 1;
            Cholesky.solve(a, n, column);
            System.arraycopy(column, 0, p, j * n, n);
        }
        a = null;
        weights = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                weights[i * n + j] = i == j ? 0f : (float) (-p[i * n + j] / p[j * n + j]);
            }
        }
    }

    /** Peak bytes of a fit on {@code items} items: the system and its inverse in doubles, then B in floats. */
    public static long bytes(int items) {
        return 20L * items * items;
    }

    /** B's weight from item {@code from} to item {@code to}. */
    public float weight(int from, int to) {
        return weights[from * items + to];
    }

    @Override
    public void score(int[] history, float[] scores) {
        Arrays.fill(scores, 0, items, 0f);
        BitSet added = new BitSet(items);
        for (int i : history) {
            if (added.get(i) == false) {
                added.set(i);
                int row = i * items;
                for (int j = 0; j < items; j++) {
                    scores[j] += weights[row + j];
                }
            }
        }
    }

    /** XᵀX of the binary matrix, full (both triangles). */
    static double[] gram(int[][] sequences, int n) {
        double[] g = new double[n * n];
        BitSet added = new BitSet(n);
        int[] distinct = new int[n];
        for (int[] s : sequences) {
            added.clear();
            int d = 0;
            for (int i : s) {
                if (added.get(i) == false) {
                    added.set(i);
                    distinct[d++] = i;
                }
            }
            for (int x = 0; x < d; x++) {
                int row = distinct[x] * n;
                for (int y = 0; y < d; y++) {
                    g[row + distinct[y]]++;
                }
            }
        }
        return g;
    }
}
