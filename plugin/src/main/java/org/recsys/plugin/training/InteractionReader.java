package org.recsys.plugin.training;

import org.elasticsearch.action.fieldcaps.FieldCapabilities;
import org.elasticsearch.action.fieldcaps.FieldCapabilitiesResponse;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.aggregations.AggregationBuilders;
import org.elasticsearch.search.aggregations.metrics.Cardinality;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.fetch.subphase.FieldAndFormat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads (user, item, weight) interactions from an index as its user's client: checks the mapped types of the
 * fields first, then scans the doc values of the matching documents. Documents without a user or item, or with a
 * weight that is missing, negative or not finite, are skipped and counted, never guessed.
 */
public final class InteractionReader {

    static final Set<String> ID_TYPES = Set.of("keyword", "constant_keyword", "long", "integer", "short", "byte");
    static final Set<String> WEIGHT_TYPES = Set.of("long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float");
    static final Set<String> TIME_TYPES = Set.of("date", "date_nanos", "long", "integer");

    /** Receives each valid interaction. */
    public interface Sink {
        void accept(String user, String item, float weight);
    }

    /** Receives each valid interaction with its timestamp (epoch milliseconds for a date field). */
    public interface TimedSink {
        void accept(String user, String item, float weight, long timestamp);
    }

    /** How many documents were read, and how many of them were skipped and why. */
    public record Counts(long read, long missingUserOrItem, long invalidWeight, long missingTimestamp) {
        public long used() {
            return read - missingUserOrItem - invalidWeight - missingTimestamp;
        }
    }

    private static final String USERS = "users";
    private static final String ITEMS = "items";
    /** Exact below this many distinct values, about 1% off above it; an estimate needs no more. */
    private static final int DISTINCT_PRECISION = 40_000;

    private final Client client;

    public InteractionReader(Client client) {
        this.client = client;
    }

    /**
     * Refuses fields that are unmapped or of a type that cannot be read as ids, weights or timestamps; a missing
     * index fails with Elasticsearch's own index_not_found_exception (404).
     */
    public void checkMapping(InteractionSource source) {
        List<String> fields = new ArrayList<>(List.of(source.userField(), source.itemField()));
        if (source.weightField() != null) {
            fields.add(source.weightField());
        }
        if (source.timestampField() != null) {
            fields.add(source.timestampField());
        }
        FieldCapabilitiesResponse caps = client.prepareFieldCaps(source.index()).setFields(fields.toArray(String[]::new)).get();
        check(caps, source, "user_field", source.userField(), ID_TYPES);
        check(caps, source, "item_field", source.itemField(), ID_TYPES);
        if (source.weightField() != null) {
            check(caps, source, "weight_field", source.weightField(), WEIGHT_TYPES);
        }
        if (source.timestampField() != null) {
            check(caps, source, "timestamp_field", source.timestampField(), TIME_TYPES);
        }
    }

    private static void check(FieldCapabilitiesResponse caps, InteractionSource source, String param, String field, Set<String> allowed) {
        Map<String, FieldCapabilities> types = caps.getField(field);
        if (types == null || types.isEmpty()) {
            throw new IllegalArgumentException("[" + param + "] [" + field + "] is not mapped in index [" + source.index() + "]");
        }
        for (String type : types.keySet()) {
            if (allowed.contains(type) == false) {
                throw new IllegalArgumentException(
                    "["
                        + param
                        + "] ["
                        + field
                        + "] is mapped as ["
                        + type
                        + "] in index ["
                        + source.index()
                        + "]; expected one of "
                        + new java.util.TreeSet<>(allowed)
                );
            }
        }
    }

    /** How large a source is, from counts taken before it is read: what a training's memory estimate starts from. */
    public record Size(long interactions, long users, long items) {}

    /**
     * Counts the matching documents exactly and their distinct users and items (HyperLogLog, within a few percent) by
     * one search that reads no document, as the calling user: it is also the check that the user may read the index.
     */
    public Size size(InteractionSource source) {
        SearchSourceBuilder search = new SearchSourceBuilder().query(source.query())
            .size(0)
            .trackTotalHits(true)
            .aggregation(AggregationBuilders.cardinality(USERS).field(source.userField()).precisionThreshold(DISTINCT_PRECISION))
            .aggregation(AggregationBuilders.cardinality(ITEMS).field(source.itemField()).precisionThreshold(DISTINCT_PRECISION));
        SearchResponse response = client.prepareSearch(source.index()).setSource(search).get();
        try {
            long interactions = response.getHits().getTotalHits().value;
            Cardinality users = response.getAggregations().get(USERS);
            Cardinality items = response.getAggregations().get(ITEMS);
            return new Size(interactions, users.getValue(), items.getValue());
        } finally {
            response.decRef();
        }
    }

    public Counts read(InteractionSource source, ModelTask task, Sink sink) {
        return scan(source, task, null, (user, item, weight, timestamp) -> sink.accept(user, item, weight));
    }

    /**
     * As {@link #read}, with each interaction's timestamp (the source must name its field); one without a timestamp
     * is skipped and counted.
     */
    public Counts readTimed(InteractionSource source, ModelTask task, TimedSink sink) {
        // Dates come back in their mapping's format unless asked for one; numbers need none.
        Map<String, FieldCapabilities> types =
            client.prepareFieldCaps(source.index()).setFields(source.timestampField()).get().getField(source.timestampField());
        boolean date = types != null && (types.containsKey("date") || types.containsKey("date_nanos"));
        return scan(source, task, new FieldAndFormat(source.timestampField(), date ? "epoch_millis" : null), sink);
    }

    private Counts scan(InteractionSource source, ModelTask task, FieldAndFormat timestamp, TimedSink sink) {
        List<FieldAndFormat> fields =
            new ArrayList<>(List.of(new FieldAndFormat(source.userField(), null), new FieldAndFormat(source.itemField(), null)));
        if (source.weightField() != null) {
            fields.add(new FieldAndFormat(source.weightField(), null));
        }
        if (timestamp != null) {
            fields.add(timestamp);
        }
        long[] counts = new long[4];
        IndexScan.forEachFormatted(client, source.index(), source.query(), fields, List.of(), task, hit -> {
            counts[0]++;
            String user = id(hit, source.userField());
            String item = id(hit, source.itemField());
            float weight = source.weightField() == null ? 1f : weight(hit, source.weightField());
            long time = timestamp == null ? Long.MIN_VALUE : timestamp(hit, timestamp.field);
            if (user == null || item == null) {
                counts[1]++;
            } else if (Float.isFinite(weight) == false || weight < 0) {
                counts[2]++;
            } else if (timestamp != null && time == Long.MIN_VALUE) {
                counts[3]++;
            } else {
                sink.accept(user, item, weight, time);
            }
            if ((counts[0] & 0xFFFF) == 0) {
                task.interactionsRead(counts[0]);
            }
        });
        task.interactionsRead(counts[0]);
        return new Counts(counts[0], counts[1], counts[2], counts[3]);
    }

    /** The timestamp as a long (an epoch_millis string for dates, with a fraction for date_nanos), or Long.MIN_VALUE. */
    private static long timestamp(SearchHit hit, String field) {
        DocumentField f = hit.field(field);
        Object v = f == null ? null : f.getValue();
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String text) {
            try {
                return text.indexOf('.') < 0 ? Long.parseLong(text) : (long) Double.parseDouble(text);
            } catch (NumberFormatException e) {
                return Long.MIN_VALUE;
            }
        }
        return Long.MIN_VALUE;
    }

    private static String id(SearchHit hit, String field) {
        DocumentField f = hit.field(field);
        return f == null || f.getValue() == null ? null : f.getValue().toString();
    }

    private static float weight(SearchHit hit, String field) {
        DocumentField f = hit.field(field);
        return f == null || f.getValue() instanceof Number == false ? Float.NaN : ((Number) f.getValue()).floatValue();
    }
}
