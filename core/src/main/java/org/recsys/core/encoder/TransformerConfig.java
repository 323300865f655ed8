package org.recsys.core.encoder;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The fields of a Hugging Face {@code config.json} that shape the forward pass of a BERT- or RoBERTa-family encoder.
 * RoBERTa (and XLM-R) number positions from {@code pad_token_id + 1}, so they have two fewer usable positions.
 */
public record TransformerConfig(
    String modelType,
    int hiddenSize,
    int layers,
    int heads,
    int intermediateSize,
    int maxPositions,
    int typeVocabSize,
    float layerNormEps,
    int padTokenId,
    String hiddenAct
) {

    static final Set<String> BERT_FAMILY = Set.of("bert");
    static final Set<String> ROBERTA_FAMILY = Set.of("roberta", "xlm-roberta");

    public TransformerConfig {
        if (BERT_FAMILY.contains(modelType) == false && ROBERTA_FAMILY.contains(modelType) == false) {
            throw new IllegalArgumentException("model_type [" + modelType + "] is not supported; expected bert, roberta or xlm-roberta");
        }
        if (hiddenSize <= 0 || heads <= 0 || hiddenSize % heads != 0) {
            throw new IllegalArgumentException(
                "hidden_size [" + hiddenSize + "] must be a positive multiple of num_attention_heads [" + heads + "]"
            );
        }
        if (layers <= 0 || intermediateSize <= 0 || maxPositions <= 0 || typeVocabSize <= 0) {
            throw new IllegalArgumentException(
                "num_hidden_layers, intermediate_size, max_position_embeddings and type_vocab_size must be positive"
            );
        }
    }

    public boolean isRoberta() {
        return ROBERTA_FAMILY.contains(modelType);
    }

    /** The position id of the first token. */
    public int firstPosition() {
        return isRoberta() ? padTokenId + 1 : 0;
    }

    /** The longest token sequence the position table allows. */
    public int maxSequenceLength() {
        return maxPositions - firstPosition();
    }

    public static TransformerConfig read(Path file) throws IOException {
        JsonObject json;
        try (Reader in = Files.newBufferedReader(file)) {
            json = JsonParser.parseReader(in).getAsJsonObject();
        } catch (IllegalStateException | com.google.gson.JsonParseException e) {
            throw new IllegalArgumentException(file + " is not a JSON object: " + e.getMessage(), e);
        }
        String type = string(json, "model_type", null);
        boolean roberta = type != null && ROBERTA_FAMILY.contains(type);
        return new TransformerConfig(
            type,
            integer(json, "hidden_size"),
            integer(json, "num_hidden_layers"),
            integer(json, "num_attention_heads"),
            integer(json, "intermediate_size"),
            integer(json, "max_position_embeddings"),
            json.has("type_vocab_size") ? json.get("type_vocab_size").getAsInt() : 2,
            json.has("layer_norm_eps") ? json.get("layer_norm_eps").getAsFloat() : 1e-12f,
            json.has("pad_token_id") ? json.get("pad_token_id").getAsInt() : roberta ? 1 : 0,
            string(json, "hidden_act", "gelu")
        );
    }

    private static String string(JsonObject json, String name, String defaultValue) {
        JsonElement e = json.get(name);
        if (e == null || e.isJsonNull()) {
            if (defaultValue == null) {
                throw new IllegalArgumentException("config.json has no [" + name + "]");
            }
            return defaultValue;
        }
        return e.getAsString();
    }

    private static int integer(JsonObject json, String name) {
        JsonElement e = json.get(name);
        if (e == null || e.isJsonPrimitive() == false || e.getAsJsonPrimitive().isNumber() == false) {
            throw new IllegalArgumentException("config.json needs a number in [" + name + "]");
        }
        return e.getAsInt();
    }
}
