package org.recsys.plugin.script;

import org.elasticsearch.script.ScoreScript;
import org.elasticsearch.script.ScriptContext;
import org.elasticsearch.script.ScriptEngine;
import org.recsys.core.vector.VectorSimilarity;

import java.util.Map;
import java.util.Set;

/**
 * The {@code "lang": "recsys"} script engine for {@code script_score}. The script source names the scoring function:
 * {@code dot_product} or {@code cosine} of a vector field and a query vector ({@link VectorScoreScript}), or
 * {@code fused}, the {@code recsys} rescorer's fused score of a resolved user ({@link FusedScoreScript}).
 */
public final class RecsysScriptEngine implements ScriptEngine {

    public static final String NAME = "recsys";
    static final String FUSED = "fused";

    @Override
    public String getType() {
        return NAME;
    }

    @Override
    public <T> T compile(String name, String source, ScriptContext<T> context, Map<String, String> options) {
        if (context.equals(ScoreScript.CONTEXT) == false) {
            throw new IllegalArgumentException(
                "[" + NAME + "] scripts run in the [" + ScoreScript.CONTEXT.name + "] context only, not in [" + context.name + "]"
            );
        }
        if (FUSED.equals(source)) {
            return context.factoryClazz.cast(new FusedScoreScript.Factory());
        }
        VectorSimilarity similarity;
        try {
            similarity = VectorSimilarity.fromId(source);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                "unknown [" + NAME + "] script [" + source + "]; expected [" + FUSED + "] or one of " + VectorSimilarity.ids(),
                e
            );
        }
        return context.factoryClazz.cast(new VectorScoreScript.Factory(similarity));
    }

    @Override
    public Set<ScriptContext<?>> getSupportedContexts() {
        return Set.of(ScoreScript.CONTEXT);
    }
}
