package org.recsys.core.eval;

import org.recsys.core.baseline.Ease;
import org.recsys.core.baseline.NextItemScorer;
import org.recsys.core.baseline.Popularity;
import org.recsys.core.baseline.Transitions;
import org.recsys.core.sequential.UserSequences;
import org.recsys.core.topk.TopK;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The reference models of protocols P1 and P3, fitted on interaction rows and ranking every item a user has not had:
 * popularity, EASE and first-order transitions. Each user's rows are put in order of time as the sequential model's
 * are ({@link SequentialRecommendations#chronological}), which only transitions read.
 */
public final class BaselineRecommendations {

    public enum Kind {
        POPULARITY, EASE, TRANSITIONS;

        public static Kind fromId(String id) {
            for (Kind k : values()) {
                if (k.id().equals(id)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown baseline [" + id + "]; expected popularity, ease or transitions");
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final UserSequences sequences;
    private final NextItemScorer scorer;

    private BaselineRecommendations(UserSequences sequences, NextItemScorer scorer) {
        this.sequences = sequences;
        this.scorer = scorer;
    }

    /** Fits {@code kind} on {@code first} then {@code then} (each user's rows in order of time); {@code lambda} is EASE's. */
    public static BaselineRecommendations fit(Kind kind, List<Rating> first, List<Rating> then, float lambda) {
        UserSequences sequences = new UserSequences();
        SequentialRecommendations.chronological(first, then).forEach((user, items) -> items.forEach(item -> sequences.add(user, item)));
        int[][] s = sequences.sequences();
        int items = sequences.items().size();
        NextItemScorer scorer = switch (kind) {
            case POPULARITY -> new Popularity(s, items);
            case EASE -> new Ease(s, items, lambda);
            case TRANSITIONS -> new Transitions(s, items);
        };
        return new BaselineRecommendations(sequences, scorer);
    }

    /** Every user's top {@code k} of the items not in their fitted history; users in file order. */
    public Map<String, List<String>> topN(int k, int threads) {
        int users = sequences.users().size();
        int items = sequences.items().size();
        List<List<String>> top = new ArrayList<>(users);
        for (int u = 0; u < users; u++) {
            top.add(null);
        }
        ThreadLocal<float[]> buffers = ThreadLocal.withInitial(() -> new float[items]);
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            pool.submit(() -> IntStream.range(0, users).parallel().forEach(u -> {
                int[] history = sequences.sequence(u);
                float[] scores = buffers.get();
                scorer.score(history, scores);
                BitSet seen = new BitSet(items);
                for (int i : history) {
                    seen.set(i);
                }
                TopK.Result best = TopK.of(scores, k, seen);
                List<String> ids = new ArrayList<>(best.indices().length);
                for (int i : best.indices()) {
                    ids.add(sequences.items().id(i));
                }
                top.set(u, ids);
            })).join();
        } finally {
            pool.shutdown();
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int u = 0; u < users; u++) {
            out.put(sequences.users().id(u), top.get(u));
        }
        return out;
    }
}
