package org.recsys.core.tuning;

import org.junit.jupiter.api.Test;
import org.recsys.core.data.InteractionMatrix;
import org.recsys.core.data.TimedInteractions;
import org.recsys.core.util.Workers;
import org.recsys.core.wals.WalsParams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WalsSearchTest {

    /** Users in five clusters, each reading mostly its cluster's items; a time per read. */
    private static TimedInteractions.Built data() {
        Random random = new Random(3);
        TimedInteractions t = new TimedInteractions();
        for (int u = 0; u < 600; u++) {
            for (int n = 0; n < 15; n++) {
                int item = random.nextDouble() < 0.85 ? u % 5 + 5 * random.nextInt(30) : random.nextInt(150);
                t.add("u" + u, "i" + item, 1 + random.nextInt(5), n);
            }
        }
        return t.build();
    }

    private static final WalsParams BASE = WalsParams.builder().threads(2).build();

    private static WalsSearch.Result search(int trials, long seed) {
        return WalsSearch.run(
            new CarveOuts(data().matrix(), null, 0.25, seed),
            BASE,
            SearchSpace.defaults(Set.of("iterations")),
            TuneSettings.defaults().withTrials(trials),
            (t, p) -> {
            },
            Workers.offline()
        );
    }

    @Test
    void theSameSeedChoosesTheSameConfigurationAndTheBudgetBoundsTheTrials() {
        WalsSearch.Result a = search(12, 5);
        WalsSearch.Result b = search(12, 5);
        assertEquals(a.chosen(), b.chosen());
        assertEquals(
            a.trials().stream().map(WalsSearch.Trial::metric).toList(),
            b.trials().stream().map(WalsSearch.Trial::metric).toList()
        );
        assertTrue(a.trials().size() <= 12, "trials " + a.trials().size());
        assertEquals(15, a.chosen().iterations(), "iterations were fixed");
        // The chosen configuration is the best one that ran all its iterations, unless it beat the start by less
        // than two paired standard errors: then the start.
        double bestFull = a.trials().stream().filter(t -> t.iterations() == 15).mapToDouble(WalsSearch.Trial::metric).max().orElseThrow();
        if (Double.isNaN(a.bestOverStart()) || a.bestOverStart() >= WalsSearch.MIN_Z) {
            assertEquals(bestFull, a.chosenMetric(), 1e-12);
        } else {
            assertEquals(a.trials().get(0).values(), a.chosenValues());
        }
        // The first trial is the defaults.
        assertEquals(64, a.trials().get(0).values().get("rank"));
    }

    @Test
    void theSearchBeatsABadStartingPoint() {
        // λ = 1000 and α = 0.1 rank these users' items worse than what the search finds, by more than noise. 40 trials
        // were enough before the user λ exponent was searched; with one more dimension the first bracket's random draws
        // of seed 1 all lose to the start after 5 iterations, and 60 trials find a better configuration.
        CarveOuts split = new CarveOuts(data().matrix(), null, 0.25, 1);
        WalsParams bad = BASE.toBuilder().lambda(1000).alpha(0.1f).build();
        WalsSearch.Result r = WalsSearch.run(split, bad, SearchSpace.defaults(Set.of()), TuneSettings.defaults().withTrials(60), (t, p) -> {
        }, Workers.offline());
        WalsSearch.Result alone =
            WalsSearch.run(split, bad, SearchSpace.defaults(Set.of()), TuneSettings.defaults().withTrials(1), (t, p) -> {
            }, Workers.offline());
        assertEquals(WalsSearch.userRegularised(bad, SearchSpace.defaults(Set.of())), alone.chosen());
        assertTrue(r.chosenMetric() > alone.chosenMetric() + 0.02, r.chosenMetric() + " vs " + alone.chosenMetric());
        assertTrue(r.bestOverStart() >= WalsSearch.MIN_Z, "z " + r.bestOverStart());
    }

    @Test
    void cancellationStopsBetweenTrials() {
        CarveOuts split = new CarveOuts(data().matrix(), null, 0.25, 1);
        List<WalsSearch.Trial> seen = new ArrayList<>();
        assertThrows(
            CancellationException.class,
            () -> WalsSearch.run(
                split,
                BASE,
                SearchSpace.defaults(Set.of()),
                TuneSettings.defaults(),
                (t, p) -> seen.add(t),
                Workers.offline(() -> seen.size() >= 3)
            )
        );
        assertEquals(3, seen.size());
    }

    @Test
    void theFinalistsAreComparedOnEveryRandomCarveOut() {
        WalsSearch.Result r = search(16, 5);
        List<WalsSearch.Trial> finals = r.trials().stream().filter(t -> t.carveOut() > 0).toList();
        // The start and its user-weighted twin (the ratings vary, so also the nearly binary twin) reach the last rung.
        assertTrue(finals.size() >= 2 * 2, "finals " + finals.size());
        assertEquals(Set.of(1, 2), finals.stream().map(WalsSearch.Trial::carveOut).collect(java.util.stream.Collectors.toSet()));
        for (WalsSearch.Trial t : finals) {
            assertEquals(WalsSearch.RUNGS, t.rung());
            assertEquals(15, t.iterations());
        }
        // The choice is scored on all three carve-outs: its metric is no single carve-out's.
        Map<String, Object> chosen = r.chosenValues();
        double first = r.trials()
            .stream()
            .filter(t -> t.carveOut() == 0 && t.values().equals(chosen) && t.iterations() == 15)
            .mapToDouble(WalsSearch.Trial::metric)
            .findFirst()
            .orElseThrow();
        assertTrue(Math.abs(first - r.chosenMetric()) > 1e-9, first + " vs " + r.chosenMetric());
        // A carve-out of the latest items is the same whatever the seed: no finals.
        TimedInteractions.Built built = data();
        WalsSearch.Result timed = WalsSearch.run(
            new CarveOuts(built.matrix(), built.times(), 0.25, 5),
            BASE,
            SearchSpace.defaults(Set.of("iterations")),
            TuneSettings.defaults().withTrials(16),
            (t, p) -> {
            },
            Workers.offline()
        );
        assertTrue(timed.trials().stream().allMatch(t -> t.carveOut() == 0));
    }

    @Test
    void seededConfigurationsKeepWhatTheRequestFixes() {
        ValidationSplit split = ValidationSplit.carve(data().matrix(), null, 0.25, 1);
        List<WalsParams> all = WalsSearch.seeded(BASE, SearchSpace.defaults(Set.of()), split);
        assertEquals(3, all.size());
        WalsParams start = BASE.toBuilder().userLambdaExponent(WalsSearch.USER_LAMBDA_EXPONENT).build();
        assertEquals(start, all.get(0));
        assertEquals(WalsSearch.USER_LAMBDA_EXPONENT, all.get(1).userLambdaExponent());
        assertEquals(0.01f, all.get(1).epsilon());
        assertEquals(WalsSearch.USER_WEIGHT_EXPONENT, all.get(2).userWeightExponent());
        assertEquals(all.get(1).toBuilder().userWeightExponent(0).build(), all.get(2).toBuilder().userWeightExponent(0).build());
        // Fixed ε and user exponents: nothing to seed but the start, as given.
        assertEquals(
            List.of(BASE),
            WalsSearch.seeded(BASE, SearchSpace.defaults(Set.of("epsilon", "user_weight_exponent", "user_lambda_exponent")), split)
        );
        // Equal weights: the nearly binary twin is the same model as the start, so it is not tried.
        InteractionMatrix.Builder ones = new InteractionMatrix.Builder();
        for (int u = 0; u < 20; u++) {
            for (int i = 0; i < 6; i++) {
                ones.add("u" + u, "i" + (u + i) % 15, 1f);
            }
        }
        ValidationSplit binary = ValidationSplit.carve(ones.build(), null, 0.25, 1);
        assertEquals(
            List.of(start, start.toBuilder().userWeightExponent(WalsSearch.USER_WEIGHT_EXPONENT).build()),
            WalsSearch.seeded(BASE, SearchSpace.defaults(Set.of()), binary)
        );
    }

    @Test
    void timedCarveOutHoldsOutEachUsersLatestItems() {
        TimedInteractions.Built built = data();
        ValidationSplit split = ValidationSplit.carve(built.matrix(), built.times(), 0.2, 1);
        InteractionMatrix full = built.matrix();
        for (int u = 0; u < full.users().size(); u++) {
            long latestFit = Long.MIN_VALUE;
            long earliestHeld = Long.MAX_VALUE;
            for (int e = full.byUser().start(u); e < full.byUser().end(u); e++) {
                int item = full.byUser().columns()[e];
                boolean held =
                    java.util.Arrays.binarySearch(split.heldOut().columns(), split.heldOut().start(u), split.heldOut().end(u), item) >= 0;
                if (held) {
                    earliestHeld = Math.min(earliestHeld, built.times()[e]);
                } else {
                    latestFit = Math.max(latestFit, built.times()[e]);
                }
            }
            assertTrue(latestFit <= earliestHeld, "user " + u);
            assertEquals(Math.round(0.2 * full.byUser().rowLength(u)), split.heldOut().rowLength(u));
            assertEquals(full.byUser().rowLength(u), split.heldOut().rowLength(u) + split.fit().byUser().rowLength(u));
        }
    }

    @Test
    void badInputNamesTheField() {
        assertMessage("[tune.space.rnk] is not a parameter", () -> SearchSpace.parse(Map.of("rnk", List.of(1, 2)), Set.of(), "tune"));
        assertMessage(
            "[tune.space.lambda] is the empty range",
            () -> SearchSpace.parse(Map.of("lambda", List.of(10, 1)), Set.of(), "tune")
        );
        assertMessage("[tune.space.confidence] is [[]]", () -> SearchSpace.parse(Map.of("confidence", List.of()), Set.of(), "tune"));
        assertMessage(
            "[tune.space.rank] is searched but [params.rank] fixes it",
            () -> SearchSpace.parse(Map.of("rank", List.of(8, 16)), Set.of("rank"), "tune")
        );
        assertMessage(
            "[tune.space.user_weight_exponent] is [0.0, 2.0]; expected numbers in 0.0..1.0",
            () -> SearchSpace.parse(Map.of("user_weight_exponent", List.of(0, 2)), Set.of(), "tune")
        );
        assertMessage("[tune.trials] is [0]", () -> TuneSettings.defaults().withTrials(0).check("tune"));
        assertMessage("[tune.max_seconds] is [0.0]", () -> TuneSettings.defaults().withMaxSeconds(0).check("tune"));
        assertMessage("[tune.validation_share] is [0.6]", () -> new TuneSettings(5, 1, 0.6, ValidationMetric.DEFAULT, 1).check("tune"));
        assertMessage("[tune.validation_share] is [0.0]", () -> new TuneSettings(5, 1, 0, ValidationMetric.DEFAULT, 1).check("tune"));
        assertMessage("[tune.metric] is [ndcg]", () -> ValidationMetric.parse("ndcg", "tune"));
        assertEquals(new ValidationMetric("recall", 20), ValidationMetric.parse("recall@20", "tune"));
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable e) {
        String message = assertThrows(IllegalArgumentException.class, e).getMessage();
        assertTrue(message.startsWith(start), message);
    }
}
