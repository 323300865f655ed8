package org.recsys.plugin.training;

import org.elasticsearch.action.fieldcaps.FieldCapabilities;
import org.elasticsearch.action.fieldcaps.FieldCapabilitiesResponse;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.search.SearchHit;

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

    /** How many documents were read, and how many of them were skipped and why. */
    public record Counts(long read, long missingUserOrItem, long invalidWeight) {
        public long used() {
            return read - missingUserOrItem - invalidWeight;
        }
    }

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
                    "[" + param + "] [" + field + "] is mapped as [" + type + "] in index [" + source.index() + "]; expected one of " + new java.util.TreeSet<>(allowed)
                );
            }
        }
    }

    public Counts read(InteractionSource source, ModelTask task, Sink sink) {
        List<String> fields = new ArrayList<>(List.of(source.userField(), source.itemField()));
        if (source.weightField() != null) {
            fields.add(source.weightField());
        }
        long[] counts = new long[3];
        IndexScan.forEach(client, source.index(), source.query(), fields, task, hit -> {
            counts[0]++;
            String user = id(hit, source.userField());
            String item = id(hit, source.itemField());
            if (user == null || item == null) {
                counts[1]++;
            } else {
                float weight = source.weightField() == null ? 1f : weight(hit, source.weightField());
                if (Float.isFinite(weight) && weight >= 0) {
                    sink.accept(user, item, weight);
                } else {
                    counts[2]++;
                }
            }
            if ((counts[0] & 0xFFFF) == 0) {
                task.interactionsRead(counts[0]);
            }
        });
        task.interactionsRead(counts[0]);
        return new Counts(counts[0], counts[1], counts[2]);
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
