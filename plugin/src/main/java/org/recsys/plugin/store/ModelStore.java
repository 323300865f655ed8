package org.recsys.plugin.store;

import org.elasticsearch.ResourceAlreadyExistsException;
import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.DocWriteRequest;
import org.elasticsearch.action.bulk.BulkRequestBuilder;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.action.get.GetResponse;
import org.elasticsearch.action.get.MultiGetItemResponse;
import org.elasticsearch.action.get.MultiGetRequestBuilder;
import org.elasticsearch.action.get.MultiGetResponse;
import org.elasticsearch.action.index.IndexRequestBuilder;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.action.support.IndicesOptions;
import org.elasticsearch.action.support.WriteRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.IndexNotFoundException;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.indices.SystemIndexDescriptor;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.sort.SortOrder;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Models in a hidden system index: one pointer document per model ({@link ModelRecord}), one document per version
 * ({@link VersionRecord}) and the version's arrays (ids, factors, Gram matrix) as chunked binary documents. The
 * index has one shard and, once a second node exists, one replica. Every request runs in the system context
 * ({@link SystemContextClient}): users never read or write the store, whatever their roles. Methods block: call
 * them from the plugin's own pools, never from transport threads.
 */
public final class ModelStore {

    public static final String INDEX = ".recsys-models";
    /** 2: {@code format} of version documents ({@link VersionRecord#FORMAT}); {@link #ensureIndex} brings an older index up to it. */
    private static final int MAPPINGS_VERSION = 2;
    /** Raw bytes per blob document: large arrays are split so that no document is huge. */
    static final int CHUNK_BYTES = 4 << 20;

    /**
     * Unmanaged: the store creates its index itself ({@link #ensureIndex}); a managed descriptor would have
     * Elasticsearch update the mappings with an origin, and X-Pack refuses every origin it does not know. Net new:
     * REST requests never reach it, not even a superuser's, so the plugin's APIs are the only way in.
     */
    public static final SystemIndexDescriptor DESCRIPTOR = SystemIndexDescriptor.builder()
        .setIndexPattern(INDEX + "*")
        .setDescription("recsys models: parameters, versions, id maps, factors and Gram matrices")
        .setType(SystemIndexDescriptor.Type.INTERNAL_UNMANAGED)
        .setNetNew()
        .build();

    private final Client client;
    private final ClusterService clusterService;

    public ModelStore(Client client, ClusterService clusterService) {
        // The store is the plugin's, whoever the calling user is: no role reaches it, and no user's role is needed.
        this.client = new SystemContextClient(client);
        this.clusterService = clusterService;
    }

    /**
     * Creates the store's index with its mappings when the cluster has none (the first training, or after the index
     * was deleted). Writes never auto-create it: under security the system user may create an index but not
     * auto-create one, and an auto-created index would lack the mappings.
     */
    private void ensureIndex() {
        IndexMetadata existing = clusterService.state().metadata().index(INDEX);
        if (existing != null) {
            // A store that an earlier plugin made (or a snapshot restored) gets this plugin's mappings before it is written.
            if (mappingsVersion(existing) < MAPPINGS_VERSION) {
                client.admin().indices().preparePutMapping(INDEX).setSource(mappings()).get();
            }
            return;
        }
        try {
            client.admin().indices().prepareCreate(INDEX).setSettings(SETTINGS).setMapping(mappings()).get();
        } catch (ResourceAlreadyExistsException e) {
            // Another training created it first.
        }
    }

    /** A model and the sequence number and primary term that a conditional write of it must name. */
    public record Stored(ModelRecord model, long seqNo, long primaryTerm) {}

    public Optional<Stored> model(String modelId) {
        GetResponse r;
        try {
            r = client.prepareGet(INDEX, modelDocId(modelId)).get();
        } catch (IndexNotFoundException e) {
            return Optional.empty();
        }
        if (r.isExists() == false) {
            return Optional.empty();
        }
        return Optional.of(new Stored(ModelRecord.fromSource(r.getSourceAsMap()), r.getSeqNo(), r.getPrimaryTerm()));
    }

    public Stored requireModel(String modelId) {
        return model(modelId).orElseThrow(() -> new ResourceNotFoundException("model [" + modelId + "] does not exist"));
    }

    /**
     * Writes the pointer document only if it is unchanged since {@code previous} was read (or, with a null
     * {@code previous}, only if it does not exist yet); a concurrent change fails with a version conflict (409).
     */
    public void putModel(ModelRecord model, Stored previous) {
        ensureIndex();
        IndexRequestBuilder index = client.prepareIndex(INDEX)
            .setId(modelDocId(model.modelId()))
            .setSource(model.toSource())
            .setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE);
        if (previous == null) {
            index.setOpType(DocWriteRequest.OpType.CREATE);
        } else {
            index.setIfSeqNo(previous.seqNo()).setIfPrimaryTerm(previous.primaryTerm());
        }
        index.get();
    }

    public List<ModelRecord> models() {
        List<ModelRecord> out = new ArrayList<>();
        for (Map<String, Object> source : search("model", null)) {
            out.add(ModelRecord.fromSource(source));
        }
        return out;
    }

    public void putVersion(VersionRecord version) {
        ensureIndex();
        client.prepareIndex(INDEX)
            .setId(versionDocId(version.modelId(), version.version()))
            .setSource(version.toSource())
            .setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE)
            .get();
    }

    /** A version to serve or evaluate: refused unless this plugin reads its store format. */
    public VersionRecord version(String modelId, long version) {
        GetResponse r = client.prepareGet(INDEX, versionDocId(modelId, version)).get();
        if (r.isExists() == false) {
            throw new ResourceNotFoundException("version [" + version + "] of model [" + modelId + "] does not exist");
        }
        return VersionRecord.fromSource(r.getSourceAsMap()).checkReadable();
    }

    /** Every version of a model, newest first. */
    public List<VersionRecord> versions(String modelId) {
        List<VersionRecord> out = new ArrayList<>();
        for (Map<String, Object> source : search("version", modelId)) {
            out.add(VersionRecord.fromSource(source));
        }
        out.sort((a, b) -> Long.compare(b.version(), a.version()));
        return out;
    }

    /** Stores {@code bytes} as blob {@code name} of a version; answers its number of chunks. */
    public int putBlob(String modelId, long version, String name, byte[] bytes) {
        ensureIndex();
        int chunks = Math.max(1, (bytes.length + CHUNK_BYTES - 1) / CHUNK_BYTES);
        for (int c = 0; c < chunks; c++) {
            int from = c * CHUNK_BYTES;
            byte[] chunk = java.util.Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + CHUNK_BYTES));
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("doc_type", "blob");
            source.put("model_id", modelId);
            source.put("version", version);
            source.put("name", name);
            source.put("chunk", c);
            source.put("data", chunk);
            client.prepareIndex(INDEX).setId(blobDocId(modelId, version, name, c)).setSource(source).get();
        }
        return chunks;
    }

    public byte[] blob(VersionRecord version, String name) {
        Integer chunks = version.blobChunks().get(name);
        if (chunks == null) {
            throw new IllegalStateException(
                "version [" + version.version() + "] of model [" + version.modelId() + "] has no [" + name + "]"
            );
        }
        MultiGetRequestBuilder get = client.prepareMultiGet();
        for (int c = 0; c < chunks; c++) {
            get.add(INDEX, blobDocId(version.modelId(), version.version(), name, c));
        }
        MultiGetResponse response = get.get();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (MultiGetItemResponse item : response.getResponses()) {
            if (item.isFailed() || item.getResponse().isExists() == false) {
                throw new IllegalStateException(
                    "blob [" + name + "] of model [" + version.modelId() + "] version [" + version.version() + "] is incomplete"
                );
            }
            out.writeBytes(Base64.getDecoder().decode((String) item.getResponse().getSourceAsMap().get("data")));
        }
        return out.toByteArray();
    }

    /** Deletes a version's document and its blobs. */
    public void deleteVersion(VersionRecord version) {
        BulkRequestBuilder bulk = client.prepareBulk().setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE);
        bulk.add(client.prepareDelete(INDEX, versionDocId(version.modelId(), version.version())));
        if (version.blobChunks() != null) {
            for (Map.Entry<String, Integer> blob : version.blobChunks().entrySet()) {
                for (int c = 0; c < blob.getValue(); c++) {
                    bulk.add(client.prepareDelete(INDEX, blobDocId(version.modelId(), version.version(), blob.getKey(), c)));
                }
            }
        }
        BulkResponse response = bulk.get();
        if (response.hasFailures()) {
            throw new IllegalStateException(
                "could not delete version ["
                    + version.version()
                    + "] of model ["
                    + version.modelId()
                    + "]: "
                    + response.buildFailureMessage()
            );
        }
    }

    /** Deletes every version and then the pointer document. */
    public void deleteModel(String modelId) {
        for (VersionRecord v : versions(modelId)) {
            deleteVersion(v);
        }
        client.prepareDelete(INDEX, modelDocId(modelId)).setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE).get();
    }

    private List<Map<String, Object>> search(String docType, String modelId) {
        var query = QueryBuilders.boolQuery().filter(QueryBuilders.termQuery("doc_type", docType));
        if (modelId != null) {
            query.filter(QueryBuilders.termQuery("model_id", modelId));
        }
        SearchResponse r = client.prepareSearch(INDEX)
            .setIndicesOptions(IndicesOptions.lenientExpandOpen())
            .setQuery(query)
            .setSize(10_000)
            .addSort("model_id", SortOrder.ASC)
            .get();
        try {
            List<Map<String, Object>> out = new ArrayList<>();
            for (SearchHit hit : r.getHits().getHits()) {
                out.add(hit.getSourceAsMap());
            }
            return out;
        } finally {
            r.decRef();
        }
    }

    static String modelDocId(String modelId) {
        return "model-" + modelId;
    }

    static String versionDocId(String modelId, long version) {
        return "version-" + modelId + "-" + version;
    }

    static String blobDocId(String modelId, long version, String name, int chunk) {
        return "blob-" + modelId + "-" + version + "-" + name + "-" + chunk;
    }

    private static final Settings SETTINGS = Settings.builder()
        .put(IndexMetadata.SETTING_NUMBER_OF_SHARDS, 1)
        .put(IndexMetadata.SETTING_AUTO_EXPAND_REPLICAS, "0-1")
        .put(IndexMetadata.SETTING_INDEX_HIDDEN, true)
        .build();

    /** The mappings version that the index's {@code _meta} names (0 without one). */
    private static int mappingsVersion(IndexMetadata index) {
        Object meta = index.mapping() == null ? null : index.mapping().sourceAsMap().get("_meta");
        return meta instanceof Map<?, ?> m && m.get(SystemIndexDescriptor.VERSION_META_KEY) instanceof Number n ? n.intValue() : 0;
    }

    private static XContentBuilder mappings() {
        try {
            XContentBuilder b = XContentFactory.jsonBuilder().startObject().startObject("_doc");
            b.startObject("_meta")
                .field("version", org.elasticsearch.Version.CURRENT.toString())
                .field(SystemIndexDescriptor.VERSION_META_KEY, MAPPINGS_VERSION)
                .endObject();
            b.field("dynamic", "strict").startObject("properties");
            for (String keyword : List.of("doc_type", "model_id", "model_type", "active_slot", "status", "slot", "name")) {
                b.startObject(keyword).field("type", "keyword").endObject();
            }
            for (String number : List
                .of("active_version", "latest_version", "version", "created_millis", "started_millis", "finished_millis")) {
                b.startObject(number).field("type", "long").endObject();
            }
            b.startObject("chunk").field("type", "integer").endObject();
            b.startObject("format").field("type", "integer").endObject();
            b.startObject("error").field("type", "text").field("index", false).endObject();
            b.startObject("data").field("type", "binary").endObject();
            // Kept in _source as sent; nothing searches inside them.
            for (String opaque : List.of("training", "spec", "metrics", "evaluation", "blobs")) {
                b.startObject(opaque).field("type", "object").field("enabled", false).endObject();
            }
            return b.endObject().endObject().endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
