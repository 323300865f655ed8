package org.recsys.core.tuning;

import org.recsys.core.wals.Confidence;
import org.recsys.core.wals.WalsParams;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Which WALS hyperparameters a search varies and over what: a range per number (rank, iterations, λ, α, ε, w0, the
 * user weight and user λ exponents; sampled uniformly on a log scale but for iterations and the exponents) and a set of confidences. Parameters a request fixes are left
 * out. The default ranges were chosen on validation carve-outs of the P1 training file (docs/models.md).
 */
public final class SearchSpace {

    /** A searchable parameter: its name, and for numbers whether it is an integer, its scale and its default range. */
    public enum Param {
        RANK("rank", true, true, 16, 128, 1, WalsParams.MAX_RANK), ITERATIONS("iterations", true, false, 8, 30, 1, 1000), LAMBDA("lambda",
            false, true, 0.1, 1000, Double.MIN_VALUE, 1e9), ALPHA("alpha", false, true, 0.1, 100, Double.MIN_VALUE,
                1e9), CONFIDENCE("confidence", false, false, 0, 0, 0, 0), EPSILON("epsilon", false, true, 0.01, 10, Double.MIN_VALUE,
                    1e9), W0("w0", false, true, 0.01, 1, Double.MIN_VALUE, 1e9), USER_WEIGHT_EXPONENT("user_weight_exponent", false, false,
                        0, 0.6, 0, 1), USER_LAMBDA_EXPONENT("user_lambda_exponent", false, false, 0, 0.75, 0, 1);

        private final String id;
        private final boolean integer;
        private final boolean log;
        private final double defaultMin, defaultMax, lowest, highest;

        Param(String id, boolean integer, boolean log, double defaultMin, double defaultMax, double lowest, double highest) {
            this.id = id;
            this.integer = integer;
            this.log = log;
            this.defaultMin = defaultMin;
            this.defaultMax = defaultMax;
            this.lowest = lowest;
            this.highest = highest;
        }

        public String id() {
            return id;
        }

        static Param byId(String id) {
            for (Param p : values()) {
                if (p.id.equals(id)) {
                    return p;
                }
            }
            return null;
        }

        double get(WalsParams p) {
            return switch (this) {
                case RANK -> p.rank();
                case ITERATIONS -> p.iterations();
                case LAMBDA -> p.lambda();
                case ALPHA -> p.alpha();
                case EPSILON -> p.epsilon();
                case W0 -> p.w0();
                case USER_WEIGHT_EXPONENT -> p.userWeightExponent();
                case USER_LAMBDA_EXPONENT -> p.userLambdaExponent();
                case CONFIDENCE -> p.confidence().ordinal();
            };
        }

        WalsParams set(WalsParams p, double v) {
            return switch (this) {
                case RANK -> p.toBuilder().rank((int) Math.round(v)).build();
                case ITERATIONS -> p.toBuilder().iterations((int) Math.round(v)).build();
                case LAMBDA -> p.toBuilder().lambda((float) v).build();
                case ALPHA -> p.toBuilder().alpha((float) v).build();
                case EPSILON -> p.toBuilder().epsilon((float) v).build();
                case W0 -> p.toBuilder().w0((float) v).build();
                case USER_WEIGHT_EXPONENT -> p.toBuilder().userWeightExponent((float) v).build();
                case USER_LAMBDA_EXPONENT -> p.toBuilder().userLambdaExponent((float) v).build();
                case CONFIDENCE -> p.toBuilder().confidence(Confidence.values()[(int) v]).build();
            };
        }

        Object value(WalsParams p) {
            return switch (this) {
                case RANK -> p.rank();
                case ITERATIONS -> p.iterations();
                case CONFIDENCE -> p.confidence().id();
                default -> (double) (float) get(p);
            };
        }
    }

    /** The names a search space may hold. */
    public static final Set<String> NAMES = Arrays.stream(Param.values()).map(Param::id).collect(java.util.stream.Collectors.toSet());

    private final Map<Param, double[]> ranges;
    private final List<Confidence> confidences;

    private SearchSpace(Map<Param, double[]> ranges, List<Confidence> confidences) {
        this.ranges = ranges;
        this.confidences = confidences;
    }

    /** Every parameter over its default range, but those in {@code fixed} (names of parameters a request sets). */
    public static SearchSpace defaults(Set<String> fixed) {
        return parse(Map.of(), fixed, "");
    }

    /**
     * The default space with some ranges replaced: a number's range is {@code [min, max]}, the confidences a list of
     * ids. A parameter that is both fixed and given a range, an unknown name, an empty or invalid range, is an error
     * naming the field ({@code path.space.name}).
     *
     * @param fixed the names of the parameters the request sets, which are not searched
     */
    public static SearchSpace parse(Map<String, ?> given, Set<String> fixed, String path) {
        for (String name : given.keySet()) {
            if (NAMES.contains(name) == false) {
                throw new IllegalArgumentException(
                    "[" + name(path, "space." + name) + "] is not a parameter that can be searched; expected one of " + new TreeSet<>(NAMES)
                );
            }
            if (fixed.contains(name)) {
                throw new IllegalArgumentException(
                    "[" + name(path, "space." + name) + "] is searched but [params." + name + "] fixes it; give one or the other"
                );
            }
        }
        Map<Param, double[]> ranges = new EnumMap<>(Param.class);
        List<Confidence> confidences = List.of();
        for (Param p : Param.values()) {
            if (fixed.contains(p.id)) {
                continue;
            }
            Object range = given.get(p.id);
            if (range == null && p == Param.W0) {
                // w0 is redundant with α and λ (dividing the objective by w0 leaves α/w0 and λ/w0): searched only on request.
                continue;
            }
            String field = name(path, "space." + p.id);
            if (p == Param.CONFIDENCE) {
                confidences = range == null ? List.of(Confidence.values()) : confidences(range, field);
            } else {
                ranges.put(p, range == null ? new double[]{ p.defaultMin, p.defaultMax } : range(p, range, field));
            }
        }
        return new SearchSpace(ranges, confidences);
    }

    private static List<Confidence> confidences(Object range, String field) {
        if (range instanceof List<?> list && list.isEmpty() == false && list.stream().allMatch(v -> v instanceof String)) {
            List<Confidence> out = new ArrayList<>();
            for (Object id : new java.util.LinkedHashSet<>(list)) {
                try {
                    out.add(Confidence.fromId((String) id));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("[" + field + "] holds [" + id + "]; expected linear or log");
                }
            }
            return List.copyOf(out);
        }
        throw new IllegalArgumentException(
            "[" + field + "] is [" + range + "]; expected a non-empty list of confidences, e.g. [\"log\", \"linear\"]"
        );
    }

    private static double[] range(Param p, Object range, String field) {
        if (range instanceof List<?> list && list.size() == 2 && list.get(0) instanceof Number a && list.get(1) instanceof Number b) {
            double min = a.doubleValue(), max = b.doubleValue();
            if (min > max) {
                throw new IllegalArgumentException(
                    "[" + field + "] is the empty range [" + min + ", " + max + "]; the minimum must not exceed the maximum"
                );
            }
            boolean wholeNumbers = p.integer == false || (min == Math.rint(min) && max == Math.rint(max));
            if (min < p.lowest || max > p.highest || wholeNumbers == false || Double.isFinite(max) == false) {
                String expected = p.integer ? "integers in " + (long) p.lowest + ".." + (long) p.highest
                    : p.log ? "numbers > 0 (searched on a log scale)"
                    : "numbers in " + p.lowest + ".." + p.highest;
                throw new IllegalArgumentException("[" + field + "] is [" + min + ", " + max + "]; expected " + expected);
            }
            return new double[]{ min, max };
        }
        throw new IllegalArgumentException("[" + field + "] is [" + range + "]; expected a range [min, max]");
    }

    /** {@code path.name}, or {@code name} when the path is empty (the command line). */
    static String name(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** Whether every one of {@code params} is searched (not fixed by the request, nor left out of the space). */
    boolean searches(Param... params) {
        for (Param p : params) {
            boolean searched = p == Param.CONFIDENCE ? confidences.size() > 1 : ranges.containsKey(p);
            if (searched == false) {
                return false;
            }
        }
        return true;
    }

    /** Whether anything is searched at all. */
    public boolean isEmpty() {
        return ranges.isEmpty() && confidences.size() < 2;
    }

    /** {@code base} with each searched parameter drawn from its range. */
    WalsParams sample(WalsParams base, SplittableRandom random) {
        WalsParams p = base;
        for (Map.Entry<Param, double[]> e : ranges.entrySet()) {
            p = e.getKey().set(p, draw(e.getKey(), e.getValue(), random.nextDouble()));
        }
        return confidences.isEmpty() ? p : p.toBuilder().confidence(confidences.get(random.nextInt(confidences.size()))).build();
    }

    /**
     * A neighbour of {@code parent}: one or two of the searched parameters moved (a number by a Gaussian step of
     * {@code scale} times its range's width on its scale, clipped into the range; the confidence switched), the others
     * kept, so that a search can walk along the one parameter that matters for the data at hand.
     */
    WalsParams near(WalsParams parent, double scale, SplittableRandom random) {
        List<Param> searched = new ArrayList<>(ranges.keySet());
        if (confidences.size() > 1) {
            searched.add(Param.CONFIDENCE);
        }
        WalsParams p = parent;
        for (int moves = 1 + random.nextInt(2); moves > 0 && searched.isEmpty() == false; moves--) {
            Param param = searched.remove(random.nextInt(searched.size()));
            if (param == Param.CONFIDENCE) {
                List<Confidence> others = new ArrayList<>(confidences);
                others.remove(p.confidence());
                p = p.toBuilder().confidence(others.get(random.nextInt(others.size()))).build();
            } else {
                double[] r = ranges.get(param);
                double at = position(param, r, param.get(parent)) + scale * random.nextGaussian();
                p = param.set(p, draw(param, r, Math.min(1, Math.max(0, at))));
            }
        }
        return p;
    }

    /** {@code p} with every searched parameter clipped into its range (a starting point the space may not hold). */
    WalsParams clip(WalsParams p) {
        WalsParams out = p;
        for (Map.Entry<Param, double[]> e : ranges.entrySet()) {
            double v = e.getKey().get(p);
            out = e.getKey().set(out, Math.min(e.getValue()[1], Math.max(e.getValue()[0], v)));
        }
        return confidences.isEmpty() || confidences.contains(p.confidence()) ? out : out.toBuilder().confidence(confidences.get(0)).build();
    }

    /** The highest rank a trial may have, starting from {@code p}. */
    public int maxRank(WalsParams p) {
        double[] r = ranges.get(Param.RANK);
        return r == null ? p.rank() : (int) r[1];
    }

    /** The searched parameters' values in {@code p}, by name. */
    public Map<String, Object> values(WalsParams p) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Param param : Param.values()) {
            if (ranges.containsKey(param) || (param == Param.CONFIDENCE && confidences.isEmpty() == false)) {
                out.put(param.id, param.value(p));
            }
        }
        return out;
    }

    /** The space as a request gives it: name to [min, max], or to the list of confidences. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Param param : Param.values()) {
            if (param == Param.CONFIDENCE && confidences.isEmpty() == false) {
                out.put(param.id, confidences.stream().map(Confidence::id).toList());
            } else if (ranges.containsKey(param)) {
                double[] r = ranges.get(param);
                out.put(param.id, param.integer ? List.of((long) r[0], (long) r[1]) : List.of(r[0], r[1]));
            }
        }
        return out;
    }

    private static double draw(Param p, double[] r, double u) {
        double v = p.log ? Math.exp(Math.log(r[0]) + u * (Math.log(r[1]) - Math.log(r[0]))) : r[0] + u * (r[1] - r[0]);
        return p.integer ? Math.min(r[1], Math.max(r[0], Math.round(v))) : v;
    }

    private static double position(Param p, double[] r, double v) {
        if (r[1] == r[0]) {
            return 0;
        }
        return p.log ? (Math.log(v) - Math.log(r[0])) / (Math.log(r[1]) - Math.log(r[0])) : (v - r[0]) / (r[1] - r[0]);
    }
}
