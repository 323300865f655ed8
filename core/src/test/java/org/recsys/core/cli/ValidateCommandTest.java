package org.recsys.core.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recsys.core.util.SuppressForbidden;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidateCommandTest {

    @TempDir
    Path dir;

    private Path train;

    @BeforeEach
    void writeTrain() throws Exception {
        train = dir.resolve("train.tsv");
        StringBuilder rows = new StringBuilder();
        Random random = new Random(5);
        for (int u = 0; u < 120; u++) {
            for (int n = 0; n < 12; n++) {
                int item = random.nextDouble() < 0.8 ? u % 4 + 4 * random.nextInt(20) : random.nextInt(80);
                rows.append("u").append(u).append("\ti").append(item).append('\t').append(1 + random.nextInt(5)).append('\t').append(n);
                rows.append('\n');
            }
        }
        Files.writeString(train, rows);
    }

    @Test
    void carveOutIIsTheOneOfTuneSeedPlusI() {
        List<String> fromOne = scores("--tune-seed", "1", "--carve-outs", "3");
        assertEquals(3, fromOne.size());
        // Carve-out 1 of seed 1 is carve-out 0 of seed 2, as in a search's finals: a configuration compares with its trials.
        assertEquals(fromOne.get(1), scores("--tune-seed", "2", "--carve-outs", "1").get(0));
        assertNotEquals(fromOne.get(0), fromOne.get(1));
    }

    @Test
    void theWalsFlagsSetTheConfigurationScored() {
        assertNotEquals(scores("--carve-outs", "1"), scores("--carve-outs", "1", "--lambda", "0.01", "--alpha", "40"));
        assertNotEquals(scores("--carve-outs", "1"), scores("--carve-outs", "1", "--weight", "rating", "--confidence", "linear"));
    }

    @Test
    void badCarveOutCountsAreRefused() {
        for (String n : new String[]{ "0", "101" }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scores("--carve-outs", n));
            assertTrue(e.getMessage().startsWith("flag [--carve-outs] is [" + n + "]"), e.getMessage());
        }
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> scores("--carve-outs", "2", "--validation", "recent"));
        assertTrue(e.getMessage().contains("1 with --validation recent"), e.getMessage());
    }

    /** The metric of each carve-out, as printed. */
    @SuppressForbidden(reason = "captures what the command prints to stdout")
    private List<String> scores(String... flags) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            String[] argv =
                Stream.concat(Stream.of("wals-validate", "--train", train.toString(), "--threads", "2", "--rank", "8"), Stream.of(flags))
                    .toArray(String[]::new);
            Main.run(argv);
        } finally {
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8)
            .lines()
            .filter(l -> l.startsWith("carve-out "))
            .map(l -> l.replaceAll(".*: (ndcg@10 [0-9.]+) over.*", "$1"))
            .toList();
    }
}
