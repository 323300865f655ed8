package org.recsys.core.eval;

import org.recsys.core.data.IdIndex;
import org.recsys.core.sequential.NextItemValidation;
import org.recsys.core.sequential.SequentialModel;
import org.recsys.core.sequential.SequentialModelFile;
import org.recsys.core.sequential.SequentialParams;
import org.recsys.core.sequential.SequentialTrainer;
import org.recsys.core.sequential.TransitionFusion;
import org.recsys.core.sequential.UserSequences;
import org.recsys.core.topk.TopK;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Protocol P3 with the sequential model: trained on the training rows with early stopping on each user's validation
 * item, then each user's next items after their training + validation history, through the model's plain-Java query
 * path and its fused score (what a node serves).
 */
public final class SequentialRecommendations {

    private final SequentialModel model;
    private final int bestEpoch;
    private final AtomicInteger usersWithoutKnownItems = new AtomicInteger();
    private final AtomicInteger unknownItems = new AtomicInteger();
    private final AtomicInteger truncatedItems = new AtomicInteger();

    private SequentialRecommendations(SequentialModel model, int bestEpoch) {
        this.model = model;
        this.bestEpoch = bestEpoch;
    }

    /** Recommendations of a model trained earlier (a model file), as served; {@link #bestEpoch} is then 0. */
    public static SequentialRecommendations of(SequentialModel model) {
        return new SequentialRecommendations(model, 0);
    }

    /** The same model ranking by its network's score alone: the fusion's part in the served ranking, measured. */
    public SequentialRecommendations withoutFusion() {
        return new SequentialRecommendations(model.withFusion(TransitionFusion.none(model.shape().items())), bestEpoch);
    }

    /**
     * @param train rows of any order; each user's are put in order of time
     * @param valid each user's next item after their training rows
     */
    public static SequentialRecommendations train(
        List<Rating> train,
        List<Rating> valid,
        SequentialParams params,
        SequentialTrainer.Listener listener
    ) {
        UserSequences sequences = new UserSequences();
        chronological(train, List.of()).forEach((user, items) -> items.forEach(item -> sequences.add(user, item)));
        IdIndex items = sequences.items();
        List<int[]> histories = new ArrayList<>();
        List<Integer> targets = new ArrayList<>();
        for (Rating r : valid) {
            int u = sequences.users().indexOf(r.user());
            if (u >= 0) {
                histories.add(sequences.sequence(u));
                targets.add(items.indexOf(r.item()));
            }
        }
        NextItemValidation validation =
            new NextItemValidation(histories.toArray(int[][]::new), targets.stream().mapToInt(Integer::intValue).toArray());
        SequentialTrainer.Result result = new SequentialTrainer(params).listener(listener).train(items, sequences.sequences(), validation);
        return new SequentialRecommendations(result.model(), result.bestEpoch());
    }

    public int bestEpoch() {
        return bestEpoch;
    }

    public SequentialModel model() {
        return model;
    }

    /** Every user's top {@code k} after their train + valid items, excluding those items; users are in file order. */
    public Map<String, List<String>> topN(List<Rating> train, List<Rating> valid, int k, int threads) {
        Map<String, List<String>> histories = chronological(train, valid);
        float[] itemVectors = model.itemVectors();
        int nItems = model.shape().items();
        List<String> users = new ArrayList<>(histories.keySet());
        List<List<String>> top = new ArrayList<>(users.size());
        users.forEach(u -> top.add(null));
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            pool.submit(() -> IntStream.range(0, users.size()).parallel().forEach(u -> {
                List<String> history = histories.get(users.get(u));
                SequentialModel.Query query;
                try {
                    query = model.query(history);
                } catch (IllegalArgumentException e) {
                    usersWithoutKnownItems.incrementAndGet();
                    return;
                }
                unknownItems.addAndGet(query.unknown());
                truncatedItems.addAndGet(query.truncated());
                BitSet seen = new BitSet(nItems);
                for (String item : history) {
                    int i = model.items().indexOf(item);
                    if (i >= 0) {
                        seen.set(i);
                    }
                }
                TopK.Result best = TopK.of(model.scores(query, itemVectors), k, seen);
                List<String> ids = new ArrayList<>(best.indices().length);
                for (int i : best.indices()) {
                    ids.add(model.items().id(i));
                }
                top.set(u, ids);
            })).join();
        } finally {
            pool.shutdown();
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int u = 0; u < users.size(); u++) {
            if (top.get(u) != null) {
                out.put(users.get(u), top.get(u));
            }
        }
        return out;
    }

    /**
     * Each user's items of {@code first} then {@code then}, in order of time. The sort is stable, so rows of the same
     * timestamp keep their order in the files, and {@code then}'s after {@code first}'s: the order a split like P3
     * (by timestamp, then item) was cut in, whatever an item id's type. Files in another order (P3's are sorted by
     * user and item) would otherwise give the model sequences that are not sequences.
     */
    static Map<String, List<String>> chronological(List<Rating> first, List<Rating> then) {
        Map<String, List<Rating>> byUser = new LinkedHashMap<>();
        for (List<Rating> rows : List.of(first, then)) {
            rows.forEach(r -> byUser.computeIfAbsent(r.user(), u -> new ArrayList<>()).add(r));
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        byUser.forEach((user, rows) -> {
            rows.sort(Comparator.comparingLong(Rating::timestamp));
            List<String> items = new ArrayList<>(rows.size());
            rows.forEach(r -> items.add(r.item()));
            out.put(user, items);
        });
        return out;
    }

    /** What {@link #topN} could not use: users with no known item, unknown items skipped, items beyond the maximum length. */
    public String skipped() {
        return usersWithoutKnownItems.get()
            + " users without a known item, "
            + unknownItems.get()
            + " unknown items skipped, "
            + truncatedItems.get()
            + " items beyond max_length";
    }

    public void writeModel(Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            SequentialModelFile.write(model, out);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
