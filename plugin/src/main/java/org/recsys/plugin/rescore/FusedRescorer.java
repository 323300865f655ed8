package org.recsys.plugin.rescore;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
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
 * always positive), so the shards' hits stay sorted by score for the coordinating node's merge.
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
        ScoreDoc[] rescored = Arrays.copyOf(hits, window);
        // Segments and their vector iterators go forward only: visit the window in document order.
        Arrays.sort(rescored, Comparator.comparingInt(d -> d.doc));
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        FusedScore score = ctx.score();
        double[] features = score.newFeatures();
        int leaf = -1;
        LeafFeatures reader = null;
        for (ScoreDoc hit : rescored) {
            int l = ReaderUtil.subIndex(hit.doc, leaves);
            if (l != leaf) {
                leaf = l;
                reader = score.leaf(leaves.get(l).reader());
            }
            ctx.checkCancellation();
            reader.read(hit.doc - leaves.get(l).docBase, hit.score, features);
            hit.score = (float) score.score(features);
        }
        Set<Integer> docs = new HashSet<>(window * 2);
        for (ScoreDoc hit : rescored) {
            docs.add(hit.doc);
        }
        ctx.setRescoredDocs(docs);
        Arrays.sort(rescored, (a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.doc, b.doc));
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
        return score.explain(features, first);
    }
}
