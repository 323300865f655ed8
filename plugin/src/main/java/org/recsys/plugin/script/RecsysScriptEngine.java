package org.recsys.plugin.script;

import org.elasticsearch.script.ScoreScript;
import org.elasticsearch.script.ScriptContext;
import org.elasticsearch.script.ScriptEngine;
import org.recsys.core.vector.VectorSimilarity;

import java.util.Map;
import java.util.Set;

/**
 * The {@code "lang": "recsys"} script engine for {@code script_score}. The script source names the scoring function
 * ({@code dot_product} or {@code cosine}); its params say what to score (see {@link VectorScoreScript}).
 */
public final class RecsysScriptEngine implements ScriptEngine {

    public static final String NAME = "recsys";

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
        VectorSimilarity similarity;
        try {
            similarity = VectorSimilarity.fromId(source);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown [" + NAME + "] script [" + source + "]; expected one of " + VectorSimilarity.ids(), e);
        }
        return context.factoryClazz.cast(new VectorScoreScript.Factory(similarity));
    }

    @Override
    public Set<ScriptContext<?>> getSupportedContexts() {
        return Set.of(ScoreScript.CONTEXT);
    }
}
