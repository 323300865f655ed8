package org.recsys.plugin.training;

import org.elasticsearch.client.internal.Client;
import org.elasticsearch.index.IndexNotFoundException;
import org.recsys.core.data.InteractionMatrix;
import org.recsys.core.data.TimedInteractions;
import org.recsys.core.tuning.CarveOuts;
import org.recsys.core.tuning.SearchSpace;
import org.recsys.core.tuning.TuneSettings;
import org.recsys.core.tuning.WalsSearch;
import org.recsys.core.util.Workers;
import org.recsys.core.wals.WalsParams;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code tune} step of a {@code wals} training: reads the interactions with their times (when the source names a
 * timestamp field), carves the validation set out of them, runs {@link WalsSearch} with the task's progress and
 * cancellation, and answers the chosen parameters with the matrix of all interactions to train them on, and the
 * report the version records ({@code metrics.tune}: every trial and the choice).
 */
final class WalsTuning {

    /** The matrix of every interaction, the parameters chosen on its carve-out, and the search's report. */
    record Tuned(InteractionMatrix matrix, InteractionReader.Counts counts, WalsParams chosen, Map<String, Object> report) {}

    private final Client client;
    private final InteractionReader reader;

    WalsTuning(Client client, InteractionReader reader) {
        this.client = client;
        this.reader = reader;
    }

    /**
     * The parameters a search starts from: the request's, but where the rank is searched and the item or user factor
     * fields exist already, their dims (a mapping cannot change, so a tuned rank must keep them).
     */
    WalsParams start(WalsTrainingSpec spec) {
        int mapped = spec.tune().fixed().contains("rank") ? -1 : mappedRank(spec);
        return mapped > 0 ? spec.params().toBuilder().rank(mapped).build() : spec.params();
    }

    /** The searched space: the request's, without the rank when {@link #start} keeps the mapped one. */
    SearchSpace space(WalsTrainingSpec spec, WalsParams start) {
        if (start.rank() == spec.params().rank() || spec.tune().fixed().contains("rank")) {
            return spec.tune().searchSpace();
        }
        Set<String> fixed = new HashSet<>(spec.tune().fixed());
        fixed.add("rank");
        Map<String, Object> space = new LinkedHashMap<>(spec.tune().space());
        space.remove("rank");
        return SearchSpace.parse(space, fixed, WalsTuneSpec.PATH);
    }

    /** Runs the search on {@code workers}, reporting each trial in {@code task}'s phase. */
    Tuned run(WalsTrainingSpec spec, ModelTask task, Workers workers) {
        InteractionSource source = spec.interactions();
        TimedInteractions timed = new TimedInteractions();
        InteractionReader.Counts counts = source.timestampField() == null
            ? reader.read(source, task, (user, item, weight) -> timed.add(user, item, weight, 0))
            : reader.readTimed(source, task, timed::add);
        WalsTraining.checkRead(source, counts);
        TimedInteractions.Built built = timed.build();

        TuneSettings settings = spec.tune().settings();
        WalsParams start = start(spec);
        SearchSpace space = space(spec, start);
        task.phase("tuning: carving out the validation set");
        CarveOuts carveOuts = new CarveOuts(
            built.matrix(),
            source.timestampField() == null ? null : built.times(),
            settings.validationShare(),
            settings.seed()
        );
        double[] best = { Double.NEGATIVE_INFINITY };
        WalsSearch.Result result = WalsSearch.run(carveOuts, start, space, settings, (trial, planned) -> {
            best[0] = Math.max(best[0], trial.metric());
            task.phase(
                String.format(
                    Locale.ROOT,
                    "tuning: trial %d of at most %d done, best validation %s so far %.4f",
                    trial.number(),
                    planned,
                    settings.metric(),
                    best[0]
                )
            );
        }, workers);

        List<Map<String, Object>> trials = new ArrayList<>();
        for (WalsSearch.Trial t : result.trials()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("trial", t.number());
            m.put("bracket", t.bracket());
            m.put("rung", t.rung());
            m.put("carve_out", t.carveOut());
            m.put("values", t.values());
            m.put("iterations_trained", t.iterations());
            m.put(settings.metric().toString(), round(t.metric()));
            m.put("seconds", round(t.seconds()));
            trials.add(m);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("metric", settings.metric().toString());
        report.put("validation", source.timestampField() == null ? "random" : "latest");
        report.put("validation_share", settings.validationShare());
        report.put("validation_users", result.validationUsers());
        report.put("space", space.toMap());
        report.put("chosen", result.chosenValues());
        report.put("chosen_" + settings.metric(), round(result.chosenMetric()));
        if (Double.isNaN(result.bestOverStart()) == false) {
            report.put("best_over_start_z", round(result.bestOverStart()));
        }
        report.put("stopped_by", result.stoppedBy());
        report.put("seconds", round(result.seconds()));
        report.put("trials", trials);
        return new Tuned(built.matrix(), counts, result.chosen(), report);
    }

    /** The dims of the items' (else the users') factor fields when either slot is mapped, else -1. */
    private int mappedRank(WalsTrainingSpec spec) {
        for (FactorTarget target : List.of(spec.items(), spec.users())) {
            for (String slot : List.of("a", "b")) {
                try {
                    return TextVectorField.dims(client, target.index(), target.field(slot), "tune");
                } catch (IndexNotFoundException | IllegalArgumentException e) {
                    // Not mapped (or no index yet): the rank is free.
                }
            }
        }
        return -1;
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
