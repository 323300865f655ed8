package org.recsys.core.sequential;

import ai.djl.engine.Engine;

/** DJL's PyTorch engine, offline (the property must be set before DJL's Engine class loads). */
final class TorchEngine {

    private TorchEngine() {}

    static synchronized Engine get() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        return Engine.getEngine("PyTorch");
    }
}
