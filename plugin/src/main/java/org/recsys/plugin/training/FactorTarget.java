package org.recsys.plugin.training;

import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.ToXContentFragment;
import org.elasticsearch.xcontent.XContentBuilder;
import org.recsys.plugin.util.BodyParsing;

import java.io.IOException;
import java.util.List;

/**
 * Where one side's factors are written: the documents of {@code index} whose {@code id_field} (default {@code _id})
 * holds the user or item id. Factors go into two alternating {@code dense_vector} fields,
 * {@code <vector_field>_a} and {@code <vector_field>_b}; the model store says which one is served.
 */
public record FactorTarget(String index, String idField, String vectorField) implements Writeable, ToXContentFragment {

    public static final String ID = "_id";

    public FactorTarget {
        checkVectorField(vectorField);
    }

    /** Slot fields are top-level fields of their own: no metadata name, no object path. */
    static void checkVectorField(String vectorField) {
        if (vectorField.startsWith("_") || vectorField.contains(".")) {
            throw new IllegalArgumentException("[vector_field] [" + vectorField + "] must not start with '_' or contain '.'");
        }
    }

    /** The parser of a target object named {@code name} ({@code items}, {@code users}). */
    static ObjectParser<Builder, Void> parser(String name) {
        ObjectParser<Builder, Void> parser = new ObjectParser<>(name, Builder::new);
        parser.declareString((b, v) -> b.index = BodyParsing.nonEmpty(name + ".index", v), new ParseField("index"));
        parser.declareString((b, v) -> b.idField = BodyParsing.nonEmpty(name + ".id_field", v), new ParseField("id_field"));
        parser.declareString((b, v) -> b.vectorField = BodyParsing.nonEmpty(name + ".vector_field", v), new ParseField("vector_field"));
        parser.declareRequiredFieldSet("index");
        return parser;
    }

    /** A target object as it was sent. */
    static final class Builder {
        private String index;
        private String idField = ID;
        private String vectorField;

        FactorTarget build(String defaultVectorField) {
            return new FactorTarget(index, idField, vectorField == null ? defaultVectorField : vectorField);
        }
    }

    public FactorTarget(StreamInput in) throws IOException {
        this(in.readString(), in.readString(), in.readString());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(index);
        out.writeString(idField);
        out.writeString(vectorField);
    }

    /** The concrete field of a slot ({@code a} or {@code b}). */
    public String field(String slot) {
        return vectorField + "_" + slot;
    }

    public boolean idIsDocumentId() {
        return ID.equals(idField);
    }

    /** The doc-value fields a scan of the index fetches to know each document's id. */
    List<String> idDocValueFields() {
        return idDocValueFields(idField);
    }

    /** The doc-value fields that give a document's id under {@code idField}: none when it is {@code _id}. */
    static List<String> idDocValueFields(String idField) {
        return ID.equals(idField) ? List.of() : List.of(idField);
    }

    /** A scanned document's id, or null when it has none. */
    String externalId(SearchHit hit) {
        return externalId(idField, hit);
    }

    /** A scanned document's id under {@code idField} (fetched as {@link #idDocValueFields(String)} says), or null. */
    static String externalId(String idField, SearchHit hit) {
        if (ID.equals(idField)) {
            return hit.getId();
        }
        DocumentField f = hit.field(idField);
        return f == null || f.getValue() == null ? null : f.getValue().toString();
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.field("index", index).field("id_field", idField).field("vector_field", vectorField);
    }
}
