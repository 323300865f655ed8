package org.recsys.bench;

import org.recsys.core.eval.InteractionFiles;
import org.recsys.core.eval.Rating;
import org.recsys.core.sequential.SequentialModel;
import org.recsys.core.sequential.SequentialModelFile;
import org.recsys.core.topk.TopK;
import org.recsys.core.util.SuppressForbidden;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The query side of a trained sequential model, in this JVM on one thread, for a catalogue too large to load into a
 * shared machine's node beside its training (Beauty): {@code SequentialQueryLatency MODEL TRAIN VALID HISTORY}.
 * For every user with at least HISTORY train + valid items, the most recent HISTORY as the history: the query vector
 * ({@code SequentialModel.query}, the encoder a node runs on its search pool; {@link SequentialP3#encoderInProcess}),
 * and the served top 10 computed exactly (query vector, the fused score of every item, the history excluded).
 */
@SuppressForbidden(reason = "a benchmark: prints its measurements as JSON lines")
public final class SequentialQueryLatency {

    public static void main(String[] args) throws Exception {
        SequentialModel model = SequentialModelFile.fromBytes(Files.readAllBytes(Path.of(args[0])));
        List<Rating> train = InteractionFiles.read(Path.of(args[1]));
        List<Rating> valid = InteractionFiles.read(Path.of(args[2]));
        int history = Integer.parseInt(args[3]);
        List<List<String>> recent = new ArrayList<>();
        for (List<String> items : SequentialP3.histories(train, valid).values()) {
            if (items.size() >= history) {
                recent.add(List.copyOf(items.subList(items.size() - history, items.size())));
            }
        }
        SequentialP3.encoderInProcess(model, recent, history);

        float[] vectors = model.itemVectors();
        LatencyQ1.Latencies top = new LatencyQ1.Latencies(10 * recent.size());
        for (int round = 0; round <= 10; round++) {
            for (List<String> h : recent) {
                long t0 = System.nanoTime();
                BitSet seen = new BitSet(model.shape().items());
                for (String item : h) {
                    int i = model.items().indexOf(item);
                    if (i >= 0) {
                        seen.set(i);
                    }
                }
                TopK.of(model.scores(model.query(h), vectors), 10, seen);
                if (round > 0) {
                    top.record((System.nanoTime() - t0) / 1e6);
                }
            }
        }
        System.out.println(
            Measurements.json(
                "benchmark",
                "Q1-seq",
                "path",
                "fused_top10_in_process",
                "items",
                model.shape().items(),
                "history",
                history,
                "users",
                recent.size(),
                "requests",
                top.count,
                "p50_ms",
                top.percentile(0.5),
                "p99_ms",
                top.percentile(0.99),
                "load_1m_after",
                Measurements.loadAverage()
            )
        );
    }
}
