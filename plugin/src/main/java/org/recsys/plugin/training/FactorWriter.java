package org.recsys.plugin.training;

import org.elasticsearch.action.admin.indices.mapping.get.GetFieldMappingsResponse;
import org.elasticsearch.action.bulk.BulkRequestBuilder;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.action.update.UpdateRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.index.IndexNotFoundException;
import org.elasticsearch.index.engine.DocumentMissingException;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.search.SearchHit;
import org.recsys.core.data.IdIndex;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;

/**
 * Writes one side's factors into the documents of its index, as the user's client: creates or checks the two
 * slot fields ({@code dense_vector}, {@code max_inner_product}, indexed), then partial-updates every document whose
 * id is in the model and clears the slot of documents that had a factor there but are not in the model any more,
 * so the slot never mixes versions.
 */
public final class FactorWriter {

    static final int BULK_SIZE = 500;
    /** The id of the document that {@link #plan}'s write check updates: it never exists, so nothing is written. */
    private static final String WRITE_CHECK_ID = "_recsys_write_check";

    /** What the write did. */
    public record Counts(long written, long cleared, long created, long withoutDocument, long projected) {}

    private static final String SOURCE = "_source";
    private static final String PROFILE = "_profile";
    private static final String COUNT = "_count";
    private static final String PROJECTED_FIELD = "_projected";
    private static final String DOCUMENT_ID = "_id";
    static final String TRAINED = "trained";
    public static final String PROJECTED = "projected";
    /** The key of a version's {@code metrics.projection} that names its {@link #projectedField}, when it wrote one. */
    public static final String PROJECTED_FIELD_METRIC = "projected_field";
    /** The key of a version's metrics that names its {@link #documentIdField}, when it wrote one. */
    public static final String ITEM_ID_FIELD_METRIC = "item_id_field";

    private final Client client;

    public FactorWriter(Client client) {
        this.client = client;
    }

    /**
     * A field kept per slot beside the factor, {@code <vector_field>_<slot><suffix>}, with its mapping; with
     * {@code value}, what {@link #write} puts there for each row (null removes a value an older version left).
     */
    public record SlotField(String suffix, Map<String, Object> mapping, @Nullable IntFunction<Object> value) {

        /** Content profiles: a {@code dense_vector} that is not indexed, read by a get of the user's document. */
        static SlotField profile(int dims) {
            return new SlotField(PROFILE, Map.of("type", "dense_vector", "dims", dims, "index", false), null);
        }

        /** Interaction counts: a {@code long} with doc values, which the rescorer's popularity reads. */
        static SlotField count() {
            return new SlotField(COUNT, Map.of("type", "long"), null);
        }

        /**
         * Projected factors again, in a field only projected items have: a {@code knn} for the best projected items
         * then searches a graph of those items alone, where a filter on {@code _source: projected} made it search
         * the whole graph for the few that pass. Trained items have none there.
         */
        static SlotField projected(int dims) {
            return new SlotField(PROJECTED_FIELD, vectorMapping(dims, true), row -> null);
        }

        /**
         * The document's own {@code _id} again, in doc values only, when {@code _id} is the item id: {@code _recommend}
         * reads its hits' ids there rather than from stored fields, where each hit's {@code _id} costs a decompression
         * of the whole document with its vectors (Q1: 0.3–0.45 ms of a 1.5 ms {@code knn}). Written and cleared with
         * the factor. Items keyed by an {@code id_field} of their own are answered from that field's doc values.
         */
        static List<SlotField> documentIds(FactorTarget items) {
            return items.idIsDocumentId()
                ? List.of(new SlotField(DOCUMENT_ID, Map.of("type", "keyword", "index", false), row -> null))
                : List.of();
        }

        SlotField withValues(IntFunction<Object> values) {
            return new SlotField(suffix, mapping, values);
        }

        String field(FactorTarget target, String slot) {
            return target.field(slot) + suffix;
        }
    }

    /**
     * The slot fields a training adds to one index: what {@link #plan} found missing, for {@link #apply} to add just
     * before the factors are written, so that a training that fails or is refused earlier leaves the mapping as it was.
     */
    public record SlotMapping(String index, boolean createIndex, Map<String, Object> missing) {}

    /**
     * Checks the slot fields where present and lists those absent, changing nothing. With {@code createIndex}, a
     * missing index is to be created; otherwise it fails with index_not_found_exception. As the calling user, it
     * also makes sure that {@link #apply} and {@link #write} will be allowed, by requests that change nothing: an
     * update of a document that does not exist ({@code write}), a refresh ({@code maintenance}) and, where fields
     * are missing, an empty mapping update ({@code indices:admin/mapping/put}); a refusal is the 403 of the request
     * that would have failed later. New vector fields use a float HNSW graph: Elasticsearch's default (int8
     * quantisation) ranks factors of different norms by rounded scores, which cost P1 NDCG@10 0.08 even with every
     * item a candidate. Vectors that are only read per document, never searched by {@code knn}, are indexed
     * {@code flat} (float vector values without a graph to build). A field the user mapped stays as mapped.
     *
     * @param graph  whether {@code knn} searches the field (HNSW) or only scorers read it (flat)
     * @param extras fields kept beside the factor in both slots
     */
    public SlotMapping plan(FactorTarget target, int dims, boolean graph, List<SlotField> extras, boolean createIndex, String param) {
        Map<String, Object> properties = new HashMap<>();
        Map<String, Map<String, Object>> expected = new HashMap<>();
        for (String slot : List.of("a", "b")) {
            properties.put(target.field(slot), vectorMapping(dims, graph));
            expected.put(target.field(slot), Map.of("type", "dense_vector", "dims", dims, "similarity", "max_inner_product"));
            properties.put(sourceField(target, slot), Map.of("type", "keyword"));
            for (SlotField extra : extras) {
                properties.put(extra.field(target, slot), extra.mapping());
                expected.put(extra.field(target, slot), extra.mapping());
            }
        }
        GetFieldMappingsResponse existing;
        try {
            existing = client.admin()
                .indices()
                .prepareGetFieldMappings(target.index())
                .setFields(properties.keySet().toArray(String[]::new))
                .get();
        } catch (IndexNotFoundException e) {
            if (createIndex == false) {
                throw e;
            }
            return new SlotMapping(target.index(), true, properties);
        }
        for (Map<String, GetFieldMappingsResponse.FieldMappingMetadata> fields : existing.mappings().values()) {
            for (var entry : fields.entrySet()) {
                Object mapping = entry.getValue().sourceAsMap().values().stream().findFirst().orElse(Map.of());
                if (expected.containsKey(entry.getKey())) {
                    checkField(target, param, entry.getKey(), (Map<?, ?>) mapping, expected.get(entry.getKey()));
                }
                properties.remove(entry.getKey());
            }
        }
        checkWriteAccess(target.index(), properties.isEmpty() == false);
        return new SlotMapping(target.index(), false, properties);
    }

    /** A factor field: float vectors scored by inner product, in an HNSW graph for {@code knn} or flat for scorers. */
    private static Map<String, Object> vectorMapping(int dims, boolean graph) {
        return Map.of(
            "type",
            "dense_vector",
            "dims",
            dims,
            "index",
            true,
            "similarity",
            "max_inner_product",
            "index_options",
            Map.of("type", graph ? "hnsw" : "flat")
        );
    }

    private void checkWriteAccess(String index, boolean mappingUpdate) {
        try {
            client.prepareUpdate(index, WRITE_CHECK_ID).setDoc(Map.of()).get();
        } catch (DocumentMissingException e) {
            // Allowed to write; there was nothing to update.
        }
        client.admin().indices().prepareRefresh(index).get();
        if (mappingUpdate) {
            client.admin().indices().preparePutMapping(index).setSource(Map.of("properties", Map.of())).get();
        }
    }

    /** Creates the index, or adds the missing fields, that {@link #plan} found. */
    public void apply(SlotMapping mapping) {
        if (mapping.createIndex()) {
            client.admin().indices().prepareCreate(mapping.index()).setMapping(Map.of("properties", mapping.missing())).get();
        } else if (mapping.missing().isEmpty() == false) {
            client.admin().indices().preparePutMapping(mapping.index()).setSource(Map.of("properties", mapping.missing())).get();
        }
    }

    /** A field mapped before must agree with what the training writes on every key that matters (type, dims, similarity). */
    private static void checkField(FactorTarget target, String param, String field, Map<?, ?> mapping, Map<String, Object> expected) {
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            Object mapped = mapping.get(e.getKey());
            boolean same =
                mapped instanceof Number n && e.getValue() instanceof Number m ? n.intValue() == m.intValue() : e.getValue().equals(mapped);
            // How a vector is indexed is the user's to choose where they mapped the field; what it holds is not.
            if (same == false && "index".equals(e.getKey()) == false && "index_options".equals(e.getKey()) == false) {
                throw new IllegalArgumentException(
                    "field ["
                        + field
                        + "] of index ["
                        + target.index()
                        + "] is mapped as "
                        + mapping
                        + " but this training needs "
                        + describe(expected)
                        + " there; choose another ["
                        + param
                        + ".vector_field]"
                );
            }
        }
    }

    /** E.g. "a dense_vector of 64 dims with max_inner_product". */
    private static String describe(Map<String, Object> mapping) {
        return "a "
            + mapping.get("type")
            + (mapping.containsKey("dims") ? " of " + mapping.get("dims") + " dims" : "")
            + (mapping.containsKey("similarity") ? " with " + mapping.get("similarity") : "");
    }

    /** Factors for documents that are not in the model: a projection of their text, or null to leave them without. */
    public interface Fallback {
        List<String> sourceFields();

        float[] factor(SearchHit hit);
    }

    /**
     * @param ids           the model's ids of this side, by dense index
     * @param factors       flat n×k factors
     * @param createMissing whether ids without a document get one (id as {@code _id})
     * @param fallback      factors for the documents that are not in the model, or null; with one, every written
     *                      document also gets {@code <slot field>_source}: {@code trained} or {@code projected}
     * @param extras        fields kept beside the factor, each with its values
     */
    public Counts write(
        FactorTarget target,
        String slot,
        IdIndex ids,
        float[] factors,
        int k,
        boolean createMissing,
        Fallback fallback,
        List<SlotField> extras,
        ModelTask task,
        LongConsumer progress
    ) {
        String field = target.field(slot);
        String sourceField = sourceField(target, slot);
        BitSet written = new BitSet(ids.size());
        Set<String> projected = new HashSet<>();
        long[] counts = new long[5];
        Batch batch = new Batch(task);
        List<String> docValues = target.idDocValueFields();
        List<String> sourceFields = fallback == null ? List.of() : fallback.sourceFields();
        IndexScan.forEach(client, target.index(), QueryBuilders.matchAllQuery(), docValues, sourceFields, task, hit -> {
            String id = target.externalId(hit);
            int row = id == null ? -1 : ids.indexOf(id);
            if (row >= 0) {
                Map<String, Object> doc =
                    factorDoc(field, Arrays.copyOfRange(factors, row * k, row * k + k), fallback == null ? null : sourceField, TRAINED);
                putExtras(target, slot, extras, row, doc);
                putDocumentId(target, slot, extras, hit.getId(), doc);
                batch.add(new UpdateRequest(target.index(), hit.getId()).doc(doc));
                written.set(row);
                progress.accept(++counts[0]);
            } else if (fallback != null) {
                float[] factor = fallback.factor(hit);
                if (factor != null) {
                    Map<String, Object> doc = factorDoc(field, factor, sourceField, PROJECTED);
                    // Not in the version: nothing of an older one stays beside the projected factor.
                    putExtras(target, slot, extras, -1, doc);
                    for (SlotField extra : extras) {
                        if (extra.suffix().equals(PROJECTED_FIELD)) {
                            doc.put(extra.field(target, slot), factor);
                        }
                    }
                    putDocumentId(target, slot, extras, hit.getId(), doc);
                    batch.add(new UpdateRequest(target.index(), hit.getId()).doc(doc));
                    projected.add(hit.getId());
                    counts[4]++;
                }
            }
        });
        IndexScan.forEach(client, target.index(), QueryBuilders.existsQuery(field), docValues, task, hit -> {
            String id = target.externalId(hit);
            if ((id == null || ids.indexOf(id) < 0) && projected.contains(hit.getId()) == false) {
                Map<String, Object> clear = new HashMap<>();
                clear.put(field, null);
                clear.put(sourceField, null);
                putExtras(target, slot, extras, -1, clear);
                batch.add(new UpdateRequest(target.index(), hit.getId()).doc(clear));
                counts[1]++;
            }
        });
        for (int row = written.nextClearBit(0); row < ids.size(); row = written.nextClearBit(row + 1)) {
            if (createMissing) {
                Map<String, Object> doc = new HashMap<>();
                doc.put(field, Arrays.copyOfRange(factors, row * k, row * k + k));
                putExtras(target, slot, extras, row, doc);
                putDocumentId(target, slot, extras, ids.id(row), doc);
                if (target.idIsDocumentId() == false) {
                    doc.put(target.idField(), ids.id(row));
                }
                batch.add(new UpdateRequest(target.index(), ids.id(row)).doc(doc).docAsUpsert(true));
                counts[2]++;
                progress.accept(++counts[0]);
            } else {
                counts[3]++;
            }
        }
        batch.flush();
        client.admin().indices().prepareRefresh(target.index()).get();
        return new Counts(counts[0], counts[1], counts[2], counts[3], counts[4]);
    }

    /** Where a slot says whether its factor was trained or projected: {@code <vector_field>_<slot>_source}. */
    public static String sourceField(FactorTarget target, String slot) {
        return target.field(slot) + SOURCE;
    }

    /** Where a slot keeps a user's content profile: {@code <vector_field>_<slot>_profile}. */
    public static String profileField(FactorTarget target, String slot) {
        return target.field(slot) + PROFILE;
    }

    /** Where a slot keeps projected items' factors a second time, searchable without a filter: {@code <vector_field>_<slot>_projected}. */
    public static String projectedField(FactorTarget target, String slot) {
        return target.field(slot) + PROJECTED_FIELD;
    }

    /** Where a slot keeps its documents' {@code _id} in doc values: {@code <vector_field>_<slot>_id}. */
    public static String documentIdField(FactorTarget target, String slot) {
        return target.field(slot) + DOCUMENT_ID;
    }

    /** Where a slot keeps an item's number of users in the version's interactions: {@code <vector_field>_<slot>_count}. */
    public static String countField(FactorTarget target, String slot) {
        return target.field(slot) + COUNT;
    }

    /**
     * The extras' values of {@code row}, or nulls for -1 (a document not in the version). Null values are written
     * too: they remove what an older version left in the slot.
     */
    private static void putExtras(FactorTarget target, String slot, List<SlotField> extras, int row, Map<String, Object> doc) {
        for (SlotField extra : extras) {
            doc.put(extra.field(target, slot), row < 0 ? null : extra.value().apply(row));
        }
    }

    /** The document's {@code _id} beside its factor, when the slot keeps it ({@link SlotField#documentIds}). */
    private static void putDocumentId(FactorTarget target, String slot, List<SlotField> extras, String id, Map<String, Object> doc) {
        for (SlotField extra : extras) {
            if (extra.suffix().equals(DOCUMENT_ID)) {
                doc.put(extra.field(target, slot), id);
            }
        }
    }

    private static Map<String, Object> factorDoc(String field, float[] factor, String sourceField, String source) {
        Map<String, Object> doc = new HashMap<>();
        doc.put(field, factor);
        if (sourceField != null) {
            doc.put(sourceField, source);
        }
        return doc;
    }

    /** Bulk updates sent {@link #BULK_SIZE} at a time; any failed update fails the write, naming it. */
    private final class Batch {
        private final ModelTask task;
        private BulkRequestBuilder bulk = client.prepareBulk();

        Batch(ModelTask task) {
            this.task = task;
        }

        void add(UpdateRequest update) {
            bulk.add(update);
            if (bulk.numberOfActions() >= BULK_SIZE) {
                flush();
            }
        }

        void flush() {
            if (bulk.numberOfActions() == 0) {
                return;
            }
            task.checkCancelled();
            BulkResponse response = bulk.get();
            bulk = client.prepareBulk();
            if (response.hasFailures()) {
                throw new IllegalStateException("writing factors failed: " + response.buildFailureMessage());
            }
        }
    }
}
