package org.recsys.plugin.training;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ToXContentFragment;
import org.elasticsearch.xcontent.XContentBuilder;
import org.recsys.core.tuning.SearchSpace;
import org.recsys.core.tuning.TuneSettings;
import org.recsys.core.tuning.ValidationMetric;
import org.recsys.plugin.util.ParamsObject;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code tune} block of a {@code wals} training: the search's budget, validation and space
 * ({@link org.recsys.core.tuning.WalsSearch}). The space is kept as the request gave it and parsed again where it is
 * searched; {@code fixed} names the searchable parameters that {@code params} set, which are not searched.
 */
public record WalsTuneSpec(TuneSettings settings, Map<String, Object> space, Set<String> fixed) implements Writeable, ToXContentFragment {

    static final String PATH = "tune";
    static final Set<String> FIELDS = Set.of("trials", "max_seconds", "validation_share", "metric", "seed", "space");

    static WalsTuneSpec parse(ParamsObject body, Set<String> fixed) {
        TuneSettings defaults = TuneSettings.defaults();
        TuneSettings settings = new TuneSettings(
            body.integer("trials", defaults.trials()),
            body.has("max_seconds") ? body.number("max_seconds", 0) : defaults.maxSeconds(),
            body.number("validation_share", (float) defaults.validationShare()),
            ValidationMetric.parse(body.string("metric", defaults.metric().toString()), PATH),
            body.longValue("seed", defaults.seed())
        ).check(PATH);
        Map<String, Object> space = body.has("space") ? body.rawObject("space") : Map.of();
        SearchSpace.parse(space, fixed, PATH);
        return new WalsTuneSpec(settings, Map.copyOf(space), Set.copyOf(fixed));
    }

    /** The parameters searched: the space given, the default ranges for the others, none of the fixed ones. */
    public SearchSpace searchSpace() {
        return SearchSpace.parse(space, fixed, PATH);
    }

    public WalsTuneSpec(StreamInput in) throws IOException {
        this(
            new TuneSettings(in.readVInt(), in.readDouble(), in.readDouble(), ValidationMetric.parse(in.readString(), PATH), in.readLong()),
            in.readGenericMap(),
            Set.copyOf(in.readStringCollectionAsList())
        );
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeVInt(settings.trials());
        out.writeDouble(settings.maxSeconds());
        out.writeDouble(settings.validationShare());
        out.writeString(settings.metric().toString());
        out.writeLong(settings.seed());
        out.writeGenericMap(space);
        out.writeStringCollection(new TreeSet<>(fixed));
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.field("trials", settings.trials());
        if (Double.isFinite(settings.maxSeconds())) {
            builder.field("max_seconds", settings.maxSeconds());
        }
        builder.field("validation_share", settings.validationShare())
            .field("metric", settings.metric().toString())
            .field("seed", settings.seed());
        if (space.isEmpty() == false) {
            builder.field("space", space);
        }
        return builder;
    }
}
