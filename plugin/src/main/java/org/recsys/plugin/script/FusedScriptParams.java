package org.recsys.plugin.script;

import org.elasticsearch.index.mapper.IdFieldMapper;
import org.elasticsearch.index.mapper.MappedFieldType;
import org.elasticsearch.index.mapper.vectors.DenseVectorFieldMapper;
import org.elasticsearch.search.lookup.SearchLookup;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.XContentParser;
import org.recsys.plugin.rescore.FusedScore;
import org.recsys.plugin.rescore.FusionRequest;
import org.recsys.plugin.rescore.ResolvedUser;
import org.recsys.plugin.serving.UserVector;
import org.recsys.plugin.serving.VersionFields;
import org.recsys.plugin.util.BodyParsing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The params of the {@code fused} script: the resolved user as {@code POST _recsys/models/{id}/_user} answers it in
 * {@code script_params} ({@code model}, {@code version}, {@code item_field}, {@code user_vector}, and when the version
 * has them {@code text_field}, {@code content_profile}, {@code popularity_field}, {@code learned_fusion}), and the
 * fusion: {@code weights}, or {@code "type": "learned"}. A {@code text_field} or {@code popularity_field} given here
 * replaces the version's.
 */
final class FusedScriptParams {

    static final Set<String> FIELDS = Set.of(
        "model",
        "version",
        "item_field",
        "user_vector",
        "text_field",
        "content_profile",
        "popularity_field",
        "learned_fusion",
        "type",
        "weights"
    );

    private static final ObjectParser<FusionRequest.Builder, Void> FUSION = new ObjectParser<>("params", FusionRequest.Builder::new);
    static {
        FusionRequest.declareFields(FUSION, b -> b);
    }

    private FusedScriptParams() {}

    static FusedScore parse(Map<String, Object> params, SearchLookup lookup) {
        for (String key : params.keySet()) {
            if (FIELDS.contains(key) == false) {
                throw new IllegalArgumentException(
                    "unknown param [" + key + "] of the [fused] script; expected " + new java.util.TreeSet<>(FIELDS)
                );
            }
        }
        String itemField = string(params, "item_field", true);
        float[] vector = ScriptParams.vector(params, "user_vector");
        checkVectorField(lookup, itemField, "item_field");
        String textField = string(params, "text_field", false);
        float[] profile = params.containsKey("content_profile") ? ScriptParams.vector(params, "content_profile") : null;
        if (textField != null) {
            checkVectorField(lookup, textField, "text_field");
        }
        String popularityField = string(params, "popularity_field", false);
        float[] learned = params.containsKey("learned_fusion") ? ScriptParams.vector(params, "learned_fusion") : null;
        String model = params.get("model") instanceof String s ? s : "script";
        long version = params.get("version") instanceof Number n ? n.longValue() : 0;
        UserVector user = new UserVector(
            new VersionFields(model, version, "", itemField, textField, popularityField, learned, null, null, 0, null, IdFieldMapper.NAME),
            vector,
            "given",
            List.of(),
            List.of(),
            profile
        );
        Map<String, Object> fusion = new HashMap<>();
        for (String key : List.of("type", "weights")) {
            if (params.containsKey(key)) {
                fusion.put(key, params.get(key));
            }
        }
        FusionRequest request = fusionOf(fusion);
        return new FusedScore(new ResolvedUser(user, textField, profile, popularityField, List.of()), request);
    }

    /** The script's {@code type} and {@code weights}, read by the same declarations as the rescorer's. */
    private static FusionRequest fusionOf(Map<String, Object> params) {
        try (XContentParser parser = BodyParsing.parserOf(params)) {
            return FUSION.parse(parser, null).build("params");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String string(Map<String, Object> params, String name, boolean required) {
        Object value = params.get(name);
        if (value == null && required == false) {
            return null;
        }
        if (value instanceof String s && s.isEmpty() == false) {
            return s;
        }
        throw new IllegalArgumentException("param [" + name + "] must be a field name, got [" + value + "]");
    }

    private static void checkVectorField(SearchLookup lookup, String field, String param) {
        MappedFieldType type = lookup.fieldType(field);
        if (type instanceof DenseVectorFieldMapper.DenseVectorFieldType == false || type.isIndexed() == false) {
            throw new IllegalArgumentException(
                "param ["
                    + param
                    + "] names field ["
                    + field
                    + "], which is "
                    + (type == null ? "not mapped" : "of type [" + type.typeName() + "]")
                    + "; the [fused] script reads an indexed [dense_vector] field"
            );
        }
    }
}
