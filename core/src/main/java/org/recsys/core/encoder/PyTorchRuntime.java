package org.recsys.core.encoder;

import ai.djl.engine.Engine;

/**
 * DJL's PyTorch engine, offline: the natives come from the {@code pytorch-native-cpu} jar on the class path and are
 * unpacked into {@code DJL_CACHE_DIR}; DJL never reaches for the network.
 */
public final class PyTorchRuntime {

    public static final String ENGINE = "PyTorch";

    private PyTorchRuntime() {}

    /** The engine, after switching DJL to offline mode (which must happen before DJL's Engine class loads). */
    public static synchronized Engine engine() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        return Engine.getEngine(ENGINE);
    }
}
