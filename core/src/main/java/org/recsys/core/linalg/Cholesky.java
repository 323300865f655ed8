package org.recsys.core.linalg;

/**
 * Solves symmetric positive definite systems A·x = b by A = L·Lᵀ, in double precision on flat row-major arrays.
 * {@link #decompose} reads A's upper triangle and writes L into the lower one, so one array serves both.
 */
public final class Cholesky {

    private Cholesky() {}

    /** Overwrites the lower triangle of the n×n {@code a} (read from its upper triangle) with L. */
    public static void decompose(double[] a, int n) {
        decompose(a, n, () -> {
        });
    }

    /** As {@link #decompose(double[], int)}, running {@code checkpoint} before each row (it may throw to stop). */
    public static void decompose(double[] a, int n, Runnable checkpoint) {
        for (int i = 0; i < n; i++) {
            checkpoint.run();
            for (int j = 0; j <= i; j++) {
                double s = a[j * n + i] - rowDot(a, i * n, j * n, j); // A[i][j] from the upper triangle
                if (i == j) {
                    if (s <= 0) {
                        throw new IllegalStateException("the system is not positive definite; raise the regularisation above 0");
                    }
                    a[i * n + i] = Math.sqrt(s);
                } else {
                    a[i * n + j] = s / a[j * n + j];
                }
            }
        }
    }

    /** Overwrites {@code b} with the solution of L·Lᵀ·x = b, L being what {@link #decompose} left in {@code l}. */
    public static void solve(double[] l, int n, double[] b) {
        for (int i = 0; i < n; i++) {
            b[i] = (b[i] - rowDot(l, i * n, 0, i, b)) / l[i * n + i];
        }
        solveTransposed(l, n, b);
    }

    /** Overwrites {@code b} with the solution of Lᵀ·x = b (back substitution). */
    public static void solveTransposed(double[] l, int n, double[] b) {
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int m = i + 1; m < n; m++) {
                s -= l[m * n + i] * b[m];
            }
            b[i] = s / l[i * n + i];
        }
    }

    /** Σ_{m<len} a[x+m]·a[y+m] on four independent accumulators (one chain of adds would wait on itself). */
    private static double rowDot(double[] a, int x, int y, int len) {
        return rowDot(a, x, y, len, a);
    }

    private static double rowDot(double[] a, int x, int y, int len, double[] b) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int m = 0;
        for (int upper = len & ~3; m < upper; m += 4) {
            s0 += a[x + m] * b[y + m];
            s1 += a[x + m + 1] * b[y + m + 1];
            s2 += a[x + m + 2] * b[y + m + 2];
            s3 += a[x + m + 3] * b[y + m + 3];
        }
        for (; m < len; m++) {
            s0 += a[x + m] * b[y + m];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
