package org.recsys.core.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Recommendations as the scorer reads them: TSV {@code user item rank}, rank from 1. */
public final class RecsFile {

    private RecsFile() {}

    public static void write(Path file, Map<String, List<String>> recommendations) {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (Map.Entry<String, List<String>> e : recommendations.entrySet()) {
                int rank = 1;
                for (String item : e.getValue()) {
                    out.write(e.getKey() + "\t" + item + "\t" + rank++ + "\n");
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
