package org.recsys.core.melu;

import org.junit.jupiter.api.Test;
import org.recsys.core.util.Workers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MeluDatasetTest {

    private record Row(String user, String item, float rating, long time) {}

    /** Twelve users of the synthetic world with 25 ratings each, an item outside the catalogue among them. */
    private static List<Row> rows() {
        Random random = new Random(4);
        List<Row> rows = new ArrayList<>();
        for (int u = 0; u < 12; u++) {
            for (int r = 0; r < 25; r++) {
                int item = random.nextInt(SyntheticMelu.ITEMS);
                rows.add(
                    new Row(
                        String.valueOf(u),
                        r == 7 ? "gone" : "i" + item,
                        SyntheticMelu.rating(u % 2 == 0, item, 0),
                        1000 + random.nextInt(50)
                    )
                );
            }
        }
        return rows;
    }

    private static MeluDataset dataset(List<Row> rows, List<String> userOrder, List<String> itemOrder) {
        SyntheticMelu world = new SyntheticMelu(3);
        MeluDataset.Builder data = new MeluDataset.Builder(FeatureSchema.MOVIELENS);
        userOrder.forEach(u -> data.user(u, SyntheticMelu.user(Integer.parseInt(u) % 2 == 0)));
        itemOrder.forEach(i -> data.item(i, world.items.get(i)));
        rows.forEach(r -> data.rating(r.user(), r.item(), r.rating(), r.time()));
        return data.build();
    }

    @Test
    void theModelDoesNotDependOnTheOrderOfTheData() {
        List<Row> rows = rows();
        List<String> users = new ArrayList<>();
        for (int u = 0; u < 12; u++) {
            users.add(String.valueOf(u));
        }
        List<String> items = new ArrayList<>(new SyntheticMelu(3).items.keySet());
        MeluParams params = SyntheticMelu.params();
        byte[] inOrder = MeluModelFormat.toBytes(dataset(rows, users, items).train(params, (e, n, l, s) -> {
        }, Workers.offline()));
        Collections.shuffle(rows, new Random(1));
        Collections.shuffle(users, new Random(2));
        Collections.shuffle(items, new Random(3));
        byte[] shuffled = MeluModelFormat.toBytes(dataset(rows, users, items).train(params, (e, n, l, s) -> {
        }, Workers.offline()));
        assertArrayEquals(inOrder, shuffled);
    }

    @Test
    void tasksCutEachHistoryIntoQueriesFromTheNewestBack() {
        List<String> items = new ArrayList<>(new SyntheticMelu(3).items.keySet());
        List<Row> rows = new ArrayList<>();
        // 25 ratings: queries [15, 25) and [5, 15); [0, 5) has fewer than 10 and is only support.
        for (int r = 24; r >= 0; r--) {
            rows.add(new Row("7", r == 20 ? "gone" : "i" + r, 1 + r % 5, 100 + r));
        }
        MeluDataset data = dataset(rows, List.of("7"), items);
        assertEquals(1, data.ratingsOfUnknownItems());
        assertEquals(0, data.usersWithoutFeatures());
        List<MetaTask> tasks = data.tasks(90);
        assertEquals(2, tasks.size());
        assertEquals(9, tasks.get(0).queryItems().length, "the unknown item is left out of its query");
        assertEquals(15, tasks.get(0).supportItems().length);
        assertEquals(data.catalog().indexOf("i15"), tasks.get(0).queryItems()[0]);
        assertEquals(10, tasks.get(1).queryItems().length);
        assertEquals(5, tasks.get(1).supportItems().length);
        assertEquals(3, data.tasks(3).get(0).supportItems().length, "max_support keeps the newest");
        assertEquals(data.catalog().indexOf("i12"), data.tasks(3).get(0).supportItems()[0]);
    }

    @Test
    void idsSortNumbersAsNumbersThenTheRest() {
        List<String> ids = new ArrayList<>(List.of("b", "10", "2", "a", "02", "1", "-3", "100"));
        ids.sort(MeluDataset.ID_ORDER);
        assertEquals(List.of("1", "2", "10", "100", "-3", "02", "a", "b"), ids);
    }

    @Test
    void duplicatesAndCancellationAreRefused() {
        MeluDataset.Builder data = new MeluDataset.Builder(FeatureSchema.MOVIELENS).item("i1", Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> data.item("i1", Map.of()));
        assertEquals("item [i1] has features twice", e.getMessage());
        List<Row> rows = rows();
        List<String> items = new ArrayList<>(new SyntheticMelu(3).items.keySet());
        MeluDataset dataset = dataset(rows, List.of(), items);
        assertEquals(12, dataset.usersWithoutFeatures());
        AtomicInteger batches = new AtomicInteger();
        CancellationException cancelled =
            assertThrows(CancellationException.class, () -> dataset.train(SyntheticMelu.params(), (ep, n, l, s) -> {
            }, Workers.offline(() -> batches.incrementAndGet() > 1)));
        assertEquals("training cancelled in epoch 1", cancelled.getMessage());
        assertEquals(2, batches.get());
    }
}
