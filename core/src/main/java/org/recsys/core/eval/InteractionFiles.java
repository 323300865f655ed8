package org.recsys.core.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads interaction files: TSV {@code user item rating timestamp} (the protocol splits and MovieLens {@code u.data}
 * alike; rating and timestamp optional, 1 and 0 when absent).
 */
public final class InteractionFiles {

    /** Receives each row without allocating a record, for files of tens of millions of rows. */
    @FunctionalInterface
    public interface RowConsumer {
        void accept(String user, String item, float rating, long timestamp);
    }

    private InteractionFiles() {}

    public static void forEach(Path file, RowConsumer consumer) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNumber = 0;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                int t1 = line.indexOf('\t');
                int t2 = t1 < 0 ? -1 : line.indexOf('\t', t1 + 1);
                int t3 = t2 < 0 ? -1 : line.indexOf('\t', t2 + 1);
                if (t1 <= 0) {
                    throw new IllegalArgumentException(
                        file + ":" + lineNumber + ": expected 'user<TAB>item[<TAB>rating[<TAB>timestamp]]', got [" + line + "]"
                    );
                }
                String user = line.substring(0, t1);
                String item = t2 < 0 ? line.substring(t1 + 1) : line.substring(t1 + 1, t2);
                float rating = 1f;
                long timestamp = 0;
                try {
                    if (t2 > 0) {
                        rating = Float.parseFloat(t3 < 0 ? line.substring(t2 + 1) : line.substring(t2 + 1, t3));
                    }
                    if (t3 > 0) {
                        timestamp = Long.parseLong(line.substring(t3 + 1).trim());
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + ":" + lineNumber + ": bad number in [" + line + "]", e);
                }
                consumer.accept(user, item, rating, timestamp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static List<Rating> read(Path file) {
        List<Rating> rows = new ArrayList<>();
        forEach(file, (u, i, r, t) -> rows.add(new Rating(u, i, r, t)));
        return rows;
    }
}
