package org.recsys.core.eval;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MovieLens 100K user and item features as raw values by feature name, in file order: {@code u.user} gives gender,
 * age, occupation and zip; {@code u.item} (with {@code u.genre}) the genres and the release year;
 * {@code items_text.jsonl} the director and actors (comma-separated names).
 */
public record MovieLensFeatures(Map<String, Map<String, List<String>>> users, Map<String, Map<String, List<String>>> items) {

    private static final int FIRST_GENRE_COLUMN = 5;

    public static MovieLensFeatures read(Path dir) {
        Map<String, Map<String, List<String>>> users = new LinkedHashMap<>();
        for (String[] p : pipeRows(dir.resolve("u.user"), 5)) {
            users.put(p[0], Map.of("age", List.of(p[1]), "gender", List.of(p[2]), "occupation", List.of(p[3]), "zip", List.of(p[4])));
        }
        List<String> genres = new ArrayList<>();
        for (String[] p : pipeRows(dir.resolve("u.genre"), 2)) {
            genres.add(p[0]);
        }
        Map<String, Map<String, List<String>>> items = new LinkedHashMap<>();
        for (String[] p : pipeRows(dir.resolve("u.item"), FIRST_GENRE_COLUMN + genres.size())) {
            List<String> itemGenres = new ArrayList<>();
            for (int g = 0; g < genres.size(); g++) {
                if (p[FIRST_GENRE_COLUMN + g].equals("1")) {
                    itemGenres.add(genres.get(g));
                }
            }
            String date = p[2];
            Map<String, List<String>> features = new LinkedHashMap<>();
            features.put("genres", itemGenres);
            features.put("year", date.length() >= 4 ? List.of(date.substring(date.length() - 4)) : List.of());
            items.put(p[0], features);
        }
        readText(dir.resolve("items_text.jsonl"), items);
        return new MovieLensFeatures(users, items);
    }

    private static void readText(Path file, Map<String, Map<String, List<String>>> items) {
        int lineNumber = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                Map<String, List<String>> features = items.get(o.get("item_id").getAsString());
                if (features != null) {
                    features.put("director", text(o.get("director")));
                    features.put("actors", text(o.get("actors")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ":" + lineNumber + ": expected a JSON object with item_id, director and actors", e);
        }
    }

    private static List<String> text(JsonElement e) {
        return e == null || e.isJsonNull() ? List.of() : List.of(e.getAsString());
    }

    private static List<String[]> pipeRows(Path file, int columns) {
        List<String[]> rows = new ArrayList<>();
        try {
            // MovieLens 100K is Latin-1 (accented titles in u.item).
            List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                String[] p = lines.get(i).split("\\|", -1);
                if (p.length < columns) {
                    throw new IllegalArgumentException(
                        file + ":" + (i + 1) + ": expected " + columns + " '|'-separated fields, got " + p.length
                    );
                }
                rows.add(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return rows;
    }
}
