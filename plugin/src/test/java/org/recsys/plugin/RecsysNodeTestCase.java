package org.recsys.plugin;

import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.test.ESSingleNodeTestCase;

import java.util.Collection;
import java.util.List;

/** A real single node in the test JVM with the recsys plugin installed. */
public abstract class RecsysNodeTestCase extends ESSingleNodeTestCase {

    @Override
    protected Collection<Class<? extends Plugin>> getPlugins() {
        return List.of(RecsysPlugin.class);
    }
}
