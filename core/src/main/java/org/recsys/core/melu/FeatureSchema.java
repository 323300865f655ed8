package org.recsys.core.melu;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The features a model embeds, in the order their embeddings are concatenated into the decision layers' input: the
 * user's, then the item's. An item needs at least one feature (otherwise all items look alike); a user may have
 * none, and is then told apart by adaptation alone.
 */
public final class FeatureSchema {

    /**
     * MovieLens 100K's: gender, age in MovieLens 1M's groups, occupation and the zip code's first two characters;
     * genres, release year, director(s) and actors (comma-separated names).
     */
    public static final FeatureSchema MOVIELENS = of(
        List.of(
            FeatureField.keyword("gender", FeatureField.Side.USER),
            new FeatureField("age", FeatureField.Side.USER, new FeatureField.Buckets(new double[]{ 18, 25, 35, 45, 50, 56 })),
            FeatureField.keyword("occupation", FeatureField.Side.USER),
            new FeatureField("zip", FeatureField.Side.USER, new FeatureField.Prefix(2))
        ),
        List.of(
            FeatureField.keyword("genres", FeatureField.Side.ITEM),
            FeatureField.keyword("year", FeatureField.Side.ITEM),
            new FeatureField("director", FeatureField.Side.ITEM, new FeatureField.Split(",")),
            new FeatureField("actors", FeatureField.Side.ITEM, new FeatureField.Split(","))
        )
    );

    private final List<FeatureField> fields;
    private final List<FeatureField> user;
    private final List<FeatureField> item;

    private FeatureSchema(List<FeatureField> user, List<FeatureField> item) {
        check(user, FeatureField.Side.USER);
        check(item, FeatureField.Side.ITEM);
        if (item.isEmpty()) {
            throw new IllegalArgumentException("a MeLU model needs at least one item feature");
        }
        this.user = List.copyOf(user);
        this.item = List.copyOf(item);
        List<FeatureField> all = new ArrayList<>(this.user);
        all.addAll(this.item);
        this.fields = List.copyOf(all);
    }

    public static FeatureSchema of(List<FeatureField> user, List<FeatureField> item) {
        return new FeatureSchema(user, item);
    }

    private static void check(List<FeatureField> fields, FeatureField.Side side) {
        Set<String> names = new HashSet<>();
        for (FeatureField f : fields) {
            if (f.side() != side) {
                throw new IllegalArgumentException(
                    "feature [" + f.name() + "] is a " + name(f.side()) + " feature, listed with the " + name(side) + " features"
                );
            }
            if (names.add(f.name()) == false) {
                throw new IllegalArgumentException(name(side) + " feature [" + f.name() + "] is named twice");
            }
        }
    }

    private static String name(FeatureField.Side side) {
        return side.name().toLowerCase(Locale.ROOT);
    }

    /** Every feature, the user's first, in input order. */
    public List<FeatureField> fields() {
        return fields;
    }

    public List<FeatureField> of(FeatureField.Side side) {
        return side == FeatureField.Side.USER ? user : item;
    }

    /** The position in {@link #fields()} of the feature named {@code name} on {@code side}; unknown names are an error. */
    int index(FeatureField.Side side, String name) {
        List<FeatureField> list = of(side);
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).name().equals(name)) {
                return side == FeatureField.Side.USER ? i : user.size() + i;
            }
        }
        throw new IllegalArgumentException(
            "unknown " + name(side) + " feature [" + name + "]; expected one of " + list.stream().map(FeatureField::name).toList()
        );
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureSchema s && fields.equals(s.fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
