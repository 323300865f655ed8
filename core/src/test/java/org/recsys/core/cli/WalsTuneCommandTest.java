package org.recsys.core.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsys.core.util.SuppressForbidden;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WalsTuneCommandTest {

    @TempDir
    Path dir;

    @Test
    void theSameSeedGivesTheSameChoiceAndRecommendations() throws Exception {
        Path train = dir.resolve("train.tsv");
        StringBuilder rows = new StringBuilder();
        Random random = new Random(9);
        for (int u = 0; u < 150; u++) {
            for (int n = 0; n < 12; n++) {
                int item = random.nextDouble() < 0.8 ? u % 4 + 4 * random.nextInt(25) : random.nextInt(100);
                rows.append("u")
                    .append(u)
                    .append('\t')
                    .append("i")
                    .append(item)
                    .append('\t')
                    .append(1 + random.nextInt(5))
                    .append('\t')
                    .append(n)
                    .append('\n');
            }
        }
        Files.writeString(train, rows);
        String first = tune(train, "a.tsv", "3");
        String again = tune(train, "b.tsv", "3");
        assertTrue(first.startsWith("chosen after "), first);
        assertEquals(first.replaceAll("\\(.*? s,", "("), again.replaceAll("\\(.*? s,", "("));
        assertEquals(Files.readString(dir.resolve("a.tsv")), Files.readString(dir.resolve("b.tsv")));
        // Another seed carves out other items and draws other configurations.
        assertNotEquals(first.replaceAll("\\(.*? s,", "("), tune(train, "c.tsv", "4").replaceAll("\\(.*? s,", "("));
    }

    @SuppressForbidden(reason = "captures what the command prints to stdout")
    private String tune(Path train, String recs, String seed) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Main.run(
                new String[]{
                    "wals",
                    "--tune",
                    "--trials",
                    "10",
                    "--tune-seed",
                    seed,
                    "--weight",
                    "rating",
                    "--train",
                    train.toString(),
                    "--recs",
                    dir.resolve(recs).toString(),
                    "--threads",
                    "2" }
            );
        } finally {
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8).trim();
    }
}
