package org.recsys.core.melu;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The features MeLU embeds, in the order their embeddings are concatenated: four of the user, then four of the
 * item (MovieLens 100K). Each turns raw values (as a request or a file gives them) into vocabulary values; a
 * multi-valued field (genres, directors, actors) has its embeddings averaged.
 */
public enum FeatureField {
    GENDER("gender", Side.USER),
    /** Raw age in years, bucketed as MovieLens 1M does (under 18, 18–24, 25–34, 35–44, 45–49, 50–55, 56+). */
    AGE("age", Side.USER),
    OCCUPATION("occupation", Side.USER),
    /** The first two characters of the zip code: about a hundred regions, each with several users. */
    ZIP("zip", Side.USER),
    GENRES("genres", Side.ITEM),
    YEAR("year", Side.ITEM),
    /** Comma-separated names in one raw value are split into several values. */
    DIRECTOR("director", Side.ITEM),
    ACTORS("actors", Side.ITEM);

    /** Whose feature it is. */
    public enum Side {
        USER,
        ITEM
    }

    private static final int[] AGE_BUCKETS = { 18, 25, 35, 45, 50, 56 };
    private static final int ZIP_PREFIX = 2;

    private final String id;
    private final Side side;

    FeatureField(String id, Side side) {
        this.id = id;
        this.side = side;
    }

    /** The name used in requests and files. */
    public String id() {
        return id;
    }

    public Side side() {
        return side;
    }

    public static List<FeatureField> of(Side side) {
        List<FeatureField> fields = new ArrayList<>();
        for (FeatureField f : values()) {
            if (f.side == side) {
                fields.add(f);
            }
        }
        return fields;
    }

    /** The field named {@code id} on {@code side}; an unknown name is an error naming the known ones. */
    public static FeatureField fromId(Side side, String id) {
        for (FeatureField f : values()) {
            if (f.side == side && f.id.equals(id)) {
                return f;
            }
        }
        throw new IllegalArgumentException(
            "unknown " + side.name().toLowerCase(Locale.ROOT) + " feature [" + id + "]; expected one of " + of(side).stream().map(FeatureField::id).toList()
        );
    }

    /** The vocabulary values of raw values: trimmed, empty ones dropped, split or bucketed as the field needs. */
    public List<String> normalise(List<String> raw) {
        List<String> out = new ArrayList<>(raw.size());
        for (String value : raw) {
            if (value == null) {
                continue;
            }
            switch (this) {
                case AGE -> out.add(ageBucket(value.trim()));
                case ZIP -> addIfPresent(out, prefix(value.trim().toUpperCase(Locale.ROOT)));
                case DIRECTOR, ACTORS -> {
                    for (String name : value.split(",")) {
                        addIfPresent(out, name.trim());
                    }
                }
                default -> addIfPresent(out, value.trim());
            }
        }
        return out;
    }

    private static String prefix(String zip) {
        return zip.length() <= ZIP_PREFIX ? zip : zip.substring(0, ZIP_PREFIX);
    }

    private static void addIfPresent(List<String> out, String value) {
        if (value.isEmpty() == false) {
            out.add(value);
        }
    }

    private String ageBucket(String value) {
        int age;
        try {
            age = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("user feature [" + id + "] must be an age in whole years, got [" + value + "]");
        }
        if (age < 0 || age > 150) {
            throw new IllegalArgumentException("user feature [" + id + "] must be an age between 0 and 150, got [" + value + "]");
        }
        int bucket = 0;
        while (bucket < AGE_BUCKETS.length && age >= AGE_BUCKETS[bucket]) {
            bucket++;
        }
        return bucket == 0 ? "<" + AGE_BUCKETS[0] : ">=" + AGE_BUCKETS[bucket - 1];
    }
}
