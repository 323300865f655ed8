package org.recsys.plugin.rescore;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.recsys.core.fusion.FusedOrder;
import org.recsys.core.fusion.FusionFeatures;

import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Rescores the top {@code window_size} hits by their fused score, {@link FusionFeatures#nonNegative} of the raw
 * fused value, and puts them first, best first. Hits beyond the window score 0, below every fused score (which is
 * always positive), so the shards' hits stay sorted by score for the coordinating node's merge; so do the window's
 * hits that a {@link HybridWindow} leaves out. A fusion that reads {@code projected} (the hybrid's) keeps the known
 * items in the model's order and places the new ones among them ({@link FusedOrder#keepKnownOrder}), as offline.
 */
final class FusedRescorer implements org.elasticsearch.search.rescore.Rescorer {

    static final FusedRescorer INSTANCE = new FusedRescorer();

    private FusedRescorer() {}

    @Override
    public TopDocs rescore(TopDocs topDocs, IndexSearcher searcher, org.elasticsearch.search.rescore.RescoreContext context)
        throws IOException {
        if (topDocs == null || topDocs.scoreDocs.length == 0) {
            return topDocs;
        }
        FusedRescoreContext ctx = (FusedRescoreContext) context;
        int window = Math.min(ctx.getWindowSize(), topDocs.scoreDocs.length);
        ScoreDoc[] hits = topDocs.scoreDocs.clone();
        ScoreDoc[] inWindow = Arrays.copyOf(hits, window);
        // Segments and their vector iterators go forward only: visit the window in document order.
        Arrays.sort(inWindow, Comparator.comparingInt(d -> d.doc));
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        FusedScore score = ctx.score();
        double[] row = score.newFeatures();
        int width = row.length;
        double[] features = new double[window * width];
        int leaf = -1;
        LeafFeatures reader = null;
        for (int i = 0; i < window; i++) {
            ScoreDoc hit = inWindow[i];
            int l = ReaderUtil.subIndex(hit.doc, leaves);
            if (l != leaf) {
                leaf = l;
                reader = score.leaf(leaves.get(l).reader());
            }
            ctx.checkCancellation();
            reader.read(hit.doc - leaves.get(l).docBase, hit.score, row);
            System.arraycopy(row, 0, features, i * width, width);
        }
        boolean[] candidate = ctx.hybridWindow() == null ? null : ctx.hybridWindow().candidates(features, width, window);
        ScoreDoc[] rescored = new ScoreDoc[window];
        int n = 0;
        // The candidates' rows move to the front (n <= i), so that the order's rule sees them alone.
        for (int i = 0; i < window; i++) {
            if (candidate == null || candidate[i]) {
                System.arraycopy(features, i * width, features, n * width, width);
                rescored[n++] = inWindow[i];
            }
        }
        double[] raw = new double[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(features, i * width, row, 0, width);
            raw[i] = score.raw(row);
        }
        if (score.keepsKnownOrder()) {
            double[] own = raw.clone();
            FusedOrder.keepKnownOrder(raw, features, 0, width, n);
            ctx.setKnownOrderValues(rescored, own, raw, n);
        }
        Set<Integer> docs = new HashSet<>(window * 2);
        for (int i = 0; i < n; i++) {
            rescored[i].score = (float) FusionFeatures.nonNegative(raw[i]);
            docs.add(rescored[i].doc);
        }
        ctx.setRescoredDocs(docs);
        Arrays.sort(rescored, 0, n, (a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.doc, b.doc));
        // The window's other hits (not candidates) and the hits beyond it follow with score 0.
        for (int i = 0; i < window; i++) {
            if (candidate != null && candidate[i] == false) {
                rescored[n++] = new ScoreDoc(inWindow[i].doc, 0f, inWindow[i].shardIndex);
            }
        }
        System.arraycopy(rescored, 0, hits, 0, window);
        for (int i = window; i < hits.length; i++) {
            hits[i] = new ScoreDoc(hits[i].doc, 0f, hits[i].shardIndex);
        }
        return new TopDocs(topDocs.totalHits, hits);
    }

    @Override
    public Explanation explain(
        int topLevelDocId,
        IndexSearcher searcher,
        org.elasticsearch.search.rescore.RescoreContext context,
        Explanation first
    ) throws IOException {
        FusedRescoreContext ctx = (FusedRescoreContext) context;
        if (ctx.isRescored(topLevelDocId) == false) {
            return Explanation.match(0f, "beyond the [recsys] rescore window: score 0", first);
        }
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(topLevelDocId, leaves));
        FusedScore score = ctx.score();
        double[] features = score.newFeatures();
        score.leaf(leaf.reader()).read(topLevelDocId - leaf.docBase, first.getValue().doubleValue(), features);
        Explanation own = score.explain(features, first);
        double kept = ctx.knownOrderValue(topLevelDocId);
        if (Double.isNaN(kept)) {
            return own;
        }
        return Explanation.match(
            (float) FusionFeatures.nonNegative(kept),
            "known item kept in the model's order: the hybrid fusion gives it the fused value of its rank among the known "
                + "candidates, raw "
                + kept
                + " (its own below)",
            own
        );
    }
}
