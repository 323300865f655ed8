package org.recsys.plugin;

import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.ScriptPlugin;
import org.elasticsearch.script.ScriptContext;
import org.elasticsearch.script.ScriptEngine;
import org.recsys.plugin.script.RecsysScriptEngine;

import java.util.Collection;

/** The recsys plugin: the one class Elasticsearch loads, wiring every extension point to its package. */
public class RecsysPlugin extends Plugin implements ScriptPlugin {

    @Override
    public ScriptEngine getScriptEngine(Settings settings, Collection<ScriptContext<?>> contexts) {
        return new RecsysScriptEngine();
    }
}
