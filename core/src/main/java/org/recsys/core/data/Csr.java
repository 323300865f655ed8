package org.recsys.core.data;

/**
 * A sparse matrix in compressed sparse row form: the entries of row {@code r} are at positions
 * {@code start(r) .. start(r + 1) - 1} of {@link #columns()} and {@link #values()}, columns ascending and unique.
 * The arrays are shared, not copied: callers read them in hot loops and must not modify them.
 */
public final class Csr {

    private final int rows;
    private final int columnCount;
    private final int[] start;
    private final int[] columns;
    private final float[] values;

    Csr(int rows, int columnCount, int[] start, int[] columns, float[] values) {
        this.rows = rows;
        this.columnCount = columnCount;
        this.start = start;
        this.columns = columns;
        this.values = values;
    }

    public int rows() {
        return rows;
    }

    public int columnCount() {
        return columnCount;
    }

    public int nnz() {
        return start[rows];
    }

    public int start(int row) {
        return start[row];
    }

    public int end(int row) {
        return start[row + 1];
    }

    public int rowLength(int row) {
        return start[row + 1] - start[row];
    }

    public int[] columns() {
        return columns;
    }

    public float[] values() {
        return values;
    }

    /** The transpose, built by a counting sort, so that each of its rows is again in ascending column order. */
    public Csr transpose() {
        int[] tStart = new int[columnCount + 1];
        for (int i = 0; i < nnz(); i++) {
            tStart[columns[i] + 1]++;
        }
        for (int c = 0; c < columnCount; c++) {
            tStart[c + 1] += tStart[c];
        }
        int[] next = tStart.clone();
        int[] tColumns = new int[nnz()];
        float[] tValues = new float[nnz()];
        for (int r = 0; r < rows; r++) {
            for (int i = start[r]; i < start[r + 1]; i++) {
                int at = next[columns[i]]++;
                tColumns[at] = r;
                tValues[at] = values[i];
            }
        }
        return new Csr(columnCount, rows, tStart, tColumns, tValues);
    }

    /** Bytes held by the arrays: 8 per entry plus 4 per row. */
    public long bytes() {
        return 4L * start.length + 4L * columns.length + 4L * values.length;
    }
}
