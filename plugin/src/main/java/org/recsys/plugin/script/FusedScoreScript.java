package org.recsys.plugin.script;

import org.apache.lucene.index.LeafReader;
import org.apache.lucene.search.Explanation;
import org.elasticsearch.script.DocReader;
import org.elasticsearch.script.LeafReaderContextSupplier;
import org.elasticsearch.script.ScoreScript;
import org.elasticsearch.search.lookup.SearchLookup;
import org.recsys.plugin.rescore.FusedScore;
import org.recsys.plugin.rescore.LeafFeatures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The {@code fused} script: the same fused score as the {@code recsys} rescorer ({@link FusedScore}), over every
 * document the {@code script_score} query matches, with the query's score as the first-phase feature. A script
 * cannot resolve a user itself, so its params carry the resolved user as {@code POST _recsys/models/{id}/_user}
 * answers it ({@code script_params}), plus {@code weights} or {@code "type": "learned"} (see {@link FusedScriptParams}).
 */
final class FusedScoreScript extends ScoreScript {

    private final FusedScore score;
    private final LeafReader reader;
    private final double[] features;
    private LeafFeatures leaf;
    private int lastDoc = -1;
    private int doc;

    private FusedScoreScript(LeafFactory factory, DocReader docReader, LeafReader reader) throws IOException {
        super(factory.params, factory.lookup, docReader);
        this.score = factory.score;
        this.reader = reader;
        this.features = score.newFeatures();
        this.leaf = score.leaf(reader);
    }

    @Override
    public void setDocument(int docid) {
        super.setDocument(docid);
        this.doc = docid;
    }

    @Override
    public double execute(ExplanationHolder explanation) {
        try {
            if (doc <= lastDoc) {
                // Lucene's iterators only move forward; explain and some collectors revisit documents.
                leaf = score.leaf(reader);
            }
            lastDoc = doc;
            double firstPhase = get_score();
            leaf.read(doc, firstPhase, features);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (explanation != null) {
            Explanation e = score.explain(features, Explanation.match((float) get_score(), "first phase: the query's score"));
            StringBuilder text = new StringBuilder(e.getDescription());
            for (Explanation part : e.getDetails()) {
                text.append("; ").append(part.getValue()).append(" ").append(part.getDescription());
            }
            explanation.set(text.toString());
        }
        return score.score(features);
    }

    /** One per script compilation. */
    static final class Factory implements ScoreScript.Factory {
        @Override
        public ScoreScript.LeafFactory newFactory(Map<String, Object> params, SearchLookup lookup) {
            return new LeafFactory(params, lookup);
        }

        @Override
        public boolean isResultDeterministic() {
            return true;
        }
    }

    /** One per shard and request: the params parsed and checked against the mapping once. */
    static final class LeafFactory implements ScoreScript.LeafFactory {
        private final Map<String, Object> params;
        private final SearchLookup lookup;
        private final FusedScore score;

        LeafFactory(Map<String, Object> params, SearchLookup lookup) {
            this.params = params;
            this.lookup = lookup;
            this.score = FusedScriptParams.parse(params, lookup);
        }

        @Override
        public boolean needs_score() {
            return true;
        }

        @Override
        public boolean needs_termStats() {
            return false;
        }

        @Override
        public ScoreScript newInstance(DocReader docReader) throws IOException {
            return new FusedScoreScript(this, docReader, ((LeafReaderContextSupplier) docReader).getLeafReaderContext().reader());
        }
    }
}
