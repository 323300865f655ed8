package org.recsys.ingest;

import org.elasticsearch.ingest.AbstractProcessor;
import org.elasticsearch.ingest.ConfigurationUtils;
import org.elasticsearch.ingest.IngestDocument;
import org.elasticsearch.ingest.Processor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * {@code wals_projection}: gives an item that has a text vector but no factor (a new item, with no interactions
 * yet) a factor in a WALS model's latent space, by the model's served projection, so it can be recommended at
 * once. Writes the served slot's field, {@code <field>_source: projected} and, for items keyed by {@code _id}, the
 * document's {@code _id} in {@code <field>_id} (and, when the version reserves projected items for each
 * recommendation, the factor again in the slot's field for projected items); a document
 * that already has a factor there keeps it unless {@code override} is set. The next training replaces it with a
 * trained factor once the item has interactions.
 */
public final class WalsProjectionProcessor extends AbstractProcessor {

    public static final String TYPE = "wals_projection";

    private final String modelId;
    private final String textField;
    private final boolean ignoreMissing;
    private final boolean override;
    private final ServedProjections projections;

    WalsProjectionProcessor(
        String tag,
        String description,
        String modelId,
        String textField,
        boolean ignoreMissing,
        boolean override,
        ServedProjections projections
    ) {
        super(tag, description);
        this.modelId = modelId;
        this.textField = textField;
        this.ignoreMissing = ignoreMissing;
        this.override = override;
        this.projections = projections;
    }

    @Override
    public String getType() {
        return TYPE;
    }

    @Override
    public boolean isAsync() {
        return true;
    }

    @Override
    public void execute(IngestDocument document, BiConsumer<IngestDocument, Exception> handler) {
        projections.served(modelId, (served, failure) -> {
            if (failure != null) {
                handler.accept(null, failure);
                return;
            }
            try {
                handler.accept(project(document, served), null);
            } catch (IllegalArgumentException e) {
                handler.accept(null, e);
            }
        });
    }

    IngestDocument project(IngestDocument document, ServedProjections.Served served) {
        if (override == false
            && document.hasField(served.targetField())
            && document.getFieldValue(served.targetField(), Object.class) != null) {
            return document;
        }
        String tuned = served.factorField();
        Object given = tuned != null && document.hasField(tuned) ? document.getFieldValue(tuned, Object.class) : null;
        if (given != null) {
            // Training gave such items this vector rather than the projection; a new arrival gets the same.
            return write(document, served, vector(tuned, given, served.projection().rank()));
        }
        String field = textField == null ? served.textField() : textField;
        Object value = document.hasField(field) ? document.getFieldValue(field, Object.class) : null;
        if (value == null) {
            if (ignoreMissing) {
                return document;
            }
            throw new IllegalArgumentException(
                "field [" + field + "] is missing; [" + TYPE + "] needs the item's text vector (set ignore_missing to skip such documents)"
            );
        }
        float[] text = vector(field, value, served.projection().inputDimension());
        return write(document, served, served.projection().project(text));
    }

    private static IngestDocument write(IngestDocument document, ServedProjections.Served served, float[] factor) {
        List<Float> out = new ArrayList<>(factor.length);
        for (float f : factor) {
            out.add(f);
        }
        document.setFieldValue(served.targetField(), out);
        document.setFieldValue(served.sourceField(), "projected");
        if (served.projectedField() != null) {
            document.setFieldValue(served.projectedField(), out);
        }
        // A document indexed without an id gets one only after the pipeline; _recommend then reads its stored _id.
        String id = document.getMetadata().getId();
        if (served.idField() != null && id != null) {
            document.setFieldValue(served.idField(), id);
        }
        return document;
    }

    private static float[] vector(String field, Object value, int dims) {
        if (value instanceof List<?> list && list.size() == dims && list.stream().allMatch(Number.class::isInstance)) {
            float[] v = new float[dims];
            for (int i = 0; i < dims; i++) {
                v[i] = ((Number) list.get(i)).floatValue();
            }
            return v;
        }
        String size = value instanceof List<?> list ? list.size() + " values" : "a " + value.getClass().getSimpleName();
        throw new IllegalArgumentException(
            "field [" + field + "] holds " + size + "; the projection needs a vector of " + dims + " numbers"
        );
    }

    /** Reads the processor's configuration; the model is looked up when documents arrive, never here. */
    public static final class Factory implements Processor.Factory {
        private final ServedProjections projections;

        public Factory(ServedProjections projections) {
            this.projections = projections;
        }

        @Override
        public WalsProjectionProcessor create(
            Map<String, Processor.Factory> registry,
            String tag,
            String description,
            Map<String, Object> config
        ) {
            String model = ConfigurationUtils.readStringProperty(TYPE, tag, config, "model");
            String textField = ConfigurationUtils.readOptionalStringProperty(TYPE, tag, config, "text_field");
            boolean ignoreMissing = ConfigurationUtils.readBooleanProperty(TYPE, tag, config, "ignore_missing", false);
            boolean override = ConfigurationUtils.readBooleanProperty(TYPE, tag, config, "override", false);
            return new WalsProjectionProcessor(tag, description, model, textField, ignoreMissing, override, projections);
        }
    }
}
