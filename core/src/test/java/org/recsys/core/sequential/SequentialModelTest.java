package org.recsys.core.sequential;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.recsys.core.baseline.TransitionCounts;
import org.recsys.core.data.IdIndex;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequentialModelTest {

    private static final ModelShape SHAPE = new ModelShape(7, 8, 2, 2, 5);
    private static final ModelShape CAUSAL = new ModelShape(7, 8, 2, 2, 5, true);

    static SequentialModel randomModel(long seed) {
        return randomModel(SHAPE, seed);
    }

    static SequentialModel randomModel(ModelShape shape, long seed) {
        IdIndex ids = new IdIndex();
        for (int i = 0; i < shape.items(); i++) {
            ids.add("i" + i);
        }
        Map<String, float[]> p = Initialisation.of(shape, new Random(seed));
        Random random = new Random(seed + 1);
        // Non-trivial norms and biases, so that a wrong parameter anywhere shows.
        p.values().forEach(values -> {
            for (int i = 0; i < values.length; i++) {
                values[i] += (float) (random.nextGaussian() * 0.3);
            }
        });
        return new SequentialModel(shape, ids, p);
    }

    @Test
    void thePlainJavaQueryEqualsTheTrainingForwardWithPadding() {
        queryEqualsTheTrainingForward(randomModel(3), new int[][]{ { 4, 0, 6, 2 }, { 1 }, { 3, 3 } });
    }

    /** A causal model reads all max_length positions (no mask), each attending to itself and what came before. */
    @Test
    void theCausalQueryEqualsTheTrainingForwardWithPadding() {
        queryEqualsTheTrainingForward(randomModel(CAUSAL, 3), new int[][]{ { 4, 0, 6, 2, 5 }, { 1 }, { 3, 3 } });
    }

    /** In a causal network a position's state does not change with the item after it; the last position's does. */
    @Test
    void aCausalPositionIgnoresLaterItems() {
        SequentialModel model = randomModel(CAUSAL, 4);
        Engine engine = TorchEngine.get();
        try (NDManager root = NDManager.newBaseManager(engine.defaultDevice(), engine.getEngineName());
            SequentialNetwork network = new SequentialNetwork(CAUSAL, parameters(model), root)) {
            PaddedSequences batch = PaddedSequences.of(
                List.of(
                    NextItemValidation.queryTokens(new int[]{ 4, 0, 6, 2 }, CAUSAL),
                    NextItemValidation.queryTokens(new int[]{ 4, 0, 6, 5 }, CAUSAL)
                )
            );
            float[] hidden = network.hidden(root, batch, 0f, false).toFloatArray();
            int d = CAUSAL.hidden();
            int second = 4 * d;
            for (int j = 0; j < 3 * d; j++) {
                assertEquals(hidden[j], hidden[second + j], 1e-6, "position " + j / d + " dimension " + j % d);
            }
            double lastDifference = 0;
            for (int j = 3 * d; j < 4 * d; j++) {
                lastDifference += Math.abs(hidden[j] - hidden[second + j]);
            }
            assertTrue(lastDifference > 1e-3, "the last position reads its own item");
        }
    }

    private static void queryEqualsTheTrainingForward(SequentialModel model, int[][] histories) {
        ModelShape shape = model.shape();
        Engine engine = TorchEngine.get();
        try (NDManager root = NDManager.newBaseManager(engine.defaultDevice(), engine.getEngineName());
            SequentialNetwork network = new SequentialNetwork(shape, parameters(model), root)) {
            List<int[]> rows = new ArrayList<>();
            for (int[] h : histories) {
                rows.add(NextItemValidation.queryTokens(h, shape));
            }
            PaddedSequences batch = PaddedSequences.of(rows);
            float[] tails = network.hidden(root, batch, 0.5f, false).get(root.create(batch.tails())).toFloatArray();
            for (int b = 0; b < histories.length; b++) {
                float[] query = model.queryVector(histories[b]);
                assertEquals(shape.vectorDimension(), query.length);
                assertEquals(1f, query[shape.hidden()]);
                for (int j = 0; j < shape.hidden(); j++) {
                    assertEquals(tails[b * shape.hidden() + j], query[j], 1e-4, "history " + b + " dimension " + j);
                }
            }
        }
    }

    @Test
    void itemVectorsCarryTheBiasSoThatTheDotProductIsTheModelScore() {
        SequentialModel model = randomModel(5);
        float[] items = model.itemVectors();
        int d = SHAPE.hidden();
        assertEquals(SHAPE.items() * (d + 1), items.length);
        float[] embedding = model.parameter("token_embedding");
        for (int i = 0; i < SHAPE.items(); i++) {
            for (int j = 0; j < d; j++) {
                assertEquals(embedding[(i + 1) * d + j], items[i * (d + 1) + j]);
            }
            assertEquals(model.parameter("item_bias")[i], items[i * (d + 1) + d]);
        }
    }

    @Test
    void aHistoryIsCheckedTrimmedAndItsUnknownItemsCounted() {
        SequentialModel model = randomModel(7);
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> model.query(List.of()));
        assertTrue(empty.getMessage().contains("history is empty"), empty.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> model.query(List.of("x", "y")));
        assertTrue(none.getMessage().contains("none of the [2] items"), none.getMessage());

        SequentialModel.Query withUnknown = model.query(List.of("i1", "nope", "i2"));
        assertEquals(2, withUnknown.used());
        assertEquals(1, withUnknown.unknown());
        assertEquals(0, withUnknown.truncated());
        assertArrayEquals(model.queryVector(new int[]{ 1, 2 }), withUnknown.vector());

        // max_length 5 keeps the 4 most recent items and the mask.
        SequentialModel.Query longer = model.query(List.of("i0", "i1", "i2", "i3", "i4", "i5"));
        assertEquals(4, longer.used());
        assertEquals(2, longer.truncated());
        assertArrayEquals(model.queryVector(new int[]{ 2, 3, 4, 5 }), longer.vector());

        assertThrows(IllegalArgumentException.class, () -> model.queryVector(new int[]{ 0, 1, 2, 3, 4 }));
        assertThrows(IllegalArgumentException.class, () -> model.queryVector(new int[]{ 7 }));
    }

    @Test
    void theFileRoundTripsAndRejectsCorruption() throws IOException {
        SequentialModel model = randomModel(11);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SequentialModelFile.write(model, bytes);
        SequentialModel read = SequentialModelFile.read(new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals(model.shape(), read.shape());
        assertEquals(model.items().ids(), read.items().ids());
        assertArrayEquals(model.itemVectors(), read.itemVectors());
        assertArrayEquals(model.queryVector(new int[]{ 3, 1 }), read.queryVector(new int[]{ 3, 1 }));

        SequentialModel causal = randomModel(CAUSAL, 12);
        SequentialModel causalRead = SequentialModelFile.fromBytes(SequentialModelFile.toBytes(causal));
        assertEquals(CAUSAL, causalRead.shape());
        assertArrayEquals(causal.queryVector(new int[]{ 3, 1 }), causalRead.queryVector(new int[]{ 3, 1 }));

        byte[] flipped = bytes.toByteArray();
        flipped[flipped.length / 2] ^= 1;
        IOException corrupt = assertThrows(IOException.class, () -> SequentialModelFile.read(new ByteArrayInputStream(flipped)));
        assertTrue(corrupt.getMessage().contains("checksum"), corrupt.getMessage());
        byte[] truncated = java.util.Arrays.copyOf(bytes.toByteArray(), 100);
        IOException early = assertThrows(IOException.class, () -> SequentialModelFile.read(new ByteArrayInputStream(truncated)));
        assertTrue(early.getMessage().contains("ends early"), early.getMessage());
    }

    /** The served score is the network's plus the transition term of the history's last item, and the file keeps it. */
    @Test
    void theFusionAddsTheLastItemsTransitionsAndRoundTrips() throws IOException {
        SequentialModel plain = randomModel(CAUSAL, 13);
        // Item 2 is followed by 4 (three times) and 6 (once); item 5 by nothing.
        int[][] sequences = { { 2, 4 }, { 1, 2, 4 }, { 2, 4, 0 }, { 2, 6 } };
        TransitionFusion fusion = new TransitionFusion(2f, new TransitionCounts(sequences, 7));
        SequentialModel fused = new SequentialModel(CAUSAL, plain.items(), parameters(plain), fusion);
        float[] vectors = plain.itemVectors();
        SequentialModel.Query query = fused.query(List.of("i3", "i2"));
        assertEquals(2, query.last());
        float[] scores = fused.scores(query, vectors);
        float[] network = plain.scores(plain.query(List.of("i3", "i2")), vectors);
        for (int i = 0; i < 7; i++) {
            float term = i == 4 ? 2f * (float) Math.log1p(3) : i == 6 ? 2f * (float) Math.log1p(1) : 0f;
            assertEquals(network[i] + term, scores[i], 0f, "item " + i);
            assertEquals(term, fusion.term(2, i), 0f);
        }
        assertArrayEquals(new int[]{ 4, 6 }, fusion.successors(2));
        assertArrayEquals(new int[0], fusion.successors(5));
        // An unknown last item adds nothing: the network's scores.
        SequentialModel.Query unknownLast = fused.query(List.of("i2", "nope"));
        assertEquals(-1, unknownLast.last());
        assertArrayEquals(plain.scores(plain.query(List.of("i2")), vectors), fused.scores(unknownLast, vectors));

        byte[] bytes = SequentialModelFile.toBytes(fused);
        SequentialModel read = SequentialModelFile.fromBytes(bytes);
        assertEquals(2f, read.fusion().weight());
        assertArrayEquals(scores, read.scores(read.query(List.of("i3", "i2")), vectors));
        assertArrayEquals(bytes, SequentialModelFile.toBytes(read));
    }

    /** A bounded row keeps its most frequent successors (equal counts: the lower index), still in index order. */
    @Test
    void boundedTransitionRowsKeepTheMostFrequentSuccessors() {
        int[][] sequences = { { 0, 5 }, { 0, 5 }, { 0, 3 }, { 0, 1 }, { 0, 2 }, { 0, 2 }, { 1, 4 } };
        TransitionCounts bounded = new TransitionCounts(sequences, 6).bounded(3);
        assertEquals(4, bounded.pairs());
        int[] row = new int[bounded.rowEnd(0) - bounded.rowStart(0)];
        for (int at = bounded.rowStart(0); at < bounded.rowEnd(0); at++) {
            row[at - bounded.rowStart(0)] = bounded.successor(at);
        }
        assertArrayEquals(new int[]{ 1, 2, 5 }, row);
        assertEquals(2, bounded.count(0, 5));
        assertEquals(0, bounded.count(0, 3));
        assertEquals(1, bounded.count(1, 4));
    }

    private static Map<String, float[]> parameters(SequentialModel model) {
        Map<String, float[]> p = new java.util.LinkedHashMap<>();
        for (ModelShape.Tensor t : model.shape().parameters()) {
            p.put(t.name(), model.parameter(t.name()));
        }
        return p;
    }
}
