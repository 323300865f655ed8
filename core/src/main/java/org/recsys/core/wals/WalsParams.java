package org.recsys.core.wals;

/**
 * Hyperparameters of weighted ALS for implicit feedback. The objective is
 * <pre>
 *   Σ_observed w_ui (1 − x_u·y_i)² + w0 Σ_unobserved (x_u·y_i)² + Σ λ_u |x_u|² + λ Σ|y_i|²
 *   with w_ui = w0 + ρ_u σ_i extra(r_ui),  ρ_u = n_u^(−userWeightExponent),  λ_u = λ n_u^η / mean_v(n_v^η)
 *   and η = userLambdaExponent
 * </pre>
 * where {@code extra} is the {@link Confidence} above 1, w0 the weight of unobserved entries (TensorFlow's WALS),
 * n_u the number of distinct items of user u, and σ optional per-item weights (1 when absent). With w0 = 1 and no row or column weights this is
 * exactly Hu, Koren and Volinsky's objective, as in {@code implicit}.
 *
 * @param rank       the number of latent factors k, 1..4096
 * @param iterations full alternations (users then items)
 * @param lambda     L2 regularisation, ≥ 0
 * @param alpha      confidence scale, ≥ 0
 * @param confidence linear or log confidence
 * @param epsilon    the log confidence's scale, > 0
 * @param w0         weight of every unobserved entry, > 0
 * @param userWeightExponent β in [0, 1]: each user's confidences above w0 scaled by n_u^−β, so that a heavy user's
 *                   interactions count less each (0: every user alike). α keeps the scale: with β > 0 a user of
 *                   n_u items gets α·n_u^−β
 * @param userLambdaExponent η in [0, 1]: user u's λ scaled by n_u^η over its mean, so that a heavy user's factor is
 *                   regularised more (the frequency-scaled λ of Zhou et al.'s ALS-WR is η = 1); 0: every user λ
 * @param solver     exact Cholesky or warm-started conjugate gradient
 * @param cgSteps    conjugate-gradient steps per row and half-iteration (2 by default: preconditioned, two steps come
 *                   closer to the exact solves than three plain ones, see docs/wals.md)
 * @param threads    worker threads
 * @param seed       seed of the random initial factors
 */
public record WalsParams(
    int rank,
    int iterations,
    float lambda,
    float alpha,
    Confidence confidence,
    float epsilon,
    float w0,
    float userWeightExponent,
    float userLambdaExponent,
    Solver solver,
    int cgSteps,
    int threads,
    long seed
) {

    public static final int MAX_RANK = 4096;
    /** Far above what WALS needs (it converges in tens); a bound keeps one request from holding a pool for days. */
    public static final int MAX_ITERATIONS = 1000;
    /** CG converges in at most k steps; beyond a few per row, the exact solver is the better choice. */
    public static final int MAX_CG_STEPS = 100;

    public WalsParams {
        check(rank >= 1 && rank <= MAX_RANK, "rank", rank, "between 1 and " + MAX_RANK);
        check(iterations >= 1 && iterations <= MAX_ITERATIONS, "iterations", iterations, "between 1 and " + MAX_ITERATIONS);
        check(lambda >= 0 && Float.isFinite(lambda), "lambda", lambda, "finite and >= 0");
        check(alpha >= 0 && Float.isFinite(alpha), "alpha", alpha, "finite and >= 0");
        check(confidence != null, "confidence", confidence, "linear or log");
        check(epsilon > 0 && Float.isFinite(epsilon), "epsilon", epsilon, "finite and > 0");
        check(w0 > 0 && Float.isFinite(w0), "w0", w0, "finite and > 0");
        check(userWeightExponent >= 0 && userWeightExponent <= 1, "user_weight_exponent", userWeightExponent, "between 0 and 1");
        check(userLambdaExponent >= 0 && userLambdaExponent <= 1, "user_lambda_exponent", userLambdaExponent, "between 0 and 1");
        check(solver != null, "solver", solver, "cholesky or cg");
        check(cgSteps >= 1 && cgSteps <= MAX_CG_STEPS, "cg_steps", cgSteps, "between 1 and " + MAX_CG_STEPS);
        check(threads >= 1, "threads", threads, "at least 1");
    }

    private static void check(boolean ok, String name, Object value, String expected) {
        if (ok == false) {
            throw new IllegalArgumentException("[" + name + "] is [" + value + "]; it must be " + expected);
        }
    }

    /** Named values, looked up by the snake_case names of the parameters (a request body, command-line flags). */
    public interface Source {
        int integer(String name, int defaultValue);

        float number(String name, float defaultValue);

        String string(String name, String defaultValue);
    }

    /** The parameters that {@code source} names, the {@link #defaults()} (with {@code threads}) for the others. */
    public static WalsParams from(Source source, int threads) {
        WalsParams d = defaults();
        return d.toBuilder()
            .rank(source.integer("rank", d.rank()))
            .iterations(source.integer("iterations", d.iterations()))
            .lambda(source.number("lambda", d.lambda()))
            .alpha(source.number("alpha", d.alpha()))
            .confidence(Confidence.fromId(source.string("confidence", d.confidence().id())))
            .epsilon(source.number("epsilon", d.epsilon()))
            .w0(source.number("w0", d.w0()))
            .userWeightExponent(source.number("user_weight_exponent", d.userWeightExponent()))
            .userLambdaExponent(source.number("user_lambda_exponent", d.userLambdaExponent()))
            .solver(Solver.fromId(source.string("solver", d.solver().id())))
            .cgSteps(source.integer("cg_steps", d.cgSteps()))
            .threads(source.integer("threads", threads))
            .seed(source.integer("seed", (int) d.seed()))
            .build();
    }

    /** Defaults tuned on a validation carve-out of the P1 training file (see docs/wals.md). */
    public static WalsParams defaults() {
        return new WalsParams(
            64,
            15,
            50f,
            8f,
            Confidence.LOG,
            1f,
            1f,
            0f,
            0f,
            Solver.CG,
            2,
            Runtime.getRuntime().availableProcessors(),
            42L
        );
    }

    /** The {@link #defaults()}, to change by name. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /** These parameters, to change by name. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Parameters set by name; {@link #build} checks them all at once. */
    public static final class Builder {
        private int rank;
        private int iterations;
        private float lambda;
        private float alpha;
        private Confidence confidence;
        private float epsilon;
        private float w0;
        private float userWeightExponent;
        private float userLambdaExponent;
        private Solver solver;
        private int cgSteps;
        private int threads;
        private long seed;

        private Builder(WalsParams p) {
            rank = p.rank;
            iterations = p.iterations;
            lambda = p.lambda;
            alpha = p.alpha;
            confidence = p.confidence;
            epsilon = p.epsilon;
            w0 = p.w0;
            userWeightExponent = p.userWeightExponent;
            userLambdaExponent = p.userLambdaExponent;
            solver = p.solver;
            cgSteps = p.cgSteps;
            threads = p.threads;
            seed = p.seed;
        }

        public Builder rank(int v) {
            rank = v;
            return this;
        }

        public Builder iterations(int v) {
            iterations = v;
            return this;
        }

        public Builder lambda(float v) {
            lambda = v;
            return this;
        }

        public Builder alpha(float v) {
            alpha = v;
            return this;
        }

        public Builder confidence(Confidence v) {
            confidence = v;
            return this;
        }

        public Builder epsilon(float v) {
            epsilon = v;
            return this;
        }

        public Builder w0(float v) {
            w0 = v;
            return this;
        }

        public Builder userWeightExponent(float v) {
            userWeightExponent = v;
            return this;
        }

        public Builder userLambdaExponent(float v) {
            userLambdaExponent = v;
            return this;
        }

        public Builder solver(Solver v) {
            solver = v;
            return this;
        }

        public Builder cgSteps(int v) {
            cgSteps = v;
            return this;
        }

        public Builder threads(int v) {
            threads = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public WalsParams build() {
            return new WalsParams(
                rank,
                iterations,
                lambda,
                alpha,
                confidence,
                epsilon,
                w0,
                userWeightExponent,
                userLambdaExponent,
                solver,
                cgSteps,
                threads,
                seed
            );
        }
    }
}
